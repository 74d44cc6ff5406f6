import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { NotFoundError, SYSTEM_ACTOR } from '../common/index.js';
import type { Environment } from '../config/index.js';
import { UpdateMessageCommand } from '../conversations/index.js';
import { FindInboxQuery } from '../inboxes/index.js';
import { OutboundClient, OutboundError } from '../outbound/index.js';
import { eventBody, loadEvents } from '../outbox/index.js';
import type { EventRecord } from '../outbox/index.js';
import { DeliveryScheduler } from './delivery-scheduler.service.js';
import { EndpointSlots } from './endpoint-slots.js';
import type { WebhookEndpoint } from './entities/webhook-endpoint.entity.js';
import { classifyResponse, nextDelayMs, parseSchedule } from './retry-policy.js';
import type { AttemptOutcome } from './retry-policy.js';
import { signedHeaders } from './signing.js';

export const USER_AGENT = 'Conversa-Webhooks/0.1.0';

/** A delivery taken for an attempt, with what its endpoint row says about where it goes. */
interface ClaimedDelivery {
  id: string;
  endpoint_id: number;
  event_row_id: string;
  stream: string;
  attempts: number;
  account_id: number;
  kind: WebhookEndpoint['kind'];
  inbox_id: number | null;
  url: string | null;
  secret: string | null;
  previous_secret: string | null;
  previous_secret_valid: boolean | null;
}

interface AttemptResult {
  outcome: AttemptOutcome;
  statusCode: number | null;
  durationMs: number;
  excerpt: string | null;
  error: string | null;
}

