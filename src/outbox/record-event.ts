import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/index.js';
import { PreparedQuery } from '../database/index.js';
import { IdempotencySql, keysMarked, markKeysApplied } from '../idempotency/index.js';
import type { HeldKey } from '../idempotency/index.js';
import type { DomainEvent, StoredEvent } from './domain-event.js';

/**
 * Stores a transaction's recorded events in one statement: each stream's counter is bumped once
 * by its number of events (an upsert cannot touch a row twice in one statement), the stream rows
 * are locked in stream order (two transactions sharing streams cannot deadlock on them), each
 * event takes its stream's next sequence in recording order, and rows are inserted in recording
 * order, so ids follow it too (the dispatcher orders by id). RETURNING's order is not the
 * input's: each row comes back with its ordinal (1-based position in the arrays).
 */
interface RecordedRow {
  ordinal: number;
  id: string;
  event_id: string;
  occurred_at: Date;
  sequence: number;
  /** With the keys marked in the same statement: how many were (the same on every row). */
  marked?: number;
}

const recordEventsSql = (marking: boolean) =>
  `WITH recorded AS (
       SELECT * FROM unnest($1::varchar[], $2::int[], $3::int[], $4::int[], $5::varchar[],
                            $6::varchar[], $7::int[], $8::jsonb[]) WITH ORDINALITY
         AS r (name, account_id, inbox_id, conversation_id, stream, actor_type, actor_id, payload, ordinal)),
     per_stream AS (
       SELECT stream, count(*)::int AS recorded FROM recorded GROUP BY stream),
     bumped AS (
       INSERT INTO event_streams AS s (stream, last_sequence)
       SELECT stream, recorded FROM per_stream ORDER BY stream
       ON CONFLICT (stream) DO UPDATE SET last_sequence = s.last_sequence + excluded.last_sequence
       RETURNING stream, last_sequence),
     numbered AS (
       SELECT r.*, (b.last_sequence - p.recorded
                    + row_number() OVER (PARTITION BY r.stream ORDER BY r.ordinal))::int AS sequence
         FROM recorded r JOIN per_stream p USING (stream) JOIN bumped b USING (stream)),
     inserted AS (
       INSERT INTO domain_events
         (name, account_id, inbox_id, conversation_id, stream, sequence, actor_type, actor_id, payload)
       SELECT name, account_id, inbox_id, conversation_id, stream, sequence, actor_type, actor_id, payload
         FROM numbered ORDER BY ordinal
       RETURNING id, event_id, occurred_at, stream, sequence)${
         marking ? `,\n     marked AS (${IdempotencySql.markApplied('$9', '$10', '$11')})` : ''
       }
   SELECT n.ordinal::int AS ordinal, i.id, i.event_id, i.occurred_at, i.sequence${
     marking ? ', (SELECT count(*) FROM marked)::int AS marked' : ''
   }
     FROM inserted i JOIN numbered n USING (stream, sequence)`;

const RECORD_EVENTS = new PreparedQuery<RecordedRow>('record_events', recordEventsSql(false));
/** The same, marking the transaction's Idempotency-Keys applied in the same statement. */
const RECORD_EVENTS_MARKING_KEYS = new PreparedQuery<RecordedRow>(
  'record_events_marking_keys',
  recordEventsSql(true),
);

/** An event a transaction recorded, with its payload as it was when recorded. */
export interface RecordedEvent {
  event: DomainEvent;
  payload: string;
}

export function recorded(event: DomainEvent): RecordedEvent {
  return { event, payload: JSON.stringify(event.toPayload()) };
}

/**
 * Appends events to the outbox inside the caller's transaction, so the change and its events
 * commit together or not at all, and attaches what the outbox assigned (id, sequence, time) to
 * each. The stream rows stay locked until commit, which makes sequence order the commit order
 * within a stream (one conversation's events never interleave). `keys`: the Idempotency-Keys
 * of the requests whose changes the transaction holds, marked applied in the same statement (in
 * one of their own when nothing was recorded); a key another attempt took over makes it throw,
 * so that the transaction rolls back. The UnitOfWork calls this once, right before COMMIT.
 */
export async function recordEvents(
  manager: EntityManager,
  events: readonly RecordedEvent[],
  keys: readonly HeldKey[] = [],
): Promise<void> {
  // One mark per key, even if two works of a batch ran for the same request.
  const held = [...new Map(keys.map((key) => [`${key.scope}\n${key.key}`, key])).values()];
  if (events.length === 0) return markKeysApplied(manager, held);
  const values = [
    events.map(({ event }) => event.name),
    events.map(({ event }) => event.accountId),
    events.map(({ event }) => event.inboxId),
    events.map(({ event }) => event.conversationId),
    events.map(({ event }) => event.stream),
    events.map(({ event }) => event.actor.type),
    events.map(({ event }) => event.actor.id),
    events.map(({ payload }) => payload),
  ];
  const rows =
    held.length === 0
      ? await RECORD_EVENTS.rows(manager, values)
      : await RECORD_EVENTS_MARKING_KEYS.rows(manager, [
          ...values,
          held.map((key) => key.scope),
          held.map((key) => key.key),
          held.map((key) => key.claimId),
        ]);
  if (rows.length !== events.length)
    throw new Error(`recorded ${events.length} events, the outbox stored ${rows.length}`);
  if (held.length > 0) keysMarked(held, rows[0].marked ?? 0);
  for (const row of rows) {
    const { event } = events[row.ordinal - 1];
    event.withMetadata({
      id: String(row.id),
      eventId: row.event_id,
      name: event.name,
      accountId: event.accountId,
      inboxId: event.inboxId,
      conversationId: event.conversationId,
      stream: event.stream,
      sequence: row.sequence,
      actor: event.actor,
      occurredAt: row.occurred_at,
    });
  }
}

