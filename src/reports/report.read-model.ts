import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { PreparedQuery } from '../database/index.js';

/**
 * The reports module's reads: every report is a sum over rollup rows (one per dimension key
 * and UTC hour or day), never a scan of messages or conversations. The rollup indexes carry
 * every counter, so these reads are index-only scans: keep every column a report reads in them
 * (migration 1795494000000). Live counts (open, unattended) read the projection's per-assignee
 * counts.
 */

/** The report statements as prepared statements, one per text (a few dozen texts in all). */
const statements = new Map<string, PreparedQuery<unknown>>();

/**
 * Runs a report statement prepared: a report reads a few thousand index entries in about a
 * millisecond, and planning its unions of ranges took as long again, on every request.
 */
function prepared<Row>(manager: EntityManager, text: string, values: unknown[]): Promise<Row[]> {
  let statement = statements.get(text);
  if (!statement) {
    const digest = createHash('sha256').update(text).digest('hex').slice(0, 20);
    statement = new PreparedQuery<unknown>(`reports_${digest}`, text);
    statements.set(text, statement);
  }
  return statement.rows(manager, values) as Promise<Row[]>;
}

export const METRICS = [
  'conversations_count',
  'incoming_messages_count',
  'outgoing_messages_count',
  'avg_first_response_time',
  'avg_resolution_time',
  'resolutions_count',
  'reply_time',
  'bot_handoffs_count',
] as const;
export type Metric = (typeof METRICS)[number];

