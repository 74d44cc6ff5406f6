import { AsyncLocalStorage } from 'node:async_hooks';
import type { HeldKey } from './idempotency.store.js';

/** The key of the request running in this async context, while its handler runs. */
interface ActiveKey extends HeldKey {
  /** Cleared when the handler settles: work it left running in the background is not its own. */
  active: boolean;
}

const activeKeys = new AsyncLocalStorage<ActiveKey>();

/**
 * Runs `handler` (the request's controller) so that every unit of work it commits also marks
 * `held` applied, in that same transaction; returns what it returns.
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
 * The Idempotency-Key of the request whose handler is running in this async context, if any;
 * the UnitOfWork marks it applied in every transaction it commits for that request (so the mark
 * commits if and only if the change does). Work after commit runs detached, outside it.
 */
export function requestIdempotencyKey(): HeldKey | undefined {
  const held = activeKeys.getStore();
  return held?.active ? held : undefined;
}