export interface EventRow {
  id: string;
  event_id: string;
  name: string;
  account_id: number;
  inbox_id: number | null;
  conversation_id: number | null;
  stream: string;
  sequence: number;
  actor_type: Actor['type'];
  actor_id: number | null;
  payload: Record<string, unknown>;
  occurred_at: Date;
}

/** An event row (or its row_to_json) as a stored event; `loadEvent` makes it typed. */
export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: String(row.id),
    eventId: row.event_id,
    name: row.name,
    accountId: row.account_id,
    inboxId: row.inbox_id,
    conversationId: row.conversation_id,
    stream: row.stream,
    sequence: row.sequence,
    actor: { type: row.actor_type, id: row.actor_id },
    payload: row.payload,
    occurredAt: new Date(row.occurred_at),
  };
}

const COLUMNS = `id, event_id, name, account_id, inbox_id, conversation_id, stream, sequence, actor_type, actor_id, payload, occurred_at`;

/**
 * Claims up to `limit` undispatched events, oldest first, marks them dispatched and runs the
 * caller's fan-out over them in the same statement (so both happen or neither): `fanOut` is
 * SQL that reads the CTE \`events\` (id, name, account_id, inbox_id, stream, sequence); its
 * parameters start at $2. Events other relays hold are skipped. With `olderThanMs`, only events
 * written at least that long ago are claimed: a safety net must not race the writer's own relay
 * for an event committed a moment ago.
 */
export async function dispatchEvents<T>(
  manager: EntityManager,
  limit: number,
  fanOut: string,
  params: unknown[],
  olderThanMs?: number,
): Promise<T[]> {
  const settled = olderThanMs !== undefined;
  const key = `${settled ? 'settled' : 'all'}:${fanOut}`;
  // One prepared statement per fan-out and variant (the callers' SQL is a constant).
  let statement = dispatchStatements.get(key);
  if (!statement) {
    const age = settled
      ? ` AND occurred_at <= now() - make_interval(secs => $${params.length + 2}::float8 / 1000)`
      : '';
    statement = new PreparedQuery(
      `dispatch_events_${dispatchStatements.size + 1}`,
      `WITH events AS (
         UPDATE domain_events SET dispatched_at = now()
          WHERE id IN (SELECT id FROM domain_events WHERE dispatched_at IS NULL${age}
                        ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING id, name, account_id, inbox_id, conversation_id, stream, sequence)
       ${fanOut}`,
    );
    dispatchStatements.set(key, statement);
  }
  const values = settled ? [limit, ...params, olderThanMs] : [limit, ...params];
  return (statement as PreparedQuery<T>).rows(manager, values);
}

const dispatchStatements = new Map<string, PreparedQuery<unknown>>();

export async function markDispatched(manager: EntityManager, ids: string[]): Promise<void> {
  if (ids.length > 0)
    await manager.query(
      `UPDATE domain_events SET dispatched_at = now() WHERE id = ANY($1::bigint[])`,
      [ids],
    );
}

export interface FeedFilter {
  accountId: number;
  after?: string;
  inboxId?: number;
  conversationId?: number;
  limit: number;
}

/**
 * Committed events after a cursor, in order. Only events older than every transaction still
 * running are handed out, so a later poll can never find an event behind its cursor.
 */
export async function readFeed(manager: EntityManager, filter: FeedFilter): Promise<StoredEvent[]> {
  const params: unknown[] = [filter.accountId, filter.after ?? '0', filter.limit];
  let where =
    'account_id = $1 AND id > $2::bigint AND tx_id < pg_snapshot_xmin(pg_current_snapshot())';
  if (filter.inboxId) {
    params.push(filter.inboxId);
    where += ` AND inbox_id = $${params.length}`;
  }
  if (filter.conversationId) {
    params.push(filter.conversationId);
    where += ` AND conversation_id = $${params.length}`;
  }
  const rows: EventRow[] = await manager.query(
    `SELECT ${COLUMNS} FROM domain_events WHERE ${where} ORDER BY id LIMIT $3`,
    params,
  );
  return rows.map(toStoredEvent);
}

/** Deletes events older than the retention, with their deliveries, a batch at a time. */
export async function deleteEventsBefore(
  manager: EntityManager,
  before: Date,
  batch = 5_000,
): Promise<number> {
  const [, count] = await manager.query(
    `DELETE FROM domain_events WHERE id IN (SELECT id FROM domain_events WHERE occurred_at < $1 ORDER BY id LIMIT $2)`,
    [before, batch],
  );
  return count ?? 0;
}

/** Where a projection stands in the outbox: the last event it applied. */
export interface ProjectionPosition {
  /** The event's writing transaction (xid8 as text); '0' before the first. */
  txId: string;
  eventId: string;
}

export interface SettledEvent extends StoredEvent {
  position: ProjectionPosition;
}

/**
 * Up to `limit` events after `after`, in (writing transaction, id) order, from transactions
 * that ended before every one still running: no event can later appear before the last one
 * returned, so a projection that keeps the last position never skips one. Projections
 * (reports) read the outbox through this.
 */
export async function readSettledEvents(
  manager: EntityManager,
  after: ProjectionPosition,
  limit: number,
): Promise<SettledEvent[]> {
  const rows: (EventRow & { tx_id: string })[] = await manager.query(
    `SELECT ${COLUMNS}, tx_id::text AS tx_id FROM domain_events
      WHERE (tx_id, id) > ($1::xid8, $2::bigint) AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY tx_id, id LIMIT $3`,
    [after.txId, after.eventId, limit],
  );
  return rows.map((row) => ({
    ...toStoredEvent(row),
    position: { txId: row.tx_id, eventId: String(row.id) },
  }));
}
