import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { hasLabelSql, renamedLabelsSql, SYSTEM_ACTOR } from '../common/index.js';
import type { Actor } from '../common/index.js';
import { PreparedQuery } from '../database/index.js';
import type { Transaction } from '../outbox/index.js';
import { ConversationNotFoundError } from './conversations.errors.js';
import { Conversation } from './entities/conversation.entity.js';
import { MESSAGE_TYPES } from './entities/message.entity.js';
import type { ConversationAt } from './events/conversation-event.js';
import { ConversationDeletedEvent } from './events/conversation-deleted.event.js';
import { ConversationUpdatedEvent } from './events/conversation-updated.event.js';
import { MessageCreatedEvent } from './events/message-created.event.js';
import type { ContentType, MessageType, SenderType } from './entities/message.entity.js';
import {
  conversationEventViewSql,
  eventEnvelope,
  loadConversationEventView,
  MESSAGE_JSON,
  toConversationEventData,
  toMessageEventData,
} from './conversation.read-model.js';
import type { ConversationRow, MessageEventData, MessageJson } from './conversation.read-model.js';

/** A partial row for Repository.update (TypeORM's type does not accept jsonb maps as unknown). */
export type Changes<T> = QueryDeepPartialEntity<T>;

/** Locks the conversation row for the rest of the transaction; one writer at a time. */
export async function lockConversation(
  manager: EntityManager,
  conversationId: number,
): Promise<Conversation> {
  const conversation = await manager
    .getRepository(Conversation)
    .findOne({ where: { id: conversationId }, lock: { mode: 'pessimistic_write' } });
  if (!conversation) throw new ConversationNotFoundError(conversationId);
  return conversation;
}

/**
 * Locks up to `limit` snoozed conversations due by `dueAt` (earliest first) for the rest of the
 * transaction, skipping rows another transaction holds.
 */
export function lockDueSnoozed(
  manager: EntityManager,
  dueAt: Date,
  limit: number,
): Promise<Pick<Conversation, 'id' | 'account_id' | 'inbox_id'>[]> {
  return manager.query(
    `SELECT id, account_id, inbox_id FROM conversations
      WHERE status = 'snoozed' AND snoozed_until <= $1
      ORDER BY snoozed_until, id LIMIT $2
        FOR UPDATE SKIP LOCKED`,
    [dueAt, limit],
  );
}

/** The conversation a new message goes to, as it was before the message. */
export type MessageTarget = Pick<Conversation, 'id' | 'account_id' | 'inbox_id' | 'status'>;

/** The next per-account display id; the counter row serialises concurrent creators. */
export async function nextDisplayId(manager: EntityManager, accountId: number): Promise<number> {
  const [row] = await manager.query(
    `INSERT INTO conversation_display_counters (account_id, last_display_id) VALUES ($1, 1)
     ON CONFLICT (account_id) DO UPDATE SET last_display_id = conversation_display_counters.last_display_id + 1
     RETURNING last_display_id`,
    [accountId],
  );
  return row.last_display_id;
}

export interface NewMessage {
  messageType: MessageType;
  content: string | null;
  contentType?: ContentType;
  contentAttributes?: Record<string, unknown>;
  additionalAttributes?: Record<string, unknown>;
  private?: boolean;
  sourceId?: string | null;
  echoId?: string | null;
  sender?: { type: SenderType; id: number } | null;
  /** Upload tokens of its files (AttachmentUploads.prepare), attached in the same transaction. */
  attachments?: string[];
}

/**
 * Inserts a message. With a source_id that the inbox already has, inserts nothing and returns
 * the existing message's id (created false): the unique index makes this exact under races.
 */
export async function insertMessage(
  manager: EntityManager,
  conversation: Pick<Conversation, 'id' | 'account_id' | 'inbox_id'>,
  message: NewMessage,
): Promise<InsertedMessage> {
  const rows = await INSERT_MESSAGE.rows(manager, [
    conversation.account_id,
    conversation.inbox_id,
    conversation.id,
    ...messageValues(message),
  ]);
  if (rows.length > 0) {
    const { message: inserted } = rows[0];
    return { id: String(inserted.id), conversationId: conversation.id, created: true, inserted };
  }
  return existingMessage(manager, conversation.inbox_id, message.sourceId);
}

/** The message columns after account, inbox and conversation, in INSERT order. */
function messageValues(message: NewMessage): unknown[] {
  return [
    MESSAGE_TYPES.indexOf(message.messageType),
    message.content,
    message.contentType ?? 'text',
    message.contentAttributes ?? {},
    message.additionalAttributes ?? {},
    message.private ?? false,
    message.sourceId ?? null,
    message.echoId ?? null,
    message.sender?.type ?? null,
    message.sender?.id ?? null,
  ];
}

