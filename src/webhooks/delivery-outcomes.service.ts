import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CommandBus, EventBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '../common/index.js';
import type { Environment } from '../config/index.js';
import { MessageCreatedEvent, UpdateMessageCommand } from '../conversations/index.js';
import { PreparedQuery } from '../database/index.js';
import type { DomainEvent, EventRow } from '../outbox/index.js';
import { DeliveryScheduler } from './delivery-scheduler.service.js';
import { AgentBotDeliveryFailedEvent } from './events/agent-bot-delivery-failed.event.js';
import type { WebhookEndpoint } from './entities/webhook-endpoint.entity.js';
import { FailureLog } from './failure-log.js';
import { nextDelayMs, parseSchedule } from './retry-policy.js';
import type { AttemptOutcome } from './retry-policy.js';

/** A delivery taken for an attempt, with what its endpoint row says about where it goes. */
export interface ClaimedDelivery {
  id: string;
  endpoint_id: number;
  event_row_id: string;
  stream: string;
  attempts: number;
  account_id: number;
  kind: WebhookEndpoint['kind'];
  inbox_id: number | null;
  agent_bot_id: number | null;
  url: string | null;
  secret: string | null;
  previous_secret: string | null;
  previous_secret_valid: boolean | null;
  /** The event's row (outbox), read with the claim; null if it expired meanwhile. */
  event: EventRow | null;
}

/** What a round decided for one delivery. */
interface Decision {
  status: 'delivered' | 'pending' | 'failed';
  delayMs: number | null;
  error: string | null;
}

/** What one attempt came to. */
export interface AttemptResult {
  outcome: AttemptOutcome;
  statusCode: number | null;
  durationMs: number;
  excerpt: string | null;
  error: string | null;
}

/**
 * A round's outcomes in one statement: every attempt logged; each delivery delivered, failed
 * for good, or given its next attempt time; the endpoint's failure streak reset by a success,
 * or started by a failure, which disables the endpoint after 410 Gone or after failing without
 * a success for WEBHOOK_DISABLE_AFTER_MS. A delivery changes only while this attempt still holds
 * it (`attempts` is the attempt's token): after its lock expired and another worker took it, a
 * late outcome is logged but changes nothing. The attempt's slot is freed; the stream's head
 * (locked first, see stream-heads.ts) moves to the retry's time, to the next pending delivery,
 * or goes idle. Returns the deliveries it settled, and whether the endpoint has a head due now
 * (else the drain can stop).
 */
