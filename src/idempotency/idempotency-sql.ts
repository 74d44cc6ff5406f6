/**
 * The idempotency module's SQL for other modules' statements: marking the keys of a transaction
 * applied inside the statement that ends it (the outbox's events statement), so a keyed write
 * needs no statement of its own for the mark. Only this module names idempotency_keys
 * (scripts/check-sql-ownership.mjs); values are bound by the caller, never interpolated here.
 */
export const IdempotencySql = {
  /**
   * A data-modifying CTE body that marks applied (and refreshes the lock of) each held key
   * whose scope, key and claim id are at the same place in the three bound arrays. It returns
   * a row per key marked: a key another attempt took over is not (see keysMarked).
   */
  markApplied: (scopes: string, keys: string, claimIds: string): string =>
    `UPDATE idempotency_keys k
        SET applied_at = coalesce(k.applied_at, clock_timestamp()), locked_at = clock_timestamp()
       FROM unnest(${scopes}::varchar[], ${keys}::varchar[], ${claimIds}::uuid[]) AS h(scope, key, claim_id)
      WHERE k.scope = h.scope AND k.key = h.key AND k.claim_id = h.claim_id
      RETURNING k.key`,
} as const;
