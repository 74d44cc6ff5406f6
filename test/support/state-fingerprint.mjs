// A fingerprint of everything the application stores, cheap enough to take around every request.
//
// Per table: the row count and the largest xmin (the id of the transaction that wrote each row
// version). PostgreSQL writes a new row version on every INSERT and UPDATE, with the writing
// transaction's id, so any committed insert or update raises max(xmin) and any delete lowers the
// count: the pair changes whenever a committed statement changed the table (even an UPDATE that
// wrote the same values, which a 4xx should not do either). Row locks (FOR UPDATE) and rolled
// back writes leave it alone. This scans each table once without serialising rows, which keeps
// 100,000 requests affordable where md5(string_agg(t::text)) over every row would not.
//
// Left out, and why:
// - typeorm_migrations: schema bookkeeping, written only by migrations at start-up.
// - audit_logs: every successful administrator write is recorded, also one that changed nothing
//   (removing users who are not members answers 200 as a no-op); the log is of requests.
// - access_tokens.last_used_at: every authenticated request, refused or not, records when its
//   token was last used. That table is digested over its other columns instead (md5 of the rows,
//   it is small), so a 4xx that creates or revokes a token is still caught.
// Rate-limit counters live in Redis and request logs in the log stream, not in the database.
// Idempotency keys are in: a refused request frees its key, so a 4xx leaves that table as it was.

const NOT_DIGESTED = new Set(['typeorm_migrations', 'audit_logs']);

/** Tables whose volatile columns are left out: digested over the remaining columns. */
const VOLATILE_COLUMNS = { access_tokens: ['last_used_at'] };

function quote(identifier) {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** Builds the fingerprint query for the database's current tables. */
export async function stateFingerprint(db) {
  const { rows } = await db.query(
    `SELECT table_name, array_agg(column_name::text ORDER BY ordinal_position) AS columns
       FROM information_schema.columns
      WHERE table_schema = 'public'
        AND table_name IN (SELECT table_name FROM information_schema.tables
                            WHERE table_schema = 'public' AND table_type = 'BASE TABLE')
      GROUP BY table_name ORDER BY table_name`,
  );
  const parts = [];
  const tables = [];
  for (const { table_name: table, columns } of rows) {
    if (NOT_DIGESTED.has(table)) continue;
    tables.push(table);
    const volatile = VOLATILE_COLUMNS[table];
    if (volatile) {
      const kept = columns.filter((column) => !volatile.includes(column));
      const row = `ROW(${kept.map(quote).join(', ')})::text`;
      parts.push(
        `SELECT '${table}' AS t, md5(coalesce(string_agg(${row}, ',' ORDER BY ${row}), '')) AS f FROM ${quote(table)}`,
      );
    } else {
      parts.push(
        `SELECT '${table}' AS t, count(*) || ':' || coalesce(max(xmin::text::bigint), 0) AS f FROM ${quote(table)}`,
      );
    }
  }
  const sql = parts.join('\nUNION ALL\n');
  return {
    tables,
    /** The fingerprint now: `{ table: text }`. */
    async take() {
      const result = await db.query(sql);
      return Object.fromEntries(result.rows.map((row) => [row.t, row.f]));
    },
  };
}

/** Names of the tables whose fingerprints differ. */
export function changedTables(before, after) {
  return Object.keys({ ...before, ...after }).filter((table) => before[table] !== after[table]);
}

/**
 * Waits until the work a write started in the background is done (the outbox dispatched, rules
 * and assignment run): no undispatched event, and the fingerprint unchanged over two more looks.
 * Answers the fingerprint then, and whether it settled before `timeoutMs`.
 */
export async function settle(db, fingerprint, { intervalMs = 15, timeoutMs = 5_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let previous = await fingerprint.take();
  let stableFor = 0;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    const next = await fingerprint.take();
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM domain_events WHERE dispatched_at IS NULL`,
    );
    stableFor = rows[0].n === 0 && changedTables(previous, next).length === 0 ? stableFor + 1 : 0;
    previous = next;
    if (stableFor >= 2) return { fingerprint: next, settled: true };
    if (Date.now() > deadline) return { fingerprint: next, settled: false };
  }
}