/** The message the inbox already has under `sourceId` (a source_id conflict). */
async function existingMessage(
  manager: EntityManager,
  inboxId: number,
  sourceId: string | null | undefined,
): Promise<InsertedMessage> {
  const [existing] = await manager.query(
    `SELECT id, conversation_id FROM messages WHERE inbox_id = $1 AND source_id = $2`,
    [inboxId, sourceId],
  );
  return { id: String(existing.id), conversationId: existing.conversation_id, created: false };
}

const MESSAGE_COLUMNS = `account_id, inbox_id, conversation_id, message_type, content, content_type,
      content_attributes, additional_attributes, private, source_id, echo_id, sender_type, sender_id`;

const INSERT_MESSAGE = new PreparedQuery<{ message: MessageJson }>(
  'insert_message',
  `WITH m AS (
     INSERT INTO messages (${MESSAGE_COLUMNS})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (inbox_id, source_id) WHERE source_id IS NOT NULL DO NOTHING
     RETURNING *)
   SELECT ${MESSAGE_JSON} AS message FROM m`,
);

/** What lockAndInsertMessage found and did. */
export interface LockedInsert {
  /** The conversation as it was before the message (locked until commit). */
  target: MessageTarget;
  /** A contact's message into a resolved conversation, not written (see lockAndInsertMessage). */
  held: boolean;
  inserted?: InsertedMessage;
  /**
   * The conversation's event view after the message, as loadConversationEventView would read it
   * next, when the statement could build it (see LOCK_AND_INSERT_MESSAGE); else undefined.
   */
  view?: ConversationRow;
}

/**
 * The hot path of a new message in one statement (one round trip): locks the conversation for
 * the rest of the transaction (one writer at a time), inserts the message and writes the
 * conversation's new state, only if the message was inserted: an incoming message reopens a
 * resolved or snoozed conversation and starts its wait; an outgoing reply (public, not the
 * contact's) ends the wait and sets the first reply. With `holdIfResolved` (a contact's message)
 * a resolved conversation gets nothing written (`held`): the inbox's policy decides, and the
 * caller calls again without it to go on. Undefined when there is no such conversation.
 * With a new message it also answers, most of the time, the conversation's event view after
 * it, so that the events need no second statement.
 */
export async function lockAndInsertMessage(
  manager: EntityManager,
  conversationId: number,
  message: NewMessage,
  { holdIfResolved, at }: { holdIfResolved: boolean; at: Date },
): Promise<LockedInsert | undefined> {
  const incoming = message.messageType === 'incoming';
  const outgoingReply =
    message.messageType === 'outgoing' && !message.private && message.sender?.type !== 'contact';
  const [row] = await LOCK_AND_INSERT_MESSAGE.rows(manager, [
    conversationId,
    ...messageValues(message),
    incoming,
    outgoingReply,
    holdIfResolved,
    at,
  ]);
  if (!row) return undefined;
  const { target, held, message: inserted, ...view } = row;
  if (held) return { target, held: true };
  if (inserted) {
    return {
      target,
      held: false,
      inserted: { id: String(inserted.id), conversationId, created: true, inserted },
      // The view's columns are all null when the statement left it out.
      view: view.id === null ? undefined : (view as ConversationRow),
    };
  }
  return {
    target,
    held: false,
    inserted: await existingMessage(manager, target.inbox_id, message.sourceId),
  };
}

// The target is locked first: the insert and the update read it (the latest version, after any
// wait for the lock), and the update changes the row only if the message was inserted.
//
// The view: the other parts of a statement do not see what its data-modifying CTEs write, so the
// conversation is the updated row (touched's RETURNING), and the message subqueries read the
// table plus the new message (m). Its joins and subqueries read the statement's snapshot, taken
// before any wait for the lock: when the row locked is not the version that snapshot reads
// (as_seen: an update makes a new version, at a new ctid; a transaction that held the lock
// changed it, and may have changed what the view reads with it), the view is left out and the
// caller reads it afresh. The writers that lock the row without changing it (a message's
// update) change nothing the view reads: only incoming messages count, and they come here.
const LOCK_AND_INSERT_MESSAGE = new PreparedQuery<
  { target: MessageTarget; held: boolean; message: MessageJson | null } & (
    ConversationRow | { [column in keyof ConversationRow]: null }
  )
