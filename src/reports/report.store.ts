import type { EntityManager } from 'typeorm';
import type { ProjectionPosition } from '../outbox/index.js';
import { ROLLUP_COUNTERS } from './projection.js';
import type { ConversationState, InboxState, ProjectionBatch } from './projection.js';

/**
 * The reports projection's writes: its position in the outbox, the state it keeps between
 * events, the reporting events and the rollup counters. Every statement here names only the
 * reports module's tables.
 */
const PROJECTION = 'reports';
/** Serialises projector batches (and a rebuild) across processes. */
const LOCK_KEY = 0x7265_706f; // 'repo'

export async function lockProjection(manager: EntityManager, wait: boolean): Promise<boolean> {
  if (wait) {
    await manager.query(`SELECT pg_advisory_xact_lock($1)`, [LOCK_KEY]);
    return true;
  }
  const [row] = await manager.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [LOCK_KEY]);
  return row.locked as boolean;
}

export async function projectionPosition(manager: EntityManager): Promise<ProjectionPosition> {
  const [row] = await manager.query(
    `SELECT last_tx_id::text AS tx_id, last_event_id::text AS event_id FROM report_projection WHERE name = $1`,
    [PROJECTION],
  );
  return row ? { txId: row.tx_id, eventId: row.event_id } : { txId: '0', eventId: '0' };
}

export async function saveProjectionPosition(
  manager: EntityManager,
  position: ProjectionPosition,
): Promise<void> {
  await manager.query(
    `INSERT INTO report_projection (name, last_tx_id, last_event_id, updated_at)
     VALUES ($1, $2::xid8, $3::bigint, now())
     ON CONFLICT (name) DO UPDATE SET last_tx_id = EXCLUDED.last_tx_id,
       last_event_id = EXCLUDED.last_event_id, updated_at = now()`,
    [PROJECTION, position.txId, position.eventId],
  );
}

/** Forgets everything the projection derived, so it can be applied again from the outbox. */
export async function resetProjection(manager: EntityManager): Promise<void> {
  await manager.query(
    `TRUNCATE report_rollups, report_rollups_daily, reporting_events, report_conversations, report_open_counts, report_inboxes, report_projection`,
  );
}

export async function loadState(
  manager: EntityManager,
  batch: ProjectionBatch,
  conversationIds: number[],
  inboxIds: number[],
): Promise<void> {
  if (conversationIds.length > 0) {
    const rows: ConversationState[] = await manager.query(
      `SELECT conversation_id, account_id, inbox_id, display_id, created_at, status, assignee_id,
              team_id, labels, first_reply_at, waiting_since, last_resolved_at, handoff_at
         FROM report_conversations WHERE conversation_id = ANY($1::int[])`,
      [conversationIds],
    );
    for (const row of rows) batch.load(row);
  }
  if (inboxIds.length > 0) {
    const rows: InboxState[] = await manager.query(
      `SELECT inbox_id, account_id, name, channel_type, timezone, working_hours_enabled, working_hours
         FROM report_inboxes WHERE inbox_id = ANY($1::int[])`,
      [inboxIds],
    );
    for (const row of rows) batch.inboxes.set(row.inbox_id, row);
  }
}

const CONVERSATION_COLUMNS = [
  ['conversation_id', 'int'],
  ['account_id', 'int'],
  ['inbox_id', 'int'],
  ['display_id', 'int'],
  ['created_at', 'timestamptz'],
  ['status', 'text'],
  ['assignee_id', 'int'],
  ['team_id', 'int'],
  ['labels', 'text'],
  ['first_reply_at', 'timestamptz'],
  ['waiting_since', 'timestamptz'],
  ['last_resolved_at', 'timestamptz'],
  ['handoff_at', 'timestamptz'],
] as const;

const REPORTING_EVENT_COLUMNS = [
  ['account_id', 'int'],
  ['name', 'text'],
  ['value', 'float8'],
  ['value_in_business_hours', 'float8'],
  ['event_start_time', 'timestamptz'],
  ['event_end_time', 'timestamptz'],
  ['inbox_id', 'int'],
  ['user_id', 'int'],
  ['team_id', 'int'],
  ['conversation_id', 'int'],
  ['display_id', 'int'],
  ['source_event_id', 'bigint'],
  ['created_at', 'timestamptz'],
] as const;

/** `unnest($1::int[], $2::text[], ...)`: one array parameter per column. */
function unnestOf(columns: readonly (readonly [string, string])[], from = 1): string {
  return columns.map(([, type], i) => `$${i + from}::${type}[]`).join(', ');
}

