import { Injectable, Logger } from '@nestjs/common';
import { AsyncResource } from 'node:async_hooks';
import { DataSource } from 'typeorm';
import { faultPoint } from '../common/index.js';
import { ConversationSql } from '../conversations/index.js';
import { InboxSql } from '../inboxes/index.js';
import { dispatchEvents } from '../outbox/index.js';
import { AGENT_BOT_EVENTS } from './agent-bot-endpoints.js';
import { DeliveryScheduler } from './delivery-scheduler.service.js';
import { DeliveryService } from './delivery.service.js';
import { wakeStreams } from './stream-heads.js';
import { inboxWebhookEvents } from './webhooks.constants.js';

const BATCH = 500;

/**
 * The fan-out, in one statement over the claimed `events`: one delivery per enabled account
 * webhook whose subscriptions (and inbox filter) match, and one per event of an inbox whose own
 * webhook has a URL and is enabled, and one per event for the agent bot of the event's inbox or
 * conversation (its bot assignee) whose endpoint has a target and is enabled; the streams' heads
 * are woken in the same statement. Reads this module's endpoint rows and, through InboxSql and
 * ConversationSql, those bots.
 */
const FAN_OUT = `,
  targets AS (
    SELECT e.id AS endpoint_id, ev.id AS event_row_id, ev.stream, ev.sequence
      FROM events ev JOIN webhook_endpoints e
        ON e.kind = 'account' AND e.account_id = ev.account_id AND e.disabled_at IS NULL
       AND ev.name = ANY(e.subscriptions) AND (e.inbox_id IS NULL OR e.inbox_id = ev.inbox_id)
    UNION ALL
    SELECT e.id, ev.id, ev.stream, ev.sequence
      FROM events ev JOIN webhook_endpoints e
        ON e.kind = 'inbox' AND e.inbox_id = ev.inbox_id AND e.url IS NOT NULL AND e.disabled_at IS NULL
     WHERE ev.name = ANY($2::text[])
    UNION ALL
    SELECT e.id, ev.id, ev.stream, ev.sequence
      FROM events ev ${InboxSql.joinInbox('i', 'ev.inbox_id')}
      ${ConversationSql.leftJoinConversation('c', 'ev.conversation_id')}
      JOIN webhook_endpoints e
        ON e.kind = 'agent_bot'
       AND e.agent_bot_id IN (${InboxSql.agentBotId('i')}, ${ConversationSql.assigneeAgentBotId('c')})
       AND e.url IS NOT NULL AND e.disabled_at IS NULL
     WHERE ev.name = ANY($3::text[])),
  inserted AS (
    INSERT INTO webhook_deliveries (endpoint_id, event_row_id, stream, sequence)
    SELECT endpoint_id, event_row_id, stream, sequence FROM targets
    ON CONFLICT (endpoint_id, event_row_id) DO NOTHING
    RETURNING id, endpoint_id, stream, sequence),
  woken AS (${wakeStreams('inserted')})
  SELECT (SELECT count(*)::int FROM events) AS claimed,
         (SELECT coalesce(array_agg(DISTINCT endpoint_id), '{}') FROM inserted) AS endpoints,
         (SELECT max(id) FROM inserted) AS last_delivery`;

/**
 * The relay from the outbox: turns each committed event into one delivery per matching
 * endpoint, marking the event dispatched in the same statement, then drains the endpoints in
 * this process (when it delivers) or wakes them through the queue.
 * Runs right after each write (fast path) and periodically (after a crash, nothing is lost).
 */
@Injectable()
export class DeliveryDispatcher {
  private readonly logger = new Logger(DeliveryDispatcher.name);
  private running = false;
  /** A call that came during a run: the age it asked for (undefined: every event). */
  private again: { olderThanMs?: number } | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly scheduler: DeliveryScheduler,
    private readonly deliveries: DeliveryService,
  ) {}

  /** An async scope from boot, outside any request, for the fan-out a request's write triggers. */
  private readonly detached = new AsyncResource('conversa.webhook-dispatch');

  /**
   * One run at a time per process; a call during a run makes it go round once more. Runs outside
   * the caller's async context: a request's Idempotency-Key must not be marked by this work.
   */
  dispatch(): Promise<void> {
    return this.detached.runInAsyncScope(() => this.run({}));
  }

  /**
   * The safety net's pass: only events written at least `olderThanMs` ago, so it never takes an
   * event from under the writer whose own dispatch is about to run.
   */
  dispatchSettled(olderThanMs: number): Promise<void> {
    return this.detached.runInAsyncScope(() => this.run({ olderThanMs }));
  }

  private async run(pass: { olderThanMs?: number }): Promise<void> {
    if (this.running) {
      // A queued pass over every event covers any other; two settled passes take the wider age.
      const pending = this.again;
      if (pending && pending.olderThanMs === undefined) return;
      this.again =
        pending && pass.olderThanMs !== undefined
          ? { olderThanMs: Math.min(pending.olderThanMs ?? 0, pass.olderThanMs) }
          : pass;
      return;
    }
    this.running = true;
    try {
      let next: { olderThanMs?: number } | null = pass;
      while (next) {
        this.again = null;
        while ((await this.dispatchBatch(next.olderThanMs)) === BATCH);
        next = this.again;
      }
    } catch (error) {
      this.logger.error(
        { err: error },
        'Dispatching events to webhooks failed; the relay will retry',
      );
    } finally {
      this.running = false;
      this.again = null;
    }
  }

  private async dispatchBatch(olderThanMs?: number): Promise<number> {
    const [result] = await dispatchEvents<{
      claimed: number;
      endpoints: number[];
      last_delivery: string | null;
    }>(
      this.dataSource.manager,
      BATCH,
      FAN_OUT,
      [inboxWebhookEvents(), AGENT_BOT_EVENTS],
      olderThanMs,
    );
    // The crash window under test: deliveries committed, their wake-ups not yet queued.
    if (result.endpoints.length > 0) faultPoint('crash_after_fanout');
    const queued = this.deliveries.drainHere(result.endpoints);
    await this.scheduler.wake(queued, `n${result.last_delivery}`);
    return result.claimed;
  }
}