export const GROUP_BYS = ['day', 'week', 'month', 'year'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** What a report covers: one dimension key of an account, a range of UTC hours. */
export interface ReportScope {
  accountId: number;
  dimension: 'account' | 'agent' | 'inbox' | 'team' | 'label';
  key: string;
  since: Date;
  until: Date;
  businessHours: boolean;
}

/** SQL for a metric over rollup rows: its value, and for averages the number averaged. */
function metricSql(metric: Metric, businessHours: boolean): { value: string; count?: string } {
  const bh = businessHours ? '_bh' : '';
  switch (metric) {
    case 'conversations_count':
      return { value: 'sum(conversations)' };
    case 'incoming_messages_count':
      return { value: 'sum(incoming_messages)' };
    case 'outgoing_messages_count':
      return { value: 'sum(outgoing_messages)' };
    case 'resolutions_count':
      return { value: 'sum(resolutions)' };
    case 'bot_handoffs_count':
      return { value: 'sum(bot_handoffs)' };
    case 'avg_first_response_time':
      return {
        value: `sum(first_response${bh}_sum) / nullif(sum(first_responses), 0)`,
        count: 'sum(first_responses)',
      };
    case 'avg_resolution_time':
      return {
        value: `sum(resolution${bh}_sum) / nullif(sum(resolutions), 0)`,
        count: 'sum(resolutions)',
      };
    case 'reply_time':
      return { value: `sum(reply${bh}_sum) / nullif(sum(replies), 0)`, count: 'sum(replies)' };
  }
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The boundaries of a range read from both grains: whole UTC days from the daily rollups, the
 * hours before the first and after the last whole day from the hourly ones.
 */
function grains(since: Date, until: Date): [Date, Date, Date, Date] {
  const start = Math.floor(since.getTime() / HOUR_MS) * HOUR_MS;
  const end = until.getTime();
  const firstDay = Math.ceil(start / DAY_MS) * DAY_MS;
  const lastDay = Math.floor(end / DAY_MS) * DAY_MS;
  if (firstDay >= lastDay) return [new Date(start), new Date(end), new Date(end), new Date(end)];
  return [new Date(start), new Date(firstDay), new Date(lastDay), new Date(end)];
}

/**
 * `(SELECT <columns> ...)`: the rollup rows of `where` in the range whose grains() are the
 * parameters $n..$n+3, as one row set (hours [a, b), days [b, c), hours [c, d)).
 */
function rangeRows(columns: string, where: string, n: number): string {
  const [a, b, c, d] = [n, n + 1, n + 2, n + 3].map((i) => `$${i}::timestamptz`);
  return `(SELECT ${columns} FROM report_rollups WHERE ${where} AND hour >= ${a} AND hour < ${b}
           UNION ALL
           SELECT ${columns} FROM report_rollups_daily WHERE ${where} AND day >= ${b} AND day < ${c}
           UNION ALL
           SELECT ${columns} FROM report_rollups WHERE ${where} AND hour >= ${c} AND hour < ${d})`;
}

const ALL_COUNTERS = `dimension_key, conversations, incoming_messages, outgoing_messages, resolutions,
  resolution_sum, resolution_bh_sum, first_responses, first_response_sum, first_response_bh_sum,
  replies, reply_sum, reply_bh_sum, bot_handoffs, frt_under_1h, frt_1_4h, frt_4_8h, frt_8_24h, frt_over_24h`;

export interface TimeseriesPoint {
  value: number;
  timestamp: number;
  count?: number;
}

/**
 * One value per period (day, week from Monday, month, year) of the range, in the zone
 * `offsetSeconds` east of UTC; periods without data are 0. Timestamps are the periods' starts.
 */
export async function timeseries(
  manager: EntityManager,
  scope: ReportScope,
  metric: Metric,
  groupBy: GroupBy,
  offsetSeconds: number,
): Promise<TimeseriesPoint[]> {
  const { value, count } = metricSql(metric, scope.businessHours);
  const local = (column: string) =>
    `date_trunc($5, (${column}) AT TIME ZONE 'UTC' + make_interval(secs => $6))`;
  const rows = await prepared<{ timestamp: string; value: number | null; count: string | null }>(
    manager,
    `WITH periods AS (
         SELECT generate_series(${local('$3::timestamptz')}, ${local("$4::timestamptz - interval '1 second'")},
                                ('1 ' || $5)::interval) AS period),
       data AS (
         SELECT ${local('hour')} AS period, ${value} AS value${count ? `, ${count} AS count` : ''}
           FROM report_rollups
          WHERE account_id = $1 AND dimension = $2 AND dimension_key = $7
            AND hour >= date_trunc('hour', $3::timestamptz) AND hour < $4
          GROUP BY 1)
       SELECT extract(epoch FROM p.period - make_interval(secs => $6))::bigint AS timestamp,
              coalesce(d.value, 0)::float8 AS value${count ? ', coalesce(d.count, 0) AS count' : ''}
         FROM periods p LEFT JOIN data d ON d.period = p.period
        ORDER BY p.period`,
    [scope.accountId, scope.dimension, scope.since, scope.until, groupBy, offsetSeconds, scope.key],
  );
  return rows.map((row) => ({
    value: Number(row.value),
    timestamp: Number(row.timestamp),
    ...(count ? { count: Number(row.count) } : {}),
  }));
}

export interface Summary {
  conversations_count: number;
  incoming_messages_count: number;
  outgoing_messages_count: number;
  avg_first_response_time: number;
  avg_resolution_time: number;
  resolutions_count: number;
  reply_time: number;
}

const SUMMARY_COLUMNS = [
  'conversations_count',
  'incoming_messages_count',
  'outgoing_messages_count',
  'avg_first_response_time',
  'avg_resolution_time',
  'resolutions_count',
  'reply_time',
] as const;

/**
 * The summary of the range and of the range of the same length just before it, in one
 * statement (one round trip, one connection).
 */
export async function summaryWithPrevious(
  manager: EntityManager,
  scope: ReportScope,
): Promise<{ current: Summary; previous: Summary }> {
  const previousSince = new Date(2 * scope.since.getTime() - scope.until.getTime());
  const columns = SUMMARY_COLUMNS.map(
    (metric) => `coalesce(${metricSql(metric, scope.businessHours).value}, 0)::float8 AS ${metric}`,
  ).join(', ');
  const where = 'account_id = $1 AND dimension = $2 AND dimension_key = $3';
  const rows = await prepared<{ previous: boolean } & Record<string, number>>(
    manager,
    `SELECT previous, ${columns}
       FROM (SELECT false AS previous, * FROM ${rangeRows(ALL_COUNTERS, where, 4)} c
             UNION ALL
             SELECT true, * FROM ${rangeRows(ALL_COUNTERS, where, 8)} p) r
      GROUP BY previous`,
    [
      scope.accountId,
      scope.dimension,
      scope.key,
      ...grains(scope.since, scope.until),
      ...grains(previousSince, scope.since),
    ],
  );
  const summaryOf = (previous: boolean) => {
    const row = rows.find((r) => r.previous === previous);
    return Object.fromEntries(
      SUMMARY_COLUMNS.map((metric) => [metric, Number(row?.[metric] ?? 0)]),
    ) as unknown as Summary;
  };
  return { current: summaryOf(false), previous: summaryOf(true) };
}

export interface GroupSummary {
  key: string;
  conversations_count: number;
  resolved_conversations_count: number;
  avg_resolution_time: number | null;
  avg_first_response_time: number | null;
  avg_reply_time: number | null;
  outgoing_messages_count: number;
}

/** Per key of a dimension (each agent, inbox, team, label): counts and averages in the range. */
export async function groupSummaries(
  manager: EntityManager,
  scope: Omit<ReportScope, 'key' | 'dimension'> & { dimension: string },
): Promise<Map<string, GroupSummary>> {
  const bh = scope.businessHours ? '_bh' : '';
  const rows = await prepared<GroupSummary>(
    manager,
    `SELECT dimension_key AS key, sum(conversations)::int AS conversations_count,
            sum(resolutions)::int AS resolved_conversations_count,
            sum(resolution${bh}_sum) / nullif(sum(resolutions), 0) AS avg_resolution_time,
            sum(first_response${bh}_sum) / nullif(sum(first_responses), 0) AS avg_first_response_time,
            sum(reply${bh}_sum) / nullif(sum(replies), 0) AS avg_reply_time,
            sum(outgoing_messages)::int AS outgoing_messages_count
       FROM ${rangeRows(ALL_COUNTERS, 'account_id = $1 AND dimension = $2', 3)} r
      GROUP BY dimension_key`,
    [scope.accountId, scope.dimension, ...grains(scope.since, scope.until)],
  );
  return new Map(rows.map((row) => [row.key, row]));
}

export interface FrtDistribution {
  '0-1h': number;
  '1-4h': number;
  '4-8h': number;
  '8-24h': number;
  '24h+': number;
}

export async function firstResponseDistribution(
  manager: EntityManager,
  accountId: number,
  since: Date,
  until: Date,
): Promise<FrtDistribution> {
  const [row] = await prepared<FrtDistribution>(
    manager,
    `SELECT coalesce(sum(frt_under_1h), 0)::int AS "0-1h", coalesce(sum(frt_1_4h), 0)::int AS "1-4h",
            coalesce(sum(frt_4_8h), 0)::int AS "4-8h", coalesce(sum(frt_8_24h), 0)::int AS "8-24h",
            coalesce(sum(frt_over_24h), 0)::int AS "24h+"
       FROM ${rangeRows(ALL_COUNTERS, "account_id = $1 AND dimension = 'account' AND dimension_key = $1::text", 2)} r`,
    [accountId, ...grains(since, until)],
  );
  return row as FrtDistribution;
}

export interface LiveCounts {
  open: number;
  unattended: number;
  unassigned: number;
}

/**
 * Open conversations now, per assignee (NULL: unassigned): open and unattended counts, as the
 * projection keeps them (a few rows per account, whatever the number of conversations).
 */
export async function liveCounts(
  manager: EntityManager,
  accountId: number,
  assigneeIds?: number[],
): Promise<Map<number | null, LiveCounts>> {
  const rows = await prepared<{ assignee_id: number | null; open: number; unattended: number }>(
    manager,
    `SELECT nullif(assignee_id, 0) AS assignee_id, open, unattended
         FROM report_open_counts
        WHERE account_id = $1 ${assigneeIds ? 'AND assignee_id = ANY($2::int[])' : ''}`,
    assigneeIds ? [accountId, assigneeIds] : [accountId],
  );
  return new Map(
    rows.map((row) => [
      row.assignee_id,
      { open: row.open, unattended: row.unattended, unassigned: 0 },
    ]),
  );
}

export interface ReportingEventRecord {
  id: number;
  name: string;
  value: number;
  value_in_business_hours: number;
  event_start_time: string;
  event_end_time: string;
  account_id: number;
  conversation_id: number | null;
  inbox_id: number | null;
  user_id: number | null;
  created_at: string;
  updated_at: string;
}

const EVENT_COLUMNS = `id::int AS id, name, value, value_in_business_hours,
  to_char(event_start_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS event_start_time,
  to_char(event_end_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS event_end_time,
  account_id, display_id AS conversation_id, inbox_id, user_id,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at`;

export interface ReportingEventFilter {
  accountId: number;
  since?: Date;
  until?: Date;
  inboxId?: number;
  userId?: number;
  name?: string;
  page: number;
  perPage: number;
}

export async function listReportingEvents(
  manager: EntityManager,
  filter: ReportingEventFilter,
): Promise<{ count: number; rows: ReportingEventRecord[] }> {
  const params: unknown[] = [filter.accountId];
  const where = ['account_id = $1'];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.since) add('created_at >= ?', filter.since);
  if (filter.until) add('created_at < ?', filter.until);
  if (filter.inboxId !== undefined) add('inbox_id = ?', filter.inboxId);
  if (filter.userId !== undefined) add('user_id = ?', filter.userId);
  if (filter.name) add('name = ?', filter.name);
  const [{ count }] = await manager.query(
    `SELECT count(*)::int AS count FROM reporting_events WHERE ${where.join(' AND ')}`,
    params,
  );
  const rows: ReportingEventRecord[] = await manager.query(
    `SELECT ${EVENT_COLUMNS} FROM reporting_events WHERE ${where.join(' AND ')}
      ORDER BY created_at, id LIMIT ${filter.perPage} OFFSET ${(filter.page - 1) * filter.perPage}`,
    params,
  );
  return { count, rows };
}

export async function conversationReportingEvents(
  manager: EntityManager,
  conversationId: number,
): Promise<ReportingEventRecord[]> {
  return manager.query(
    `SELECT ${EVENT_COLUMNS} FROM reporting_events WHERE conversation_id = $1 ORDER BY created_at, id`,
    [conversationId],
  );
}