const RECORD_OUTCOMES = new PreparedQuery<{ settled: string[]; more: boolean }>(
  'record_outcomes',
  `WITH outcome AS (
         SELECT * FROM unnest($1::bigint[], $2::int[], $3::int[], $4::int[], $5::text[], $6::text[],
                              $7::text[], $8::float8[])
           AS o(id, attempts, status_code, duration_ms, excerpt, error, status, retry_secs)),
       attempt AS (
         INSERT INTO webhook_delivery_attempts (delivery_id, status_code, duration_ms, response_excerpt, error)
         SELECT id, status_code, duration_ms, excerpt, error FROM outcome),
       settled AS (
         UPDATE webhook_deliveries d
            SET status = o.status, locked_until = NULL, last_status_code = o.status_code, last_error = o.error,
                delivered_at = CASE WHEN o.status = 'delivered' THEN now() END,
                failed_at = CASE WHEN o.status = 'failed' THEN now() END,
                next_attempt_at = CASE WHEN o.status = 'pending'
                  THEN now() + make_interval(secs => o.retry_secs) ELSE d.next_attempt_at END
           FROM outcome o WHERE d.id = o.id AND d.status = 'pending' AND d.attempts = o.attempts
         RETURNING d.id, d.stream, o.status, o.status_code, o.retry_secs),
       released AS (
         DELETE FROM webhook_delivery_leases l USING outcome o
          WHERE l.endpoint_id = $9 AND l.delivery_id = o.id AND l.attempt = o.attempts),
       locked AS (
         SELECT h.stream, h.revision FROM webhook_stream_heads h
          WHERE h.endpoint_id = $9 AND h.stream IN (SELECT stream FROM settled)
          ORDER BY h.stream FOR UPDATE),
       next AS (
         SELECT s.stream, s.status, s.retry_secs, k.revision IS DISTINCT FROM seen.revision AS changed,
                d.sequence, d.next_attempt_at, d.locked_until
           FROM settled s JOIN locked k ON k.stream = s.stream
           LEFT JOIN webhook_stream_heads seen ON seen.endpoint_id = $9 AND seen.stream = s.stream
           LEFT JOIN LATERAL (
             SELECT sequence, next_attempt_at, locked_until FROM webhook_deliveries
              WHERE endpoint_id = $9 AND stream = s.stream AND status = 'pending' AND id <> ALL($1::bigint[])
              ORDER BY sequence LIMIT 1) d ON true),
       moved AS (
         UPDATE webhook_stream_heads h
            SET sequence = coalesce(n.sequence, h.sequence), leased_until = NULL,
                due_at = CASE WHEN n.changed THEN now()
                              WHEN n.status = 'pending' THEN now() + make_interval(secs => n.retry_secs)
                              WHEN n.sequence IS NULL THEN NULL
                              ELSE greatest(n.next_attempt_at, n.locked_until) END
           FROM next n WHERE h.endpoint_id = $9 AND h.stream = n.stream
         RETURNING h.due_at),
       round AS (
         SELECT coalesce(bool_or(status = 'delivered'), false) AS delivered,
                coalesce(bool_or(status <> 'delivered'), false) AS failed,
                coalesce(bool_or(status = 'failed' AND status_code = 410), false) AS gone
           FROM settled),
       health AS (
         UPDATE webhook_endpoints e
            SET failing_since = CASE WHEN NOT r.failed THEN NULL
                                     WHEN r.delivered THEN now() ELSE coalesce(e.failing_since, now()) END,
                disabled_at = CASE WHEN e.disabled_at IS NULL AND (r.gone OR (NOT r.delivered
                                     AND e.failing_since < now() - make_interval(secs => $10)))
                                   THEN now() ELSE e.disabled_at END,
                disabled_reason = CASE WHEN e.disabled_at IS NOT NULL THEN e.disabled_reason
                  WHEN r.gone THEN 'The receiver answered 410 Gone'
                  WHEN NOT r.delivered AND e.failing_since < now() - make_interval(secs => $10)
                  THEN 'Deliveries failed continuously since '
                       || to_char(e.failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                  ELSE e.disabled_reason END
           FROM round r
          WHERE e.id = $9 AND (r.failed OR (r.delivered AND e.failing_since IS NOT NULL)))
       SELECT (SELECT coalesce(array_agg(id), '{}') FROM settled) AS settled,
              EXISTS (SELECT 1 FROM moved WHERE due_at <= now())
              OR EXISTS (SELECT 1 FROM webhook_stream_heads WHERE endpoint_id = $9 AND due_at <= now()) AS more`,
);

/**
 * The one writer of delivery outcomes: records a round's attempts (RECORD_OUTCOMES), then
 * schedules the retries it settled, marks the messages whose inbox webhook finally failed, tells
 * the agent bots module of a bot's delivery that finally failed, and logs failed attempts (rate-limited per endpoint).
 */
@Injectable()
export class DeliveryOutcomes {
  private readonly logger = new Logger(DeliveryOutcomes.name);
  private readonly schedule: number[];
  private readonly retryAfterCapMs: number;
  private readonly disableAfterMs: number;
  private readonly failures: FailureLog;

  constructor(
    private readonly dataSource: DataSource,
    private readonly scheduler: DeliveryScheduler,
    private readonly commands: CommandBus,
    private readonly eventBus: EventBus,
    config: ConfigService<Environment, true>,
  ) {
    this.schedule = parseSchedule(config.get('WEBHOOK_RETRY_SCHEDULE_MS', { infer: true }));
    this.retryAfterCapMs = config.get('WEBHOOK_RETRY_AFTER_CAP_MS', { infer: true });
    this.disableAfterMs = config.get('WEBHOOK_DISABLE_AFTER_MS', { infer: true });
    this.failures = new FailureLog(
      config.get('WEBHOOK_FAILURE_LOG_INTERVAL_MS', { infer: true }),
      (fields, message) => this.logger.warn(fields, message),
    );
  }