/**
 * One attempt of one delivery. The delivery row is claimed first, so each attempt happens
 * once across all workers; a delivery waits while an earlier delivery of the same stream
 * (conversation) to the same endpoint is pending, so one endpoint sees a conversation's events
 * in sequence order, and a failing conversation holds back only its own.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);
  private readonly schedule: number[];
  private readonly retryAfterCapMs: number;
  private readonly disableAfterMs: number;
  private readonly lockSeconds: number;
  private readonly slots: EndpointSlots;

  constructor(
    private readonly dataSource: DataSource,
    private readonly client: OutboundClient,
    private readonly scheduler: DeliveryScheduler,
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
    config: ConfigService<Environment, true>,
  ) {
    this.schedule = parseSchedule(config.get('WEBHOOK_RETRY_SCHEDULE_MS', { infer: true }));
    this.retryAfterCapMs = config.get('WEBHOOK_RETRY_AFTER_CAP_MS', { infer: true });
    this.disableAfterMs = config.get('WEBHOOK_DISABLE_AFTER_MS', { infer: true });
    // Long enough for the request to time out and its outcome to be written; a process killed
    // mid-attempt holds the delivery (and its stream's later ones) this long.
    this.lockSeconds = Math.ceil(config.get('WEBHOOK_TIMEOUT_MS', { infer: true }) / 1000) + 5;
    this.slots = new EndpointSlots(config.get('WEBHOOK_ENDPOINT_CONCURRENCY', { infer: true }));
  }

  /** Runs one attempt if it is the delivery's turn; `endpointId`, when known, saves a claim. */
  async attempt(deliveryId: string, endpointId?: number): Promise<void> {
    if (endpointId !== undefined && !this.slots.take(endpointId, deliveryId)) return;
    let claimed: ClaimedDelivery | null = null;
    try {
      claimed = await this.claim(deliveryId);
      if (!claimed) return;
      if (endpointId === undefined && !this.slots.take(claimed.endpoint_id, deliveryId)) {
        await this.unclaim(claimed);
        claimed = null;
        return;
      }
      await this.run(claimed);
    } finally {
      const slotOf = endpointId ?? (claimed ? claimed.endpoint_id : undefined);
      if (slotOf !== undefined)
        await this.scheduler.wake(this.slots.release(slotOf), `c${Date.now()}`);
    }
  }

  private async run(claimed: ClaimedDelivery): Promise<void> {
    const [event] = await loadEvents(this.dataSource.manager, [claimed.event_row_id]);
    const target = event ? await this.target(claimed) : null;
    const result: AttemptResult = target
      ? await this.send(target.url, target.secrets, event)
      : {
          outcome: { kind: 'gone' },
          statusCode: null,
          durationMs: 0,
          excerpt: null,
          error: 'The endpoint no longer has a URL (webhook removed)',
        };
    if (result.outcome.kind === 'delivered') await this.recordDelivered(claimed, result);
    else await this.record(claimed, event, result);
  }

  /**
   * Takes the delivery for one attempt (with its endpoint), or returns null when it is not its
   * turn. An earlier event of the stream that is not fanned out yet (another process's relay
   * holds it) may still get a delivery to this endpoint, so it blocks too; the relay wakes this
   * one again afterwards.
   */
  private async claim(deliveryId: string): Promise<ClaimedDelivery | null> {
    const rows: ClaimedDelivery[] = await this.dataSource.query(
      `WITH claimed AS (
         UPDATE webhook_deliveries d
            SET locked_until = now() + make_interval(secs => $2), attempts = d.attempts + 1
          WHERE d.id = $1 AND d.status = 'pending' AND d.next_attempt_at <= now()
            AND (d.locked_until IS NULL OR d.locked_until < now())
            AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.endpoint_id = d.endpoint_id
                  AND p.stream = d.stream AND p.sequence < d.sequence AND p.status = 'pending')
            AND NOT EXISTS (SELECT 1 FROM domain_events ev WHERE ev.dispatched_at IS NULL
                  AND ev.stream = d.stream AND ev.sequence < d.sequence)
            AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = d.endpoint_id AND e.disabled_at IS NULL)
          RETURNING d.id, d.endpoint_id, d.event_row_id, d.stream, d.attempts)
       SELECT c.id, c.endpoint_id, c.event_row_id, c.stream, c.attempts, e.account_id, e.kind,
              e.inbox_id, e.url, e.secret, e.previous_secret,
              e.previous_secret_expires_at > now() AS previous_secret_valid
         FROM claimed c JOIN webhook_endpoints e ON e.id = c.endpoint_id`,
      [deliveryId, this.lockSeconds],
    );
    return rows[0] ?? null;
  }

  /** Gives a claimed delivery back untouched (its endpoint was at capacity here). */
  private async unclaim(claimed: ClaimedDelivery): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_deliveries SET locked_until = NULL, attempts = attempts - 1 WHERE id = $1`,
      [claimed.id],
    );
  }

  private async target(
    endpoint: ClaimedDelivery,
  ): Promise<{ url: string; secrets: string[] } | null> {
    if (endpoint.kind === 'account') {
      if (!endpoint.url || !endpoint.secret) return null;
      return {
        url: endpoint.url,
        secrets: [
          endpoint.secret,
          ...(endpoint.previous_secret && endpoint.previous_secret_valid
            ? [endpoint.previous_secret]
            : []),
        ],
      };
    }
    const inbox = await this.queries
      .execute(new FindInboxQuery({ accountId: endpoint.account_id, inboxId: endpoint.inbox_id! }))
      .catch((error: unknown) => {
        if (error instanceof NotFoundError) return null;
        throw error;
      });
    return inbox?.webhookUrl ? { url: inbox.webhookUrl, secrets: inbox.webhookSecrets } : null;
  }

  private async send(url: string, secrets: string[], event: EventRecord): Promise<AttemptResult> {
    const body = JSON.stringify(eventBody(event));
    const headers = {
      ...signedHeaders(event.eventId, body, secrets),
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
    };
    try {
      const response = await this.client.post(url, body, headers);
      const retryAfter = response.headers['retry-after'];
      return {
        outcome: classifyResponse(
          response.status,
          Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
        ),
        statusCode: response.status,
        durationMs: response.durationMs,
        excerpt: response.excerpt,
        error: null,
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return {
        outcome: { kind: 'retry', reason: message, retryAfterMs: null },
        statusCode: null,
        durationMs: error instanceof OutboundError ? error.durationMs : 0,
        excerpt: null,
        error: message,
      };
    }
  }

  /**
   * The common case in one statement: log the attempt, mark the delivery delivered, clear the
   * endpoint's failure streak, and find the next pending delivery of the stream to wake.
   */
  private async recordDelivered(claimed: ClaimedDelivery, result: AttemptResult): Promise<void> {
    const next: { id: string }[] = await this.dataSource.query(
      `WITH attempt AS (
         INSERT INTO webhook_delivery_attempts (delivery_id, status_code, duration_ms, response_excerpt)
         VALUES ($1, $2, $3, $4)),
       delivered AS (
         UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now(), locked_until = NULL,
                last_status_code = $2, last_error = NULL WHERE id = $1),
       healthy AS (
         UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $5 AND failing_since IS NOT NULL)
       SELECT id FROM webhook_deliveries
        WHERE endpoint_id = $5 AND stream = $6 AND status = 'pending' AND id <> $1
        ORDER BY sequence LIMIT 1`,
      [
        claimed.id,
        result.statusCode,
        result.durationMs,
        result.excerpt,
        claimed.endpoint_id,
        claimed.stream,
      ],
    );
    await this.scheduler.wake(
      next.map((row) => ({ id: String(row.id), endpointId: claimed.endpoint_id })),
      `k${claimed.id}`,
    );
  }

  private async record(
    claimed: ClaimedDelivery,
    event: EventRecord | undefined,
    result: AttemptResult,
  ): Promise<void> {
    const { outcome } = result;
    const delay =
      outcome.kind === 'retry'
        ? nextDelayMs(claimed.attempts, this.schedule, outcome.retryAfterMs, this.retryAfterCapMs)
        : null;
    const final = outcome.kind === 'gone' || (outcome.kind === 'retry' && delay === null);
    const error =
      result.error ??
      (outcome.kind === 'retry'
        ? outcome.reason
        : outcome.kind === 'gone' && result.statusCode === 410
          ? 'answered 410 Gone'
          : null);

    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO webhook_delivery_attempts (delivery_id, status_code, duration_ms, response_excerpt, error)
         VALUES ($1, $2, $3, $4, $5)`,
        [claimed.id, result.statusCode, result.durationMs, result.excerpt, error],
      );
      if (final) {
        await manager.query(
          `UPDATE webhook_deliveries SET status = 'failed', failed_at = now(), locked_until = NULL,
                  last_status_code = $2, last_error = $3 WHERE id = $1`,
          [claimed.id, result.statusCode, error],
        );
      } else {
        await manager.query(
          `UPDATE webhook_deliveries SET next_attempt_at = now() + make_interval(secs => $2), locked_until = NULL,
                  last_status_code = $3, last_error = $4 WHERE id = $1`,
          [claimed.id, delay! / 1000, result.statusCode, error],
        );
      }
      if (outcome.kind === 'gone' && result.statusCode === 410) {
        await manager.query(
          `UPDATE webhook_endpoints SET disabled_at = now(), disabled_reason = $2 WHERE id = $1 AND disabled_at IS NULL`,
          [claimed.endpoint_id, 'The receiver answered 410 Gone'],
        );
      }
      // Disable an endpoint that has failed without a single success for too long.
      await manager.query(
        `UPDATE webhook_endpoints
            SET failing_since = coalesce(failing_since, now()),
                disabled_at = CASE WHEN disabled_at IS NULL AND failing_since < now() - make_interval(secs => $2) THEN now() ELSE disabled_at END,
                disabled_reason = CASE WHEN disabled_at IS NULL AND failing_since < now() - make_interval(secs => $2)
                  THEN 'Deliveries failed continuously since ' || to_char(failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                  ELSE disabled_reason END
          WHERE id = $1`,
        [claimed.endpoint_id, this.disableAfterMs / 1000],
      );
    });

    if (!final) {
      await this.scheduler.wake([claimed.id], `a${claimed.attempts}`, delay!);
      return;
    }
    if (claimed.kind === 'inbox' && event) await this.markMessageFailed(event, error);
    await this.wakeNext(claimed);
  }

  /** The next delivery of the same stream to the endpoint, now that this one is settled. */
  private async wakeNext(claimed: ClaimedDelivery): Promise<void> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM webhook_deliveries WHERE endpoint_id = $1 AND stream = $2 AND status = 'pending'
        ORDER BY sequence LIMIT 1`,
      [claimed.endpoint_id, claimed.stream],
    );
    await this.scheduler.wake(
      rows.map((row) => ({ id: String(row.id), endpointId: claimed.endpoint_id })),
      `k${claimed.id}`,
    );
  }

  /** An outgoing message whose webhook to its API inbox finally failed is marked failed. */
  private async markMessageFailed(event: EventRecord, error: string | null): Promise<void> {
    const payload = event.payload as { id?: number; message_type?: string };
    if (
      event.name !== 'message_created' ||
      payload.message_type !== 'outgoing' ||
      !event.conversationId ||
      !payload.id
    )
      return;
    await this.commands
      .execute(
        new UpdateMessageCommand(
          event.conversationId,
          payload.id,
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
