import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AsyncResource } from 'node:async_hooks';
import { DataSource } from 'typeorm';
import type { Environment } from '../config/index.js';
import { PreparedQuery } from '../database/index.js';
import { OutboundClient, OutboundError } from '../outbound/index.js';
import { loadEvent, OutboxSql, toStoredEvent } from '../outbox/index.js';
import type { DomainEvent } from '../outbox/index.js';
import { botBody, InProcessReceivers } from './agent-bot-endpoints.js';
import { DeliveryOutcomes } from './delivery-outcomes.service.js';
import type { AttemptResult, ClaimedDelivery } from './delivery-outcomes.service.js';
import { classifyResponse } from './retry-policy.js';
import { signedHeaders } from './signing.js';

export const USER_AGENT = 'Conversa-Webhooks/0.1.0';

/** An event agent bots are not sent (an activity message, a private note): settled as is. */
const NOT_FOR_BOTS: AttemptResult = {
  outcome: { kind: 'delivered' },
  statusCode: null,
  durationMs: 0,
  excerpt: 'Not sent: agent bots do not get this event',
  error: null,
};

/**
 * A claim: up to $2 streams of endpoint $1 whose heads are due, oldest due first, each with its
 * first pending delivery taken for one attempt (held $3 seconds) in a free slot of the
 * endpoint's $2 (see DeliveryService.claim). One row per claimed delivery, or a single row with
 * a NULL id when none was; `looked` counts the heads the claim looked at.
 */
const CLAIM = new PreparedQuery<ClaimedDelivery & { looked: number }>(
  'claim_deliveries',
  `WITH endpoint AS (
         SELECT id FROM webhook_endpoints WHERE id = $1 AND disabled_at IS NULL),
       free AS (
         SELECT slot, row_number() OVER (ORDER BY slot) AS n FROM generate_series(1, $2) slot
          WHERE EXISTS (SELECT 1 FROM endpoint)
            AND slot NOT IN (SELECT l.slot FROM webhook_delivery_leases l
                              WHERE l.endpoint_id = $1 AND l.expires_at > now())),
       candidate AS (
         SELECT h.stream, h.revision FROM webhook_stream_heads h
          WHERE h.endpoint_id = $1 AND h.due_at <= now()
          ORDER BY h.due_at LIMIT (SELECT count(*) FROM free)
          FOR UPDATE SKIP LOCKED),
       head AS (
         SELECT c.stream, c.revision IS DISTINCT FROM seen.revision AS changed,
                d.id, d.sequence, d.attempts, d.next_attempt_at, d.locked_until,
                d.id IS NOT NULL AND ${OutboxSql.undispatchedBefore('c.stream', 'd.sequence')} AS blocked
           FROM candidate c
           LEFT JOIN webhook_stream_heads seen ON seen.endpoint_id = $1 AND seen.stream = c.stream
           LEFT JOIN LATERAL (
             SELECT id, sequence, attempts, next_attempt_at, locked_until FROM webhook_deliveries
              WHERE endpoint_id = $1 AND stream = c.stream AND status = 'pending'
              ORDER BY sequence LIMIT 1) d ON true),
       ready AS (
         SELECT h.*, row_number() OVER (ORDER BY h.next_attempt_at, h.id) AS n FROM head h
          WHERE NOT h.changed AND NOT h.blocked AND h.next_attempt_at <= now()
            AND (h.locked_until IS NULL OR h.locked_until < now())),
       leased AS (
         INSERT INTO webhook_delivery_leases AS l (endpoint_id, slot, delivery_id, attempt, expires_at)
         SELECT $1, f.slot, r.id, r.attempts + 1, now() + make_interval(secs => $3)
           FROM ready r JOIN free f ON f.n = r.n
         ON CONFLICT (endpoint_id, slot) DO UPDATE
            SET delivery_id = excluded.delivery_id, attempt = excluded.attempt, expires_at = excluded.expires_at
          WHERE l.expires_at <= now()
         RETURNING delivery_id, attempt),
       claimed AS (
         UPDATE webhook_deliveries d
            SET locked_until = now() + make_interval(secs => $3), attempts = d.attempts + 1
           FROM leased l
          WHERE d.id = l.delivery_id AND d.attempts = l.attempt - 1 AND d.status = 'pending'
            AND (d.locked_until IS NULL OR d.locked_until < now())
          RETURNING d.id, d.endpoint_id, d.event_row_id, d.stream, d.sequence, d.attempts),
       held AS (
         UPDATE webhook_stream_heads h
            SET sequence = c.sequence, due_at = now() + make_interval(secs => $3),
                leased_until = now() + make_interval(secs => $3)
           FROM claimed c WHERE h.endpoint_id = $1 AND h.stream = c.stream),
       moved AS (
         UPDATE webhook_stream_heads h
            SET sequence = coalesce(n.sequence, h.sequence), leased_until = NULL,
                due_at = CASE WHEN n.id IS NULL THEN NULL
                              WHEN n.blocked THEN now() + interval '1 second'
                              ELSE greatest(n.next_attempt_at, n.locked_until) END
           FROM head n
          WHERE h.endpoint_id = $1 AND h.stream = n.stream AND NOT n.changed
            AND n.stream NOT IN (SELECT stream FROM ready))
       SELECT c.id, c.endpoint_id, c.event_row_id, c.stream, c.attempts, e.account_id, e.kind,
              e.inbox_id, e.agent_bot_id, e.url, e.secret, e.previous_secret,
              e.previous_secret_expires_at > now() AS previous_secret_valid,
              row_to_json(ev) AS event, looked.count::int AS looked
         FROM (SELECT count(*) FROM candidate) looked
         LEFT JOIN (claimed c JOIN webhook_endpoints e ON e.id = c.endpoint_id
                    ${OutboxSql.leftJoinEvent('ev', 'c.event_row_id')}) ON true`,
);