  /** Records one round of an endpoint (all `claimed` belong to it); returns whether more waits. */
  async record(
    endpointId: number,
    claimed: ClaimedDelivery[],
    results: AttemptResult[],
    events: Map<string, DomainEvent | undefined>,
  ): Promise<boolean> {
    const decided = claimed.map((delivery, index) => this.decide(delivery, results[index]));
    const { settled, more } = (await RECORD_OUTCOMES.first(this.dataSource, [
      claimed.map((delivery) => delivery.id),
      claimed.map((delivery) => delivery.attempts),
      results.map((result) => result.statusCode),
      results.map((result) => result.durationMs),
      results.map((result) => result.excerpt),
      decided.map((decision) => decision.error),
      decided.map((decision) => decision.status),
      decided.map((decision) => (decision.delayMs === null ? null : decision.delayMs / 1000)),
      endpointId,
      this.disableAfterMs / 1000,
    ]))!;
    const settledIds = new Set(settled.map(String));

    for (const [index, delivery] of claimed.entries()) {
      const decision = decided[index];
      if (decision.status === 'delivered') continue;
      this.failures.note({
        endpointId,
        url: delivery.url,
        statusCode: results[index].statusCode,
        reason: decision.error ?? 'unknown error',
      });
      if (!settledIds.has(String(delivery.id))) continue;
      if (decision.status === 'pending') {
        // If Redis is unavailable, the relay wakes the endpoint once the retry is due.
        await this.scheduler
          .wake([endpointId], `t${delivery.id}-${delivery.attempts}`, decision.delayMs!)
          .catch((failure: unknown) =>
            this.logger.warn(
              { err: failure },
              'Could not schedule a webhook retry; the relay will',
            ),
          );
      } else if (delivery.kind === 'inbox') {
        const event = events.get(delivery.id);
        if (event) await this.markMessageFailed(event, decision.error);
      } else if (delivery.kind === 'agent_bot' && delivery.agent_bot_id !== null) {
        const event = events.get(delivery.id);
        if (event)
          this.eventBus.publish(
            new AgentBotDeliveryFailedEvent(delivery.agent_bot_id, event, decision.error),
          );
      }
    }
    return more;
  }

  /** What an attempt's result means for its delivery: delivered, retried after a delay, or failed. */
  private decide(delivery: ClaimedDelivery, result: AttemptResult): Decision {
    const { outcome } = result;
    if (outcome.kind === 'delivered') return { status: 'delivered', delayMs: null, error: null };
    const error =
      result.error ??
      (outcome.kind === 'retry'
        ? outcome.reason
        : result.statusCode === 410
          ? 'answered 410 Gone'
          : null);
    const delayMs =
      outcome.kind === 'retry'
        ? nextDelayMs(delivery.attempts, this.schedule, outcome.retryAfterMs, this.retryAfterCapMs)
        : null;
    return delayMs === null
      ? { status: 'failed', delayMs: null, error }
      : { status: 'pending', delayMs, error };
  }

  /** An outgoing message whose webhook to its API inbox finally failed is marked failed. */
  private async markMessageFailed(event: DomainEvent, error: string | null): Promise<void> {
    if (!(event instanceof MessageCreatedEvent) || event.message.message_type !== 'outgoing')
      return;
    await this.commands
      .execute(
        new UpdateMessageCommand(
          event.conversationId,
          event.message.id,
          {
            status: 'failed',
            externalError: `Webhook delivery failed: ${error ?? 'unknown error'}`,
          },
          SYSTEM_ACTOR,
        ),
      )
      .catch((failure: unknown) =>
        this.logger.warn({ err: failure }, 'Could not mark the message failed'),
      );
  }
}