export async function saveBatch(manager: EntityManager, batch: ProjectionBatch): Promise<void> {
  const conversations = [...batch.changedConversations].map((id) => batch.conversations.get(id)!);
  if (conversations.length > 0) {
    const names = CONVERSATION_COLUMNS.map(([name]) => name);
    await manager.query(
      `INSERT INTO report_conversations (${names.join(', ')})
       SELECT c.conversation_id, c.account_id, c.inbox_id, c.display_id, c.created_at, c.status,
              c.assignee_id, c.team_id, c.labels::text[], c.first_reply_at, c.waiting_since,
              c.last_resolved_at, c.handoff_at
         FROM unnest(${unnestOf(CONVERSATION_COLUMNS)}) AS c(${names.join(', ')})
       ON CONFLICT (conversation_id) DO UPDATE SET
         ${names
           .slice(1)
           .map((name) => `${name} = EXCLUDED.${name}`)
           .join(', ')}`,
      CONVERSATION_COLUMNS.map(([name]) =>
        conversations.map((row) =>
          name === 'labels' ? `{${row.labels.map((l) => JSON.stringify(l)).join(',')}}` : row[name],
        ),
      ),
    );
  }
  if (batch.deletedConversations.size > 0)
    await manager.query(`DELETE FROM report_conversations WHERE conversation_id = ANY($1::int[])`, [
      [...batch.deletedConversations],
    ]);
  const inboxes = [...batch.changedInboxes].map((id) => batch.inboxes.get(id)!);
  for (const inbox of inboxes)
    await manager.query(
      `INSERT INTO report_inboxes (inbox_id, account_id, name, channel_type, timezone, working_hours_enabled, working_hours)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
       ON CONFLICT (inbox_id) DO UPDATE SET name = EXCLUDED.name, channel_type = EXCLUDED.channel_type,
         timezone = EXCLUDED.timezone, working_hours_enabled = EXCLUDED.working_hours_enabled,
         working_hours = EXCLUDED.working_hours`,
      [
        inbox.inbox_id,
        inbox.account_id,
        inbox.name,
        inbox.channel_type,
        inbox.timezone,
        inbox.working_hours_enabled,
        JSON.stringify(inbox.working_hours),
      ],
    );
  if (batch.reportingEvents.length > 0) {
    const names = REPORTING_EVENT_COLUMNS.map(([name]) => name);
    await manager.query(
      `INSERT INTO reporting_events (${names.join(', ')})
       SELECT * FROM unnest(${unnestOf(REPORTING_EVENT_COLUMNS)})`,
      REPORTING_EVENT_COLUMNS.map(([name]) => batch.reportingEvents.map((row) => row[name])),
    );
  }
  const openCounts = batch.openCountDeltas();
  if (openCounts.length > 0)
    await manager.query(
      `INSERT INTO report_open_counts AS c (account_id, assignee_id, open, unattended)
       SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::int[])
       ON CONFLICT (account_id, assignee_id) DO UPDATE SET
         open = c.open + EXCLUDED.open, unattended = c.unattended + EXCLUDED.unattended`,
      [
        openCounts.map((row) => row.accountId),
        openCounts.map((row) => row.assigneeId),
        openCounts.map((row) => row.open),
        openCounts.map((row) => row.unattended),
      ],
    );
  const rollups = [...batch.deltas.rows.values()];
  if (rollups.length > 0) {
    await upsertRollups(manager, 'report_rollups', 'hour', rollups, (at) => at);
    await upsertRollups(
      manager,
      'report_rollups_daily',
      'day',
      rollups,
      (at) => new Date(Math.floor(at.getTime() / 86_400_000) * 86_400_000),
    );
  }
}

type RollupRow = ProjectionBatch['deltas']['rows'] extends Map<string, infer R> ? R : never;

/** Adds the batch's deltas to the rollup rows of one grain (hours, or days). */
async function upsertRollups(
  manager: EntityManager,
  table: 'report_rollups' | 'report_rollups_daily',
  period: 'hour' | 'day',
  rows: RollupRow[],
  periodOf: (hour: Date) => Date,
): Promise<void> {
  const counters = ROLLUP_COUNTERS.map((name) => name as string);
  await manager.query(
    `INSERT INTO ${table} AS r (account_id, dimension, dimension_key, ${period}, ${counters.join(', ')})
     SELECT account_id, dimension, dimension_key, ${period}, ${counters.map((name) => `sum(${name})`).join(', ')}
       FROM unnest($1::int[], $2::text[], $3::text[], $4::timestamptz[],
              ${counters.map((_, i) => `$${i + 5}::float8[]`).join(', ')})
         AS d(account_id, dimension, dimension_key, ${period}, ${counters.join(', ')})
      GROUP BY 1, 2, 3, 4
     ON CONFLICT (account_id, dimension, dimension_key, ${period}) DO UPDATE SET
       ${counters.map((name) => `${name} = r.${name} + EXCLUDED.${name}`).join(', ')}`,
    [
      rows.map((row) => row.accountId),
      rows.map((row) => row.dimension),
      rows.map((row) => row.key),
      rows.map((row) => periodOf(row.hour)),
      ...counters.map((name) => rows.map((row) => row.counters[name] ?? 0)),
    ],
  );
}
