import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import type { Environment } from '../config/index.js';

export type Claim =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'mismatch' }
  | { kind: 'in_flight' };

/**
 * Idempotency keys in PostgreSQL (durable: a Redis flush must not let a retry create twice).
 * The primary key (scope, key) makes claiming atomic across every server process.
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
    for (let attempt = 0; attempt < 3; attempt++) {
      const inserted = await this.dataSource.query(
        `INSERT INTO idempotency_keys (scope, key, request_hash, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(hours => $4))
         ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
        [scope, key, fingerprint, this.ttlHours],
      );
      if (inserted.length > 0) return { kind: 'claimed' };

      const [row] = await this.dataSource.query(
        `SELECT request_hash, response_status, response_body, completed_at,
                expires_at < now() AS expired,
                locked_at < now() - make_interval(secs => $3) AS abandoned
           FROM idempotency_keys WHERE scope = $1 AND key = $2`,
        [scope, key, this.lockTimeoutMs / 1000],
      );
      if (!row) continue; // released meanwhile: try to claim again
      if (row.expired) {
        await this.release(scope, key);
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
      // The first request never answered (its process died): let this one take over.
      const taken = await this.dataSource.query(
        `UPDATE idempotency_keys SET locked_at = now() WHERE scope = $1 AND key = $2 AND completed_at IS NULL
           AND locked_at < now() - make_interval(secs => $3) RETURNING key`,
        [scope, key, this.lockTimeoutMs / 1000],
      );
      if (taken[1] > 0) return { kind: 'claimed' };
    }
    return { kind: 'in_flight' };
  }

  async complete(scope: string, key: string, status: number, body: unknown): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET response_status = $3, response_body = $4, completed_at = now()
        WHERE scope = $1 AND key = $2`,
      [scope, key, status, body === undefined ? null : JSON.stringify(body)],
    );
  }

  /** Forgets a key whose request failed, so the client may retry it (fixed) with the same key. */
  async release(scope: string, key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2`, [
      scope,
      key,
    ]);
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
