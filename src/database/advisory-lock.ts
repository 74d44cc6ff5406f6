import type { EntityManager } from 'typeorm';

/**
 * Holds a transaction-scoped advisory lock on `key` until the transaction ends, so that a
 * check-then-write (a unique name, a per-user limit) is exact under concurrency.
 */
export async function advisoryLock(manager: EntityManager, key: string): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
}
