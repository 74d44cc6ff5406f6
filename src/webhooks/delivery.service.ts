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
import type { WebhookDelivery } from './entities/webhook-delivery.entity.js';
import type { WebhookEndpoint } from './entities/webhook-endpoint.entity.js';
import { classifyResponse, nextDelayMs, parseSchedule } from './retry-policy.js';
import type { AttemptOutcome } from './retry-policy.js';
import { signedHeaders } from './signing.js';

export const USER_AGENT = 'Conversa-Webhooks/0.1.0';

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
  private readonly endpointConcurrency: number;

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
    this.lockSeconds = Math.ceil(config.get('WEBHOOK_TIMEOUT_MS', { infer: true }) / 1000) + 30;
    this.endpointConcurrency = config.get('WEBHOOK_ENDPOINT_CONCURRENCY', { infer: true });
  }

  async attempt(deliveryId: string): Promise<void> {
    const delivery = await this.claim(deliveryId);
    if (!delivery) return;
    const endpoint: WebhookEndpoint = (
      await this.dataSource.query(`SELECT * FROM webhook_endpoints WHERE id = $1`, [
        delivery.endpoint_id,
      ])
    )[0];
    const [event] = await loadEvents(this.dataSource.manager, [delivery.event_row_id]);
    const target = endpoint && event ? await this.target(endpoint) : null;
    const result: AttemptResult = target
      ? await this.send(target.url, target.secrets, event)
      : {
          outcome: { kind: 'gone' },
          statusCode: null,
          durationMs: 0,
          excerpt: null,
          error: 'The endpoint no longer has a URL (webhook removed)',
        };
    await this.record(delivery, endpoint, event, result);
  }

  /**
   * Takes the delivery for one attempt, or returns null when it is not its turn. An earlier event
   * of the stream that is not fanned out yet (another process's relay holds it) may still get a
   * delivery to this endpoint, so it blocks too; the relay wakes this one again afterwards.
   */
  private async claim(deliveryId: string): Promise<WebhookDelivery | null> {
    const [rows] = await this.dataSource.query(
      `UPDATE webhook_deliveries d
          SET locked_until = now() + make_interval(secs => $2), attempts = d.attempts + 1
        WHERE d.id = $1 AND d.status = 'pending' AND d.next_attempt_at <= now()
          AND (d.locked_until IS NULL OR d.locked_until < now())
          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.endpoint_id = d.endpoint_id
                AND p.stream = d.stream AND p.sequence < d.sequence AND p.status = 'pending')
          AND NOT EXISTS (SELECT 1 FROM domain_events ev WHERE ev.dispatched_at IS NULL
                AND ev.stream = d.stream AND ev.sequence < d.sequence)
          AND NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = d.endpoint_id AND e.disabled_at IS NOT NULL)
          AND (SELECT count(*) FROM webhook_deliveries x WHERE x.endpoint_id = d.endpoint_id
                AND x.status = 'pending' AND x.locked_until > now()) < $3
        RETURNING d.*`,
      [deliveryId, this.lockSeconds, this.endpointConcurrency],
    );
    return rows[0] ?? null;
  }

  private async target(
    endpoint: WebhookEndpoint,
  ): Promise<{ url: string; secrets: string[] } | null> {
    if (endpoint.kind === 'account') {
      if (!endpoint.url || !endpoint.secret) return null;
      const overlap =
        endpoint.previous_secret &&
        new Date(endpoint.previous_secret_expires_at ?? 0).getTime() > Date.now();
      return {
        url: endpoint.url,
        secrets: [endpoint.secret, ...(overlap ? [endpoint.previous_secret!] : [])],
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

  private async record(
    delivery: WebhookDelivery,
    endpoint: WebhookEndpoint | undefined,
    event: EventRecord | undefined,
    result: AttemptResult,
  ): Promise<void> {
    const { outcome } = result;
    const delay =
      outcome.kind === 'retry'
        ? nextDelayMs(delivery.attempts, this.schedule, outcome.retryAfterMs, this.retryAfterCapMs)
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
        [delivery.id, result.statusCode, result.durationMs, result.excerpt, error],
      );
      if (outcome.kind === 'delivered') {
        await manager.query(
          `UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now(), locked_until = NULL,
                  last_status_code = $2, last_error = NULL WHERE id = $1`,
          [delivery.id, result.statusCode],
        );
        await manager.query(
          `UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL`,
          [delivery.endpoint_id],
        );
        return;
      }
      if (final) {
        await manager.query(
          `UPDATE webhook_deliveries SET status = 'failed', failed_at = now(), locked_until = NULL,
                  last_status_code = $2, last_error = $3 WHERE id = $1`,
          [delivery.id, result.statusCode, error],
        );
      } else {
        await manager.query(
          `UPDATE webhook_deliveries SET next_attempt_at = now() + make_interval(secs => $2), locked_until = NULL,
                  last_status_code = $3, last_error = $4 WHERE id = $1`,
          [delivery.id, delay! / 1000, result.statusCode, error],
        );
      }
      if (outcome.kind === 'gone' && result.statusCode === 410) {
        await manager.query(
          `UPDATE webhook_endpoints SET disabled_at = now(), disabled_reason = $2 WHERE id = $1 AND disabled_at IS NULL`,
          [delivery.endpoint_id, 'The receiver answered 410 Gone'],
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
        [delivery.endpoint_id, this.disableAfterMs / 1000],
      );
    });

    if (outcome.kind === 'retry' && !final) {
      await this.scheduler.wake([delivery.id], `a${delivery.attempts}`, delay!);
      return;
    }
    if (final && endpoint?.kind === 'inbox' && event) await this.markMessageFailed(event, error);
    await this.wakeNext(delivery);
  }

  /** The next delivery of the same stream to the endpoint, and others waiting on its capacity. */
  private async wakeNext(delivery: WebhookDelivery): Promise<void> {
    const rows: { id: string }[] = await this.dataSource.query(
      `(SELECT id FROM webhook_deliveries WHERE endpoint_id = $1 AND stream = $2 AND status = 'pending'
         ORDER BY sequence LIMIT 1)
       UNION
       (SELECT d.id FROM webhook_deliveries d WHERE d.endpoint_id = $1 AND d.status = 'pending'
          AND d.next_attempt_at <= now() AND (d.locked_until IS NULL OR d.locked_until < now())
          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.endpoint_id = d.endpoint_id
                AND p.stream = d.stream AND p.sequence < d.sequence AND p.status = 'pending')
          ORDER BY d.next_attempt_at LIMIT $3)`,
      [delivery.endpoint_id, delivery.stream, this.endpointConcurrency],
    );
    await this.scheduler.wake(
      rows.map((row) => String(row.id)),
      `k${Date.now()}`,
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
