/**
 * The outbox's SQL read model for other modules' statements: the pieces of SQL that read
 * `domain_events` inside another module's query (the webhook claim, recovery and delivery
 * list), so those stay one statement while only the outbox names its table
 * (scripts/check-sql-ownership.mjs). The joined rows have EventRow's columns.
 */
export const OutboxSql = {
  /** `JOIN domain_events <as>`: the event row whose id is `eventRowId`. */
  joinEvent: (as: string, eventRowId: string): string =>
    `JOIN domain_events ${as} ON ${as}.id = ${eventRowId}`,

  /** `LEFT JOIN domain_events <as>`: the event row `eventRowId`, NULL once it was pruned. */
  leftJoinEvent: (as: string, eventRowId: string): string =>
    `LEFT JOIN domain_events ${as} ON ${as}.id = ${eventRowId}`,

  /** `JOIN domain_events <as>`: every stored event of the account `accountId`. */
  joinAccountEvents: (as: string, accountId: string): string =>
    `JOIN domain_events ${as} ON ${as}.account_id = ${accountId}`,

  /**
   * True while an event of `stream` earlier than `sequence` is not dispatched yet (its
   * deliveries may not exist yet, so a later one must wait to keep the stream's order).
   */
  undispatchedBefore: (stream: string, sequence: string): string =>
    `EXISTS (SELECT 1 FROM domain_events ev WHERE ev.dispatched_at IS NULL
                  AND ev.stream = ${stream} AND ev.sequence < ${sequence})`,
} as const;