>(
  'lock_and_insert_message',
  `WITH target AS (
     SELECT id, account_id, inbox_id, status, snoozed_until, waiting_since, first_reply_created_at,
            ($14::boolean AND status = 'resolved') AS held,
            ctid = (SELECT ctid FROM conversations WHERE id = $1) AS as_seen
       FROM conversations WHERE id = $1 FOR UPDATE),
   m AS (
     INSERT INTO messages (${MESSAGE_COLUMNS})
     SELECT t.account_id, t.inbox_id, t.id, $2::smallint, $3::text, $4::varchar, $5::jsonb,
            $6::jsonb, $7::boolean, $8::varchar, $9::varchar, $10::varchar, $11::int
       FROM target t WHERE NOT t.held
     ON CONFLICT (inbox_id, source_id) WHERE source_id IS NOT NULL DO NOTHING
     RETURNING *),
   touched AS (
     UPDATE conversations c
        SET status = CASE WHEN $12::boolean AND t.status IN ('resolved', 'snoozed') THEN 'open'
                          ELSE t.status END,
            snoozed_until = CASE WHEN $12::boolean AND t.status IN ('resolved', 'snoozed') THEN NULL
                                 ELSE t.snoozed_until END,
            waiting_since = CASE WHEN $13::boolean THEN NULL
                                 WHEN $12::boolean THEN coalesce(t.waiting_since, $15::timestamptz)
                                 ELSE t.waiting_since END,
            first_reply_created_at = CASE WHEN $13::boolean
                                          THEN coalesce(t.first_reply_created_at, $15::timestamptz)
                                          ELSE t.first_reply_created_at END,
            last_activity_at = $15::timestamptz, updated_at = $15::timestamptz
       FROM target t WHERE c.id = t.id AND EXISTS (SELECT 1 FROM m)
     RETURNING c.*),
   event_view AS (${conversationEventViewSql(
     'touched',
     `(SELECT conversation_id, message_type, created_at FROM messages
       UNION ALL SELECT conversation_id, message_type, created_at FROM m)`,
   )})
   SELECT json_build_object('id', t.id, 'account_id', t.account_id, 'inbox_id', t.inbox_id,
                            'status', t.status) AS target,
          t.held, (SELECT ${MESSAGE_JSON} FROM m) AS message, v.*
     FROM target t LEFT JOIN event_view v ON t.as_seen`,
);

export interface InsertedMessage {
  id: string;
  conversationId: number;
  /** False when the inbox already had the source_id: `id` is that message's. */
  created: boolean;
  /** The new message as read models show it (when created). */
  inserted?: MessageJson;
}

export async function loadMessage(manager: EntityManager, messageId: string): Promise<MessageJson> {
  const [row] = await manager.query(
    `SELECT ${MESSAGE_JSON} AS message FROM messages m WHERE m.id = $1`,
    [messageId],
  );
  return row.message;
}

/**
 * The conversation's state for the events of a write, read inside its transaction after the
 * change. Load it once and use it for several events when nothing changed between; `changed()`
 * after a change makes the next event read it again.
 */
export class ConversationSnapshot {
  /**
   * `view`: the event view after the change when the write has it already (lockAndInsertMessage),
   * so that the first event needs no read.
   */
  constructor(
    private readonly manager: EntityManager,
    private readonly conversationId: number,
    private view?: ConversationRow,
  ) {}

  /** Forget the loaded snapshot after changing the conversation. */
  changed(): this {
    this.view = undefined;
    return this;
  }

  /** The conversation as events carry it. */
  async at(): Promise<ConversationAt> {
    // The event view: events leave out the last-message fields the full view computes.
    this.view ??= (await loadConversationEventView(this.manager, this.conversationId))!;
    const view = this.view;
    return {
      conversationId: view.id,
      conversation: toConversationEventData(view),
      ...eventEnvelope(view),
    };
  }

  /** A message as events carry it (`loaded` when the writer has it already). */
  async message(messageId: string, loaded?: MessageJson): Promise<MessageEventData> {
    return toMessageEventData(loaded ?? (await loadMessage(this.manager, messageId)));
  }
}

/** Adds an activity message (status and assignment changes) with its message_created event. */
export async function addActivity(
  tx: Transaction,
  conversation: Pick<Conversation, 'id' | 'account_id' | 'inbox_id'>,
  snapshot: ConversationSnapshot,
  content: string,
  actor: Actor,
): Promise<void> {
  const { id, inserted } = await insertMessage(tx.manager, conversation, {
    messageType: 'activity',
    content,
  });
  tx.record(
    new MessageCreatedEvent(await snapshot.at(), await snapshot.message(id, inserted), actor),
  );
}

/** Holds a transaction-scoped lock on the contact link's conversations (lock_to_single_conversation). */
export async function lockContactInboxConversations(
  manager: EntityManager,
  contactInboxId: number,
): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
    `contact-inbox:${contactInboxId}`,
  ]);
}

/** The conversation's display id (for an error naming it). */
export async function displayIdOf(manager: EntityManager, conversationId: number): Promise<number> {
  const [{ display_id }] = await manager.query(
    `SELECT display_id FROM conversations WHERE id = $1`,
    [conversationId],
  );
  return display_id;
}

/**
 * Marks the contact-visible messages sent up to `until` as read; returns their ids.
 */
