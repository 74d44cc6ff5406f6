import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/index.js';
import type { EventName, EventRecord } from './events/recorded.event.js';

export interface NewEvent {
  name: EventName;
  accountId: number;
  inboxId?: number | null;
  conversationId?: number | null;
  /** The stream the sequence counts in; defaults to the conversation's. */
  stream?: string;
  actor: Actor;
  payload: Record<string, unknown>;
}

/**
 * Appends an event to the outbox inside the caller's transaction, so the change and its event
 * commit together or not at all. The stream row is locked until commit, which makes sequence
 * order the commit order within a stream (one conversation's events never interleave).
 */
export async function recordEvent(manager: EntityManager, event: NewEvent): Promise<EventRecord> {
  const stream = event.stream ?? `conversation:${event.conversationId}`;
  const [{ last_sequence: sequence }] = await manager.query(
    `INSERT INTO event_streams (stream, last_sequence) VALUES ($1, 1)
     ON CONFLICT (stream) DO UPDATE SET last_sequence = event_streams.last_sequence + 1
     RETURNING last_sequence`,
    [stream],
  );
  const [row] = await manager.query(
    `INSERT INTO domain_events
       (name, account_id, inbox_id, conversation_id, stream, sequence, actor_type, actor_id, payload)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     RETURNING id, event_id, occurred_at`,
    [
      event.name,
      event.accountId,
      event.inboxId ?? null,
      event.conversationId ?? null,
      stream,
      sequence,
      event.actor.type,
      event.actor.id,
      event.payload,
    ],
  );
  return {
    id: String(row.id),
    eventId: row.event_id,
    name: event.name,
    accountId: event.accountId,
    inboxId: event.inboxId ?? null,
    conversationId: event.conversationId ?? null,
    stream,
    sequence,
    actor: event.actor,
    payload: event.payload,
    occurredAt: row.occurred_at,
  };
}

/** The body a webhook receiver and the event feed get for a record. */
export function eventBody(record: EventRecord): Record<string, unknown> {
  return {
    ...record.payload,
    event: record.name,
    event_id: record.eventId,
    sequence: record.sequence,
    occurred_at: record.occurredAt.toISOString(),
  };
}