/**
 * Delivers an endpoint's pending deliveries in rounds. A round claims the first pending
 * delivery of up to WEBHOOK_ENDPOINT_CONCURRENCY streams (conversations), sends them at once
 * and records the outcomes, so one endpoint sees each conversation's events in sequence order,
 * a failing conversation holds back only its own, and a slow endpoint holds one worker, not all.
 * Claims lock rows (with SKIP-style rechecks), so workers in several processes share the work
 * and each attempt happens once. Bull jobs only wake an endpoint up; the rows are the truth.
 */
@Injectable()
export class DeliveryService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(DeliveryService.name);
  private readonly lockSeconds: number;
  private readonly timeoutMs: number;
  private readonly roundSize: number;
  /** Endpoints this process is draining; a wake-up during a drain makes it look again. */
  private readonly draining = new Map<number, { again: boolean }>();
  private readonly runs = new Set<Promise<void>>();
  /** An async scope from boot, outside any request, for work started on a request's behalf. */
  private readonly detached = new AsyncResource('conversa.webhook-delivery');
  private stopping = false;
  /** This process delivers (PROCESS_ROLE worker or both) and may drain without a queued job. */
  private readonly worker: boolean;
  private readonly maxDrains: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly client: OutboundClient,
    private readonly outcomes: DeliveryOutcomes,
    private readonly inProcess: InProcessReceivers,
    config: ConfigService<Environment, true>,
  ) {
    // Long enough for the request to time out and its outcome to be written; a process killed
    // mid-attempt holds the delivery (and its stream's later ones) this long.
    this.timeoutMs = config.get('WEBHOOK_TIMEOUT_MS', { infer: true });
    this.lockSeconds = Math.ceil(this.timeoutMs / 1000) + 10;
    this.roundSize = config.get('WEBHOOK_ENDPOINT_CONCURRENCY', { infer: true });
    this.worker = config.get('PROCESS_ROLE', { infer: true }) !== 'api';
    this.maxDrains = config.get('WEBHOOK_CONCURRENCY', { infer: true });
  }

  /**
   * The fast path after a fan-out in a process that delivers: drain the endpoints right here,
   * without a round trip through the queue. Returns the endpoints it did not take (this process
   * only serves the API, is stopping, or already drains WEBHOOK_CONCURRENCY endpoints), to be
   * woken through the queue. A crash mid-drain is covered like a lost job: the relay re-wakes.
   */
  drainHere(endpointIds: number[]): number[] {
    if (!this.worker || this.stopping) return endpointIds;
    const left: number[] = [];
    for (const endpointId of endpointIds) {
      if (this.draining.has(endpointId) || this.draining.size < this.maxDrains) {
        // Outside the request's async context: this work is not the request's (its
        // Idempotency-Key must not be marked by these transactions).
        void this.detached
          .runInAsyncScope(() => this.drain(endpointId))
          .catch((error: unknown) =>
            this.logger.error(
              { err: error, endpointId },
              'Delivering to a webhook endpoint failed',
            ),
          );
      } else left.push(endpointId);
    }
    return left;
  }

  /** Delivers what is due to the endpoint until nothing is; returns at once if already running. */
  async drain(endpointId: number): Promise<void> {
    const running = this.draining.get(endpointId);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false };
    this.draining.set(endpointId, state);
    const run = (async () => {
      do {
        state.again = false;
        while (!this.stopping && (await this.round(endpointId)));
      } while (state.again && !this.stopping);
    })();
    this.runs.add(run);
    try {
      await run;
    } finally {
      this.runs.delete(run);
      this.draining.delete(endpointId);
    }
  }

  /**
   * Shutdown, before any module closes its connections: start no new round and wait for the
   * running ones to record their outcomes.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.runs]);
  }

  /** The endpoint of a delivery (wake-ups queued by an older version named only the delivery). */
  async endpointOf(deliveryId: string): Promise<number | null> {
    const [row] = await this.dataSource.query(
      `SELECT endpoint_id FROM webhook_deliveries WHERE id = $1`,
      [deliveryId],
    );
    return row ? row.endpoint_id : null;
  }

  /** One round; returns whether another may find something. */
  private async round(endpointId: number): Promise<boolean> {
    const rows = await this.claim(endpointId);
    // Heads looked at but none claimed (moved on, or another worker's): look at the next ones.
    const claimed = rows.filter((row) => row.id !== null);
    if (claimed.length === 0) return rows.some((row) => row.looked > 0);
    const events = new Map(
      claimed.map((delivery) => [
        delivery.id,
        delivery.event ? loadEvent(toStoredEvent(delivery.event)) : undefined,
      ]),
    );
    const target = this.target(claimed[0]);
    const results = await Promise.all(
      claimed.map((delivery) => {
        const event = events.get(delivery.id);
        if (!target || !event)
          return Promise.resolve<AttemptResult>({
            outcome: { kind: 'gone' },
            statusCode: null,
            durationMs: 0,
            excerpt: null,
            error: 'The endpoint no longer has a URL (webhook removed)',
          });
        if (delivery.kind !== 'agent_bot') return this.send(target.url, target.secrets, event);
        const body = botBody(event);
        return body
          ? this.sendToBot(target, body, event, delivery.agent_bot_id!)
          : Promise.resolve(NOT_FOR_BOTS);
      }),
    );
    return this.outcomes.record(endpointId, claimed, results, events);
  }

  /**
   * Takes, for one attempt each, the first pending delivery of up to `roundSize` of the
   * endpoint's streams whose heads are due, oldest due first, each in one of the endpoint's
   * `roundSize` slots shared by every process (so a receiver never has more requests in flight
   * from all workers together). A head whose first delivery waits for a retry, is held by an
   * attempt elsewhere, or follows an event not fanned out yet (another process's relay holds it)
   * is moved to when it may go; a head with nothing pending goes idle. The cost is that of the
   * heads looked at, whatever the number of streams waiting. Heads are locked with SKIP LOCKED
   * and slots taken with INSERT ... ON CONFLICT, so two workers never take the same delivery or
   * slot.
   */
  private claim(endpointId: number): Promise<(ClaimedDelivery & { looked: number })[]> {
    return CLAIM.rows(this.dataSource, [endpointId, this.roundSize, this.lockSeconds]);
  }

  /**
   * Where the deliveries go and the secrets to sign with (the previous one too during a
   * rotation's overlap), as the claim read them from the endpoint's row.
   */
  private target(endpoint: ClaimedDelivery): { url: string; secrets: string[] } | null {
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

  /** An agent bot's event: POSTed to its outgoing_url, or handed to its in-process receiver. */
  private async sendToBot(
    target: { url: string; secrets: string[] },
    body: Record<string, unknown>,
    event: DomainEvent,
    agentBotId: number,
  ): Promise<AttemptResult> {
    const receiver = this.inProcess.receiverFor(target.url);
    if (receiver === undefined) return this.send(target.url, target.secrets, event, body);
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      if (!receiver) throw new Error(`No in-process bot is registered as ${target.url}`);
      await Promise.race([
        receiver(body, event, agentBotId),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`did not finish within ${this.timeoutMs} ms`)),
            this.timeoutMs,
          );
        }),
      ]);
      return {
        outcome: { kind: 'delivered' },
        statusCode: null,
        durationMs: Date.now() - started,
        excerpt: null,
        error: null,
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return {
        outcome: { kind: 'retry', reason: message, retryAfterMs: null },
        statusCode: null,
        durationMs: Date.now() - started,
        excerpt: null,
        error: message,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  private async send(
    url: string,
    secrets: string[],
    event: DomainEvent,
    payload: Record<string, unknown> = event.body(),
  ): Promise<AttemptResult> {
    const body = JSON.stringify(payload);
    const headers = {
      ...signedHeaders(event.meta.eventId, body, secrets),
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
}
