import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CommandBus, EventsHandler, IEventHandler, QueryBus } from '@nestjs/cqrs';
import { inBatches, PeriodicJob, SYSTEM_ACTOR } from '../common/index.js';
import type { Environment } from '../config/index.js';
import {
  MessageCreatedEvent,
  ToggleStatusCommand,
  UnansweredBotConversationsQuery,
} from '../conversations/index.js';
import { AgentBotDeliveryFailedEvent } from '../webhooks/index.js';

const BATCH = 50;

/** "10 minutes", "90 seconds": the timeout as the activity message says it. */
export function spelledDuration(ms: number): string {
  if (ms % 60_000 === 0) return ms === 60_000 ? '1 minute' : `${ms / 60_000} minutes`;
  return `${Math.round(ms / 1000)} seconds`;
}

/**
 * A bot never strands a contact: a pending bot conversation goes to people (opened, so the
 * assignment saga assigns it by policy, with an activity message saying why) when
 * - the bot's delivery of a contact's message failed for good (fast path, in-process event), or
 * - the contact has waited AGENT_BOT_REPLY_TIMEOUT_MS for an answer (the durable path: read from
 *   the conversations every AGENT_BOT_SWEEP_INTERVAL_MS, so a crash loses nothing).
 * A slow request is no reason: deliveries are retried like a webhook's. The handoff only applies
 * to a conversation still pending, so it never undoes what a person or the bot did meanwhile,
 * and the bot's later answers are still accepted.
 */
@Injectable()
export class BotHandoffs extends PeriodicJob {
  private readonly timeoutMs: number;

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    config: ConfigService<Environment, true>,
  ) {
    super({
      role: config.get('PROCESS_ROLE', { infer: true }),
      intervalMs: config.get('AGENT_BOT_SWEEP_INTERVAL_MS', { infer: true }),
      failure: 'Handing stalled bot conversations to people failed',
    });
    this.timeoutMs = config.get('AGENT_BOT_REPLY_TIMEOUT_MS', { infer: true });
  }

  /** Hands a pending conversation to people, saying why; nothing if it is no longer pending. */
  async handOff(conversationId: number, reason: string): Promise<void> {
    await this.commands.execute(
      new ToggleStatusCommand(conversationId, 'open', null, SYSTEM_ACTOR, reason, 'pending'),
    );
  }

  /** Conversations whose contact waited too long for the bot. */
  protected async round(): Promise<void> {
    const reason = `the bot did not answer within ${spelledDuration(this.timeoutMs)}`;
    await inBatches(BATCH, async (limit) => {
      const stalled = await this.queries.execute(
        new UnansweredBotConversationsQuery(new Date(Date.now() - this.timeoutMs), limit),
      );
      for (const conversation of stalled) await this.handOff(conversation.id, reason);
      return stalled.length;
    });
  }
}

/** The fast path: a contact's message the bot could not be given hands the conversation over. */
@EventsHandler(AgentBotDeliveryFailedEvent)
export class HandOffOnFailedDelivery implements IEventHandler<AgentBotDeliveryFailedEvent> {
  private readonly logger = new Logger(HandOffOnFailedDelivery.name);

  constructor(private readonly handoffs: BotHandoffs) {}

  async handle({ event, error }: AgentBotDeliveryFailedEvent): Promise<void> {
    if (!(event instanceof MessageCreatedEvent) || event.message.message_type !== 'incoming')
      return;
    await this.handoffs
      .handOff(event.conversationId, `the bot could not be reached (${error ?? 'delivery failed'})`)
      .catch((failure: unknown) =>
        this.logger.warn({ err: failure }, 'Could not hand a conversation to people'),
      );
  }
}