export async function markMessagesRead(
  manager: EntityManager,
  conversationId: number,
  until: Date,
): Promise<{ id: string }[]> {
  // TypeORM answers an UPDATE with [rows, affected count].
  const [read]: [{ id: string }[], number] = await manager.query(
    `UPDATE messages SET status = 'read', updated_at = now()
          WHERE conversation_id = $1 AND message_type IN (1, 3) AND private = false
            AND status IN ('sent', 'delivered') AND created_at <= $2
          RETURNING id`,
    [conversationId, until],
  );
  return read;
}

/**
 * Deletes conversations (their messages go with them) in the caller's transaction, recording
 * conversation_deleted for each with its state just before.
 */
export async function deleteConversations(
  tx: Transaction,
  conversationIds: number[],
  actor: Actor,
): Promise<void> {
  for (const id of conversationIds) {
    const at = await new ConversationSnapshot(tx.manager, id).at();
    tx.record(new ConversationDeletedEvent(at, actor));
  }
  await tx.manager.query(`DELETE FROM conversations WHERE id = ANY($1)`, [conversationIds]);
}

/** Deletes a contact's conversations (a contact deletion), in the caller's transaction. */
export async function deleteContactConversations(
  tx: Transaction,
  contactId: number,
  actor: Actor,
): Promise<void> {
  const rows: { id: number }[] = await tx.manager.query(
    `SELECT id FROM conversations WHERE contact_id = $1 ORDER BY id FOR UPDATE`,
    [contactId],
  );
  await deleteConversations(
    tx,
    rows.map((row) => row.id),
    actor,
  );
}

/**
 * Deletes up to `batch` messages, or else up to `batch` conversations (with their events), of a
 * deleted inbox, in the caller's transaction; answers how many rows it deleted (0: none left).
 */
export async function purgeInboxBatch(
  tx: Transaction,
  inboxId: number,
  batch: number,
): Promise<number> {
  const [, messages]: [unknown, number] = await tx.manager.query(
    `DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE inbox_id = $1 LIMIT ${batch})`,
    [inboxId],
  );
  if (messages > 0) return messages;
  const rows: { id: number }[] = await tx.manager.query(
    `SELECT id FROM conversations WHERE inbox_id = $1 ORDER BY id LIMIT ${batch} FOR UPDATE`,
    [inboxId],
  );
  await deleteConversations(
    tx,
    rows.map((row) => row.id),
    SYSTEM_ACTOR,
  );
  return rows.length;
}

/** Takes the transaction-scoped lock that keeps one purger per inbox; false when another holds it. */
export async function tryLockInboxPurge(manager: EntityManager, inboxId: number): Promise<boolean> {
  const [{ locked }] = await manager.query(
    'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked',
    [`purge-inbox:${inboxId}`],
  );
  return locked;
}

/**
 * Moves a contact's conversations, and its messages as their sender, to another contact
 * (a contact merge), inside the caller's transaction.
 */
export async function moveContactConversations(
  manager: EntityManager,
  fromContactId: number,
  toContactId: number,
): Promise<void> {
  await manager.query(`UPDATE conversations SET contact_id = $2 WHERE contact_id = $1`, [
    fromContactId,
    toContactId,
  ]);
  await manager.query(
    `UPDATE messages SET sender_id = $2
      WHERE sender_type = 'contact' AND sender_id = $1
        AND conversation_id IN (SELECT id FROM conversations WHERE contact_id = $2)`,
    [fromContactId, toContactId],
  );
}

/**
 * Renames the label `from` (any case) to `to` on at most `limit` conversations of the account
 * carrying it (lowest ids first), in the caller's transaction, and records a
 * `conversation_updated` (changed_attributes `labels`) for each, as Chatwoot's rename job does.
 * Answers how many it renamed: fewer than `limit` means none is left.
 */
export async function renameConversationLabel(
  { manager, record }: Transaction,
  accountId: number,
  from: string,
  to: string,
  actor: Actor,
  limit: number,
): Promise<number> {
  const [rows] = (await manager.query(
    `UPDATE conversations c SET labels = ${renamedLabelsSql('c.labels', 'sorted')}, updated_at = now()
       FROM (SELECT id, labels AS previous FROM conversations
              WHERE account_id = $1 AND ${hasLabelSql('labels')} ORDER BY id LIMIT $4 FOR UPDATE) p
      WHERE c.id = p.id
      RETURNING c.id, p.previous, c.labels`,
    [accountId, from.toLowerCase(), to, limit],
  )) as [{ id: number; previous: string[]; labels: string[] }[], number];
  for (const row of rows.sort((a, b) => a.id - b.id)) {
    const at = await new ConversationSnapshot(manager, row.id).at();
    const change = { labels: { previous_value: row.previous, current_value: row.labels } };
    await record(new ConversationUpdatedEvent(at, [change], actor));
  }
  return rows.length;
}
