import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DomainEvent } from '../outbox/index.js';
import { newSecret } from './signing.js';

/** Events an agent bot's endpoint is fanned out (what a bot may be sent; see botBody). */
export const AGENT_BOT_EVENTS = [
  'conversation_created',
  'conversation_updated',
  'conversation_status_changed',
  'message_created',
  'message_updated',
  'conversation_typing_on',
  'conversation_typing_off',
] as const;

/** The endpoint target of a bot that runs inside the process (see InProcessReceivers). */
const IN_PROCESS = 'conversa-bot:';

export function inProcessTarget(name: string): string {
  return `${IN_PROCESS}${name}`;
}

/**
 * The body an agent bot gets for an event, or null when bots are not sent it. As Chatwoot's
 * bot listener: messages only when a contact or a person could see them (no activity messages,
 * no private notes), and a status change only as `conversation_opened` or `conversation_resolved`.
 */
export function botBody(event: DomainEvent): Record<string, unknown> | null {
  const body = event.body();
  if (body.event === 'message_created' || body.event === 'message_updated') {
    return body.message_type === 'activity' || body.private === true ? null : body;
  }
  if (body.event === 'conversation_status_changed') {
    if (body.status === 'open') return { ...body, event: 'conversation_opened' };
    if (body.status === 'resolved') return { ...body, event: 'conversation_resolved' };
    return null;
  }
  return body;
}

/**
 * An agent bot's endpoint (one per bot, in the caller's transaction): created with a new secret
 * the first time, its target set to the bot's outgoing_url, or to the in-process bot it names.
 * Returns the signing secret.
 */
export async function saveAgentBotEndpoint(
  manager: EntityManager,
  accountId: number,
  agentBotId: number,
  target: { url: string | null } | { inProcess: string },
): Promise<string> {
  const url = 'inProcess' in target ? inProcessTarget(target.inProcess) : target.url;
  const [row] = await manager.query(
    `INSERT INTO webhook_endpoints (account_id, kind, agent_bot_id, url, secret)
     VALUES ($1, 'agent_bot', $2, $3, $4)
     ON CONFLICT (agent_bot_id) WHERE kind = 'agent_bot' DO UPDATE
        SET url = EXCLUDED.url, updated_at = now(),
            -- a new target is a fixed receiver: it starts enabled, with no failure streak
            disabled_at = CASE WHEN webhook_endpoints.url IS DISTINCT FROM EXCLUDED.url THEN NULL
                               ELSE webhook_endpoints.disabled_at END,
            disabled_reason = CASE WHEN webhook_endpoints.url IS DISTINCT FROM EXCLUDED.url THEN NULL
                                   ELSE webhook_endpoints.disabled_reason END,
            failing_since = CASE WHEN webhook_endpoints.url IS DISTINCT FROM EXCLUDED.url THEN NULL
                                 ELSE webhook_endpoints.failing_since END
     RETURNING secret`,
    [accountId, agentBotId, url, newSecret()],
  );
  return row.secret;
}

/** The signing secrets of agent bots' endpoints, by bot id. */
export async function agentBotSecrets(
  manager: EntityManager,
  agentBotIds: number[],
): Promise<Map<number, string>> {
  if (agentBotIds.length === 0) return new Map();
  const rows: { agent_bot_id: number; secret: string }[] = await manager.query(
    `SELECT agent_bot_id, secret FROM webhook_endpoints
      WHERE kind = 'agent_bot' AND agent_bot_id = ANY($1::int[])`,
    [agentBotIds],
  );
  return new Map(rows.map((row) => [row.agent_bot_id, row.secret]));
}

/**
 * What an in-process bot is handed: the body an HTTP bot would get, the typed event, and the
 * agent bot (row) whose endpoint it is.
 */
export type InProcessReceiver = (
  body: Record<string, unknown>,
  event: DomainEvent,
  agentBotId: number,
) => Promise<void>;

/**
 * Bots that run inside the process, by name. Their events go through the same deliveries as an
 * HTTP bot's (durable, ordered per conversation, retried): an attempt calls the receiver instead
 * of POSTing, and a throw counts as a failed attempt.
 */
@Injectable()
export class InProcessReceivers {
  private readonly receivers = new Map<string, InProcessReceiver>();

  register(name: string, receiver: InProcessReceiver): void {
    if (this.receivers.has(name))
      throw new Error(`An in-process bot "${name}" is registered already`);
    this.receivers.set(name, receiver);
  }

  has(name: string): boolean {
    return this.receivers.has(name);
  }

  names(): string[] {
    return [...this.receivers.keys()];
  }

  /** The receiver an endpoint target names, or undefined for an HTTP target. */
  receiverFor(url: string): InProcessReceiver | null | undefined {
    if (!url.startsWith(IN_PROCESS)) return undefined;
    return this.receivers.get(url.slice(IN_PROCESS.length)) ?? null;
  }
}
