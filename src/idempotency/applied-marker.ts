import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource } from 'typeorm';
import type { EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';
import { HeldKey, IdempotencyStore } from './idempotency.store.js';

/** The key of the request running in this async context, while its handler runs. */
interface ActiveKey extends HeldKey {
  /** Cleared when the handler settles: work it left running in the background is not its own. */
  active: boolean;
}

const activeKeys = new AsyncLocalStorage<ActiveKey>();

/**
 * Runs `handler` (the request's controller, which commits its own transactions) so that every
 * transaction it commits also marks `held` applied; returns what it returns.
 */
export async function runApplyingKey<T>(held: HeldKey, handler: () => Promise<T>): Promise<T> {
  const active: ActiveKey = { ...held, active: true };
  try {
    return await activeKeys.run(active, handler);
  } finally {
    active.active = false;
  }
}

/**
 * A TypeORM subscriber: just before any transaction commits on behalf of a request that holds
 * an Idempotency-Key, it marks the key applied through that transaction's own connection. So the
 * mark commits if and only if the business change does (a domain error that rolls the
 * transaction back rolls the mark back too), whatever happens to the process afterwards.
 *
 * Registered on the application's DataSource by the idempotency module itself (Nest's injectable
 * subscriber pattern), since it only has a meaning next to the interceptor that claims the keys.
 */
@Injectable()
export class IdempotencyAppliedMarker
  implements EntitySubscriberInterface, OnModuleInit, OnModuleDestroy
{
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: IdempotencyStore,
  ) {}

  onModuleInit(): void {
    this.dataSource.subscribers.push(this);
  }

  onModuleDestroy(): void {
    const index = this.dataSource.subscribers.indexOf(this);
    if (index >= 0) this.dataSource.subscribers.splice(index, 1);
  }

  beforeTransactionCommit(event: TransactionCommitEvent): Promise<void> | void {
    const held = activeKeys.getStore();
    if (!held?.active) return;
    return this.store.markApplied(event.queryRunner, held);
  }
}
