import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import type { Environment } from '../config/index.js';
import { IdempotencyKeyInFlightError } from './idempotency.errors.js';
import { IdempotencySql } from './idempotency-sql.js';

/** A key held by one attempt of a request: `claimId` is drawn anew by every claim or takeover. */
export interface HeldKey {
  scope: string;
  key: string;
  claimId: string;
}

export type Claim =
  | { kind: 'claimed'; claimId: string }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'mismatch' }
  | { kind: 'in_flight' }
  | { kind: 'answer_lost'; appliedAt: Date };

/**
 * Idempotency keys in PostgreSQL (durable: a Redis flush must not let a retry create twice).
 * The primary key (scope, key) makes claiming atomic across every server process.
 *
 * A key's life: claimed (in flight) -> applied (`applied_at`, set inside the request's own
 * transaction by the outbox's events statement or by `markKeysApplied`, so it commits exactly
 * when the request's changes do) -> answered (`completed_at`, the answer to replay). A key that failed before anything was applied is
 * deleted, so the client may retry, fixed, with the same key; one that was applied is never run
 * again, with or without an answer.
 */
@Injectable()
export class IdempotencyStore implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(IdempotencyStore.name);
  private readonly ttlHours: number;
  private readonly lockTimeoutMs: number;
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    config: ConfigService<Environment, true>,
  ) {
    this.ttlHours = config.get('IDEMPOTENCY_TTL_HOURS', { infer: true });
    this.lockTimeoutMs = config.get('IDEMPOTENCY_LOCK_TIMEOUT_MS', { infer: true });
  }

  onModuleInit(): void {
    this.sweeper = setInterval(() => void this.sweep(), 10 * 60_000).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  async claim(scope: string, key: string, fingerprint: string): Promise<Claim> {
    const claimId = randomUUID();
    for (let attempt = 0; attempt < 3; attempt++) {
      const inserted = await this.dataSource.query(
        `INSERT INTO idempotency_keys (scope, key, request_hash, expires_at, claim_id)
         VALUES ($1, $2, $3, now() + make_interval(hours => $4), $5)
         ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
        [scope, key, fingerprint, this.ttlHours, claimId],
      );
      if (inserted.length > 0) return { kind: 'claimed', claimId };

      const [row] = await this.dataSource.query(
        `SELECT request_hash, response_status, response_body, completed_at, applied_at,
                expires_at < now() AS expired,
                locked_at < now() - make_interval(secs => $3) AS abandoned
           FROM idempotency_keys WHERE scope = $1 AND key = $2`,
        [scope, key, this.lockTimeoutMs / 1000],
      );
      if (!row) continue; // released meanwhile: try to claim again
      if (row.expired) {
        await this.dataSource.query(
          `DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND expires_at < now()`,
          [scope, key],
        );
        continue;
      }
      if (row.request_hash !== fingerprint) return { kind: 'mismatch' };
      if (row.completed_at) {
        // Stored as text, so the replay has the first answer's exact key order.
        return {
          kind: 'replay',
          status: row.response_status,
          body: row.response_body === null ? undefined : JSON.parse(row.response_body),
        };
      }
      if (!row.abandoned) return { kind: 'in_flight' };
      // Applied, but its request will never answer (its process died, or it failed after the
      // commit): running it again would apply it twice.
      if (row.applied_at) return { kind: 'answer_lost', appliedAt: row.applied_at };
      // The first request never applied anything and stopped answering: let this one take over.
      // Its new claim_id fences the first out, should it wake up and try to commit after all.
      const [, taken] = await this.dataSource.query(
        `UPDATE idempotency_keys SET locked_at = now(), claim_id = $4
          WHERE scope = $1 AND key = $2 AND completed_at IS NULL AND applied_at IS NULL
            AND locked_at < now() - make_interval(secs => $3)`,
        [scope, key, this.lockTimeoutMs / 1000, claimId],
      );
      if (taken > 0) return { kind: 'claimed', claimId };
    }
    return { kind: 'in_flight' };
  }

  async complete({ scope, key, claimId }: HeldKey, status: number, body: unknown): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET response_status = $4, response_body = $5, completed_at = now()
        WHERE scope = $1 AND key = $2 AND claim_id = $3`,
      [scope, key, claimId, status, body === undefined ? null : JSON.stringify(body)],
    );
  }

  /**
   * After the request failed: forgets the key when nothing was applied, so that the client may
   * retry (fixed) with the same key. Otherwise keeps it, unlocked, so that retries learn at once
   * that it was applied (answer lost) rather than waiting for the lock timeout.
   *
   * The database decides, not this process: a COMMIT whose acknowledgement was lost may well
   * have committed, and its mark with it. Should the database be unreachable, the key simply
   * stays locked, and after the lock timeout a retry is judged by `applied_at` the same way.
   */
  async settleFailed({ scope, key, claimId }: HeldKey): Promise<void> {
    try {
      const [, released] = await this.dataSource.query(
        `DELETE FROM idempotency_keys
          WHERE scope = $1 AND key = $2 AND claim_id = $3 AND applied_at IS NULL`,
        [scope, key, claimId],
      );
      if (released > 0) return;
      await this.dataSource.query(
        `UPDATE idempotency_keys SET locked_at = '-infinity'
          WHERE scope = $1 AND key = $2 AND claim_id = $3 AND completed_at IS NULL`,
        [scope, key, claimId],
      );
    } catch (error) {
      this.logger.warn(
        { err: error, scope, key },
        'Could not settle the Idempotency-Key of a failed request; it stays locked until the lock timeout',
      );
    }
  }

  private async sweep(): Promise<void> {
    try {
      await this.dataSource.query(
        `DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE expires_at < now() LIMIT 10000)`,
      );
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not delete expired idempotency keys');
    }
  }
}

/**
 * Marks the keys applied, in one statement inside the transaction `manager` is about to commit:
 * the marks commit if and only if that transaction's changes do. Also refreshes their locks,
 * since the requests are evidently alive. When a key was taken over meanwhile, throws so that
 * the transaction rolls back: only the current holder's changes may be applied. (The outbox
 * marks them inside its events statement instead, with IdempotencySql.markApplied.)
 */
export async function markKeysApplied(
  manager: EntityManager,
  held: readonly HeldKey[],
): Promise<void> {
  if (held.length === 0) return;
  const [{ marked }] = await manager.query(
    `WITH marked AS (${IdempotencySql.markApplied('$1', '$2', '$3')})
     SELECT count(*)::int AS marked FROM marked`,
    [held.map((key) => key.scope), held.map((key) => key.key), held.map((key) => key.claimId)],
  );
  keysMarked(held, marked);
}

/**
 * After a statement that marked keys with IdempotencySql.markApplied: throws unless it marked
 * every one of them, so that the transaction rolls back.
 */
export function keysMarked(held: readonly HeldKey[], marked: number): void {
  if (marked < held.length) throw new IdempotencyKeyInFlightError();
}
