import type { DataSource, EntityManager } from 'typeorm';
import { AccountSql } from '../accounts/index.js';
import { AttachmentSql, attachmentResponses } from '../attachments/index.js';
import type { AttachmentJson } from '../attachments/index.js';
import { ContactSql } from '../contacts/index.js';
import type { ContactInboxJson } from '../contacts/index.js';
import { buildFilterSql, escapeLike } from '../common/index.js';
import type { CustomAttributeSource, FilterColumn } from '../common/index.js';
import { PreparedQuery } from '../database/index.js';
import { InboxSql } from '../inboxes/index.js';
import { MESSAGE_TYPES } from './entities/message.entity.js';
import { CONVERSATION_REF_COLUMNS } from './dto/conversation-ref.js';
import type { ConversationRefColumn } from './dto/conversation-ref.js';
import { CONVERSATIONS_PAGE_SIZE } from './queries/list-conversations.query.js';
import type { MessagePage } from './queries/list-messages.query.js';
import type {
  ConversationCounts,
  ListConversationsQuery,
} from './queries/list-conversations.query.js';
import type { ContentType, MessageStatus, SenderType } from './entities/message.entity.js';
import type { Conversation, ConversationStatus, Priority } from './entities/conversation.entity.js';

/*
 * Read models of conversations and messages, built by one SQL query each so that the API
 * answers and the event payloads (built inside the write's transaction) show the same state.
 * The contact, assignee, team, inbox and account parts of each statement are SQL that those
 * modules export (ContactSql, AccountSql, InboxSql): one statement, and each table named only
 * by the module that owns it.
 */

/** SQL for a message as JSON, with its sender resolved; `m` is the messages alias. */
export const MESSAGE_JSON = `json_build_object(
  'id', m.id, 'content', m.content, 'inbox_id', m.inbox_id, 'conversation_id', m.conversation_id,
  'account_id', m.account_id, 'message_type', m.message_type, 'content_type', m.content_type,
  'content_attributes', m.content_attributes, 'additional_attributes', m.additional_attributes,
  'private', m.private, 'status', m.status, 'source_id', m.source_id, 'echo_id', m.echo_id,
  'sender_type', m.sender_type, 'sender_id', m.sender_id, 'created_at', m.created_at, 'updated_at', m.updated_at,
  'display_id', (SELECT display_id FROM conversations dc WHERE dc.id = m.conversation_id),
  'attachments', ${AttachmentSql.messageAttachmentsJson('m.id')},
  'sender', CASE m.sender_type
    WHEN 'contact' THEN ${ContactSql.senderJson('m.sender_id')}
    WHEN 'user' THEN ${AccountSql.senderJson('m.sender_id', 'm.account_id')}
    WHEN 'agent_bot' THEN json_build_object('id', m.sender_id, 'type', 'agent_bot')
    END)`;

export interface MessageJson {
  id: string | number;
  content: string | null;
  inbox_id: number;
  conversation_id: number;
  display_id: number;
  account_id: number;
  message_type: number;
  content_type: ContentType;
  content_attributes: Record<string, unknown>;
  additional_attributes: Record<string, unknown>;
  private: boolean;
  status: MessageStatus;
  source_id: string | null;
  echo_id: string | null;
  sender_type: SenderType | null;
  sender_id: number | null;
  created_at: string;
  updated_at: string;
  sender: Record<string, unknown> | null;
  attachments: AttachmentJson[];
}

function seconds(value: string | Date | null | undefined): number {
  return value ? Math.floor(new Date(value).getTime() / 1000) : 0;
}

function iso(value: string | Date | null | undefined): string | null {
  return value ? new Date(value).toISOString() : null;
}

/** A message on the Application and Client API (Chatwoot's REST shape). */
export function toMessageResponse(message: MessageJson) {
  return {
    id: Number(message.id),
    content: message.content,
    inbox_id: message.inbox_id,
    conversation_id: message.display_id,
    message_type: message.message_type,
    content_type: message.content_type,
    status: message.status,
    content_attributes: message.content_attributes,
    additional_attributes: message.additional_attributes,
    created_at: seconds(message.created_at),
    private: message.private,
    source_id: message.source_id,
    ...(message.echo_id ? { echo_id: message.echo_id } : {}),
    ...(message.sender ? { sender: message.sender } : {}),
    attachments: attachmentResponses(message.attachments),
  };
}
export type MessageResponse = ReturnType<typeof toMessageResponse>;

/** A message in webhook payloads: names instead of codes, ISO timestamps. */
export function toMessageEventData(message: MessageJson) {
  return {
    id: Number(message.id),
    content: message.content,
    content_type: message.content_type,
    content_attributes: message.content_attributes,
    additional_attributes: message.additional_attributes,
    message_type: MESSAGE_TYPES[message.message_type],
    private: message.private,
    status: message.status,
    source_id: message.source_id,
    ...(message.echo_id ? { echo_id: message.echo_id } : {}),
    created_at: iso(message.created_at),
    sender: message.sender,
    // As Chatwoot: only when there are some. Stored without URLs; MessageEvent.body() signs
    // them at each delivery, so a receiver always gets URLs that work for the full TTL.
    ...(message.attachments?.length ? { attachments: message.attachments } : {}),
  };
}
export type MessageEventData = ReturnType<typeof toMessageEventData>;

export interface ConversationRow {
  id: number;
  account_id: number;
  inbox_id: number;
  contact_id: number;
  contact_inbox_id: number;
  display_id: number;
  uuid: string;
  status: ConversationStatus;
  snoozed_until: Date | null;
  priority: Priority | null;
  assignee_id: number | null;
  assignee_agent_bot_id: number | null;
  team_id: number | null;
  labels: string[];
  custom_attributes: Record<string, unknown>;
  additional_attributes: Record<string, unknown>;
  muted: boolean;
  contact_last_seen_at: Date | null;
  agent_last_seen_at: Date | null;
  assignee_last_seen_at: Date | null;
  first_reply_created_at: Date | null;
  waiting_since: Date | null;
  last_activity_at: Date;
  created_at: Date;
  updated_at: Date;
  sender: Record<string, unknown>;
  assignee: Record<string, unknown> | null;
  team: Record<string, unknown> | null;
  source_id: string;
  hmac_verified: boolean;
  inbox_name: string;
  account_name: string;
  last_message: MessageJson | null;
  last_non_activity_message: MessageJson | null;
  unread_count: number;
  can_reply: boolean;
}

/**
 * Chatwoot's can_reply for API inboxes: with an agent_reply_time_window (hours; read as Ruby's
 * to_i reads it, so text without leading digits is 0) only within that long after the
 * contact's last message; without one, always. `messages`: as in conversationCore.
 */
const REPLY_WINDOW = InboxSql.replyWindow('i');
function canReply(messages: string): string {
  return `CASE WHEN btrim(coalesce(${REPLY_WINDOW}, '')) = '' THEN true
    ELSE coalesce((SELECT max(m.created_at) FROM ${messages} m WHERE m.conversation_id = c.id AND m.message_type = 0)
      + make_interval(hours => coalesce(substring(${REPLY_WINDOW} from '^\\s*(\\d{1,6})')::int, 0)) > now(), false) END`;
}

/**
 * The conversation `c`, its contact, assignee, team, inbox and account names. `messages` is the
 * relation the unread count and can_reply read the conversation's messages from (at least
 * conversation_id, message_type and created_at): the table, or one that adds a message the
 * statement itself inserts (see lockAndInsertMessage).
 */
const conversationCore = (messages: string) => `
  SELECT c.*,
    ${ContactSql.conversationSenderJson('ct')} AS sender,
    ${AccountSql.agentJson('u', 'au', 'c.account_id')} AS assignee,
    ${AccountSql.teamJson('t')} AS team,
    ${ContactSql.contactInboxColumns('ci')}, ${InboxSql.name('i')} AS inbox_name,
    ${AccountSql.accountName('a')} AS account_name,
    (SELECT count(*)::int FROM (SELECT 1 FROM ${messages} m WHERE m.conversation_id = c.id AND m.message_type = 0
      AND m.created_at > coalesce(c.agent_last_seen_at, 'epoch'::timestamptz) LIMIT 10) unread) AS unread_count,
    ${canReply(messages)} AS can_reply`;

/** The joins of the view onto `conversations`, a relation of conversation rows (aliased c). */
const conversationFrom = (conversations: string) => `
  FROM ${conversations} c
  ${ContactSql.joinContact('ct', 'c.contact_id')}
  ${ContactSql.joinContactInbox('ci', 'c.contact_inbox_id')}
  ${InboxSql.joinInbox('i', 'c.inbox_id')}
  ${AccountSql.joinAccount('a', 'c.account_id')}
  ${AccountSql.leftJoinAgent('u', 'au', 'c.assignee_id', 'c.account_id')}
  ${AccountSql.leftJoinTeam('t', 'c.team_id')}`;

/**
 * The event view (see loadConversationEventView) of each row of `conversations`, a relation
 * with the conversations table's columns: the table, or a CTE's rows (a write's RETURNING),
 * with `messages` as in conversationCore. One definition for the read and for the write that
 * returns it.
 */
export function conversationEventViewSql(conversations: string, messages = 'messages'): string {
  return `${conversationCore(messages)} ${conversationFrom(conversations)}`;
}

const CONVERSATION_SELECT = `${conversationCore('messages')},
    (SELECT ${MESSAGE_JSON} FROM messages m WHERE m.conversation_id = c.id ORDER BY m.id DESC LIMIT 1) AS last_message,
    (SELECT ${MESSAGE_JSON} FROM messages m WHERE m.conversation_id = c.id AND m.message_type <> 2
      ORDER BY m.id DESC LIMIT 1) AS last_non_activity_message
  ${conversationFrom('conversations')}`;

/** Loads conversation views; `where` and `tail` (ORDER BY, LIMIT) refer to `c` and bind `params`. */
export async function loadConversations(
  manager: EntityManager,
  where: string,
  params: unknown[],
  tail = 'ORDER BY c.id',
): Promise<ConversationRow[]> {
  return manager.query(`${CONVERSATION_SELECT} WHERE ${where} ${tail}`, params);
}

/**
 * The views of `ids` (a page the caller chose), in that order; ids that no longer exist are left
 * out. A prepared statement: the view's joins and subqueries are planned once per connection.
 */
export async function loadConversationsByIds(
  manager: EntityManager,
  ids: number[],
): Promise<ConversationRow[]> {
  if (ids.length === 0) return [];
  const rows = await CONVERSATIONS_BY_IDS.rows(manager, [ids]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

const CONVERSATIONS_BY_IDS = new PreparedQuery<ConversationRow>(
  'conversations_by_ids',
  `${CONVERSATION_SELECT} WHERE c.id = ANY($1::int[])`,
);

export async function loadConversation(
  manager: EntityManager,
  conversationId: number,
): Promise<ConversationRow> {
  const [row] = await loadConversations(manager, 'c.id = $1', [conversationId]);
  return row;
}

/**
 * The conversation as event payloads need it (no last-message subqueries). Read it after taking
 * the row lock in an earlier statement: a statement that waits for a lock re-reads only the
 * locked row, so its joins and subqueries would be older than the conversation.
 */
export function loadConversationEventView(
  manager: EntityManager,
  conversationId: number,
): Promise<ConversationRow | undefined> {
  return CONVERSATION_EVENT_VIEW.first(manager, [conversationId]);
}

const CONVERSATION_EVENT_VIEW = new PreparedQuery<ConversationRow>(
  'conversation_event_view',
  `${conversationEventViewSql('conversations')} WHERE c.id = $1`,
);

/** The Application API's conversation (Chatwoot's conversation partial). */
export function toConversationResponse(row: ConversationRow) {
  return {
    meta: {
      sender: row.sender,
      channel: 'Channel::Api',
      ...(row.assignee ? { assignee: row.assignee } : {}),
      ...(row.team ? { team: row.team } : {}),
      hmac_verified: row.hmac_verified,
    },
    id: row.display_id,
    messages: row.last_message ? [toMessageResponse(row.last_message)] : [],
    account_id: row.account_id,
    uuid: row.uuid,
    inbox_id: row.inbox_id,
    status: row.status,
    priority: row.priority,
    snoozed_until: iso(row.snoozed_until),
    labels: row.labels,
    custom_attributes: row.custom_attributes,
    additional_attributes: row.additional_attributes,
    muted: row.muted,
    can_reply: row.can_reply,
    assignee_id: row.assignee_id,
    assignee_agent_bot_id: row.assignee_agent_bot_id,
    team_id: row.team_id,
    agent_last_seen_at: seconds(row.agent_last_seen_at),
    assignee_last_seen_at: seconds(row.assignee_last_seen_at),
    contact_last_seen_at: seconds(row.contact_last_seen_at),
    first_reply_created_at: seconds(row.first_reply_created_at),
    waiting_since: seconds(row.waiting_since),
    unread_count: row.unread_count,
    last_non_activity_message: row.last_non_activity_message
      ? toMessageResponse(row.last_non_activity_message)
      : null,
    last_activity_at: seconds(row.last_activity_at),
    timestamp: seconds(row.last_activity_at),
    created_at: seconds(row.created_at),
    updated_at: new Date(row.updated_at).getTime() / 1000,
  };
}
export type ConversationResponse = ReturnType<typeof toConversationResponse>;

/** The conversation in webhook payloads (a snapshot at the time of the event). */
export function toConversationEventData(row: ConversationRow) {
  const {
    messages: _messages,
    last_non_activity_message: _last,
    ...rest
  } = toConversationResponse(row);
  return {
    ...rest,
    channel: 'Channel::Api',
    contact_inbox: {
      source_id: row.source_id,
      hmac_verified: row.hmac_verified,
      inbox_id: row.inbox_id,
    },
  };
}

export type ConversationEventData = ReturnType<typeof toConversationEventData>;

/** The envelope every conversation or message event carries. */
export function eventEnvelope(row: ConversationRow) {
  return {
    account: { id: row.account_id, name: row.account_name },
    inbox: { id: row.inbox_id, name: row.inbox_name },
  };
}

/**
 * The conversation's contact on the Client API: Chatwoot renders the contact model there, so
 * its times are ISO 8601 (null when never), not the unix seconds of the Application API's meta.
 */
function toPublicConversationContact(sender: Record<string, unknown>) {
  const fromSeconds = (value: unknown) =>
    typeof value === 'number' && value > 0 ? new Date(value * 1000).toISOString() : null;
  return {
    ...sender,
    last_activity_at: fromSeconds(sender.last_activity_at),
    created_at: fromSeconds(sender.created_at),
  };
}

/** A conversation on the public Client API. */
export function toPublicConversation(row: ConversationRow, messages: MessageJson[]) {
  return {
    id: row.display_id,
    uuid: row.uuid,
    inbox_id: row.inbox_id,
    status: row.status,
    contact_last_seen_at: seconds(row.contact_last_seen_at),
    agent_last_seen_at: seconds(row.agent_last_seen_at),
    messages: messages.map(toMessageResponse),
    contact: toPublicConversationContact(row.sender),
    custom_attributes: row.custom_attributes,
    created_at: seconds(row.created_at),
  };
}

/*
 * Named reads behind the query handlers: each is the statement the handler used to hold, so
 * the conversations module's read SQL lives in this file only.
 */

/** A contact inbox and its contact, with the columns of its conversation (all null: none). */
export type ContactConversationRow = ContactInboxJson &
  (Pick<Conversation, ConversationRefColumn> | { [column in ConversationRefColumn]: null });

/** Which contact (by source_id in an inbox) and which of its conversations (by display id). */
export interface ContactConversationLookup {
  inboxId: number;
  accountId: number;
  sourceId: string;
  displayId: number;
}

/**
 * Every Client API conversation request resolves its contact and conversation with it: the
 * contact by source_id in the inbox, and its conversation by display id in the inbox's account;
 * `n` is the lookup's place in the arrays (1-based). No row for a lookup with no such contact.
 */
const CONTACT_CONVERSATIONS = new PreparedQuery<ContactConversationRow & { n: string }>(
  'contact_conversations_by_source',
  `SELECT k.n, s.link, s.contact, ${CONVERSATION_REF_COLUMNS.map((column) => `c.${column}`).join(', ')}
     FROM unnest($1::int[], $2::text[], $3::int[], $4::int[])
            WITH ORDINALITY AS k(inbox_id, source_id, account_id, display_id, n)
     CROSS JOIN LATERAL ${ContactSql.contactInboxBySource('k.inbox_id', 'k.source_id')} s
     LEFT JOIN conversations c ON c.contact_inbox_id = s.id AND c.account_id = k.account_id
                              AND c.display_id = k.display_id`,
);

/**
 * For each lookup, in order: the contact whose source_id is `sourceId` in the inbox `inboxId`
 * (of the account `accountId`), with the columns of its conversation `displayId` (null when it
 * has none such); undefined when the inbox has no such contact. One prepared round trip for
 * all of them.
 */
export async function contactConversationsBySource(
  on: EntityManager | DataSource,
  lookups: readonly ContactConversationLookup[],
): Promise<(ContactConversationRow | undefined)[]> {
  const rows = await CONTACT_CONVERSATIONS.rows(on, [
    lookups.map((lookup) => lookup.inboxId),
    lookups.map((lookup) => lookup.sourceId),
    lookups.map((lookup) => lookup.accountId),
    lookups.map((lookup) => lookup.displayId),
  ]);
  const found: (ContactConversationRow | undefined)[] = lookups.map(() => undefined);
  for (const { n, ...row } of rows) found[Number(n) - 1] = row;
  return found;
}

/** The account's conversation `displayId`, if its inbox is live. */
export async function conversationByDisplayId(
  on: EntityManager | DataSource,
  accountId: number,
  displayId: number,
): Promise<Conversation | undefined> {
  const [row] = await on.query(
    `SELECT c.* FROM conversations c ${InboxSql.joinLiveInbox('i', 'c.inbox_id')}
      WHERE c.account_id = $1 AND c.display_id = $2`,
    [accountId, displayId],
  );
  return row;
}

/** A page of a conversation's messages, and the order it was read in (see MessagePage). */
export async function messagesPage(
  on: EntityManager | DataSource,
  conversationId: number,
  page: MessagePage,
  limit: number,
): Promise<{ rows: MessageJson[]; direction: 'ASC' | 'DESC' }> {
  const params: unknown[] = [conversationId];
  const where = ['m.conversation_id = $1'];
  if (page.contactView) where.push('m.private = false AND m.message_type <> 2');
  if (page.messageIds) {
    params.push(page.messageIds);
    where.push(`m.id = ANY($${params.length}::bigint[])`);
  }
  if (page.before) {
    params.push(page.before);
    where.push(`m.id < $${params.length}`);
  }
  if (page.after) {
    params.push(page.after);
    where.push(`m.id > $${params.length}`);
  }
  // After a cursor we walk forward from it; otherwise back from the newest.
  const direction = page.after && !page.before ? 'ASC' : 'DESC';
  const rows: { message: MessageJson }[] = await on.query(
    `SELECT ${MESSAGE_JSON} AS message FROM messages m WHERE ${where.join(' AND ')}
        ORDER BY m.id ${direction} LIMIT ${limit}`,
    params,
  );
  return { rows: rows.map((row) => row.message), direction };
}

/** The newest `limit` visible messages of each conversation, oldest first, in one statement. */
export async function newestPublicMessages(
  on: EntityManager | DataSource,
  conversationIds: number[],
  limit: number,
): Promise<MessageJson[]> {
  const rows: { message: MessageJson }[] = await on.query(
    `SELECT x.message FROM unnest($1::int[]) AS conv(id)
         CROSS JOIN LATERAL (SELECT ${MESSAGE_JSON} AS message, m.id FROM messages m
           WHERE m.conversation_id = conv.id AND m.private = false AND m.message_type <> 2
           ORDER BY m.id DESC LIMIT ${limit}) x
        ORDER BY x.id`,
    [conversationIds],
  );
  return rows.map((row) => row.message);
}

/** Open conversations per agent: in the inbox, and in the whole account. */
export function openConversationCounts(
  on: EntityManager | DataSource,
  accountId: number,
  inboxId: number | null,
  userIds: number[],
): Promise<{ user_id: number; in_inbox: number; overall: number }[]> {
  return on.query(
    `SELECT u.user_id,
              count(c.id) FILTER (WHERE c.inbox_id = $3)::int AS in_inbox,
              count(c.id)::int AS overall
         FROM unnest($2::int[]) AS u(user_id)
         LEFT JOIN conversations c ON c.assignee_id = u.user_id AND c.account_id = $1 AND c.status = 'open'
        GROUP BY u.user_id`,
    [accountId, userIds, inboxId],
  );
}

/**
 * Pending conversations of an agent bot (the inbox's, or their bot assignee), not assigned to a
 * person, whose contact has waited since before `waitingBefore`; oldest first.
 */
export function unansweredBotConversations(
  on: EntityManager | DataSource,
  waitingBefore: Date,
  limit: number,
): Promise<{ id: number; account_id: number; waiting_since: Date }[]> {
  return on.query(
    `SELECT c.id, c.account_id, c.waiting_since FROM conversations c ${InboxSql.joinLiveInbox('i', 'c.inbox_id')}
      WHERE c.status = 'pending' AND c.assignee_id IS NULL AND c.waiting_since < $1
        AND (c.assignee_agent_bot_id IS NOT NULL OR ${InboxSql.agentBotId('i')} IS NOT NULL)
      ORDER BY c.waiting_since, c.id LIMIT $2`,
    [waitingBefore, limit],
  );
}

/** Pending conversations without a person, of the inboxes or assigned to the agent bot. */
export async function pendingBotConversations(
  on: EntityManager | DataSource,
  accountId: number,
  inboxIds: number[],
  agentBotId: number | null,
): Promise<number[]> {
  const rows: { id: number }[] = await on.query(
    `SELECT id FROM conversations
      WHERE account_id = $1 AND status = 'pending' AND assignee_id IS NULL
        AND (inbox_id = ANY($2::int[]) OR assignee_agent_bot_id = $3)
      ORDER BY id`,
    [accountId, inboxIds, agentBotId],
  );
  return rows.map((row) => row.id);
}

/** The oldest open, unassigned conversations of the inboxes. */
export function waitingConversations(
  on: EntityManager | DataSource,
  accountId: number,
  inboxIds: number[],
  limit: number,
): Promise<{ id: number; display_id: number; inbox_id: number; team_id: number | null }[]> {
  return on.query(
    `SELECT id, display_id, inbox_id, team_id FROM conversations
        WHERE account_id = $1 AND inbox_id = ANY($2::int[]) AND status = 'open' AND assignee_id IS NULL
        ORDER BY created_at, id LIMIT $3`,
    [accountId, inboxIds, limit],
  );
}

/** The conversation's account and inbox, undefined when there is no such conversation. */
export async function conversationPlacement(
  on: EntityManager | DataSource,
  conversationId: number,
): Promise<{ account_id: number; inbox_id: number } | undefined> {
  const [found] = await on.query(`SELECT account_id, inbox_id FROM conversations WHERE id = $1`, [
    conversationId,
  ]);
  return found;
}

type CustomTypes = CustomAttributeSource['types'];

const FILTER_COLUMNS: Record<string, FilterColumn> = {
  status: { sql: 'c.status', type: 'text' },
  assignee_id: { sql: 'c.assignee_id', type: 'number' },
  inbox_id: { sql: 'c.inbox_id', type: 'number' },
  team_id: { sql: 'c.team_id', type: 'number' },
  priority: { sql: 'c.priority', type: 'text' },
  display_id: { sql: 'c.display_id', type: 'number' },
  labels: { sql: 'c.labels', type: 'text_array' },
  created_at: { sql: 'c.created_at', type: 'date' },
  last_activity_at: { sql: 'c.last_activity_at', type: 'date' },
  browser_language: { sql: "(c.additional_attributes ->> 'browser_language')", type: 'text' },
  conversation_language: {
    sql: "(c.additional_attributes ->> 'conversation_language')",
    type: 'text',
  },
  referer: { sql: "(c.additional_attributes ->> 'referer')", type: 'text' },
  country_code: { sql: "(c.additional_attributes ->> 'country_code')", type: 'text' },
  mail_subject: { sql: "(c.additional_attributes ->> 'mail_subject')", type: 'text' },
};

const SORTS: Record<string, string> = {
  last_activity_at_desc: 'c.last_activity_at DESC, c.id DESC',
  last_activity_at_asc: 'c.last_activity_at ASC, c.id ASC',
  created_at_desc: 'c.created_at DESC, c.id DESC',
  created_at_asc: 'c.created_at ASC, c.id ASC',
  priority_desc:
    "array_position(ARRAY['urgent','high','medium','low']::text[], c.priority) ASC NULLS LAST, c.last_activity_at DESC, c.id DESC",
  priority_asc:
    "array_position(ARRAY['urgent','high','medium','low']::text[], c.priority) DESC NULLS FIRST, c.last_activity_at DESC, c.id DESC",
  waiting_since_asc: 'c.waiting_since ASC NULLS LAST, c.id ASC',
  waiting_since_desc: 'c.waiting_since DESC NULLS LAST, c.id DESC',
};

/**
 * The conversation list's counts and one page of views, in one REPEATABLE READ snapshot;
 * `inboxes` are the live inboxes the viewer `userId` may see.
 */
export function conversationList(
  dataSource: DataSource,
  accountId: number,
  userId: number,
  inboxes: number[],
  filters: ListConversationsQuery['filters'],
  customTypes: { conversation: CustomTypes; contact: CustomTypes } = {
    conversation: {},
    contact: {},
  },
): Promise<{ meta: ConversationCounts; rows: ConversationRow[] }> {
  const params: unknown[] = [accountId];
  const bind = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = ['c.account_id = $1'];
  where.push(`c.inbox_id = ANY(${bind(inboxes)}::int[])`);
  const status = filters.conditions ? 'all' : filters.q ? 'all' : (filters.status ?? 'open');
  if (status !== 'all') where.push(`c.status = ${bind(status)}`);
  if (filters.inboxId) where.push(`c.inbox_id = ${bind(filters.inboxId)}`);
  if (filters.teamId) where.push(`c.team_id = ${bind(filters.teamId)}`);
  if (filters.contactId) where.push(`c.contact_id = ${bind(filters.contactId)}`);
  // Any of the labels, as Chatwoot (tagged_with any: true).
  if (filters.labels?.length) where.push(`c.labels && ${bind(filters.labels)}::text[]`);
  if (filters.q) {
    const like = bind(`%${escapeLike(filters.q)}%`);
    const displayId = /^\d{1,9}$/.test(filters.q)
      ? `c.display_id = ${bind(Number(filters.q))} OR `
      : '';
    where.push(
      `(${displayId}${ContactSql.matches('c.contact_id', like)}
          OR EXISTS (SELECT 1 FROM messages qm WHERE qm.conversation_id = c.id AND qm.message_type IN (0, 1)
           AND qm.private = false AND qm.content ILIKE ${like}))`,
    );
  }
  if (filters.conditions)
    where.push(
      buildFilterSql(
        filters.conditions,
        FILTER_COLUMNS,
        {
          own: 'conversation_attribute',
          sources: {
            conversation_attribute: { sql: 'c.custom_attributes', types: customTypes.conversation },
            contact_attribute: {
              sql: ContactSql.customAttributesOf('c.contact_id'),
              types: customTypes.contact,
            },
          },
        },
        params,
      ),
    );

  const base = where.join(' AND ');
  // The viewer's id is bound last, and only for the statements that use it.
  const me = `$${params.length + 1}`;
  const withMe = [...params, userId];
  // One pass, with as little work per row as possible (an index-only scan of every matching
  // conversation): count(assignee_id) counts the assigned ones, the rest are unassigned.
  const countsSql = `SELECT mine_count, assigned_count, all_count - assigned_count AS unassigned_count, all_count
         FROM (SELECT count(*) FILTER (WHERE c.assignee_id = ${me})::int AS mine_count,
                      count(c.assignee_id)::int AS assigned_count, count(*)::int AS all_count
                 FROM conversations c WHERE ${base}) counts`;

  const assignee = filters.assigneeType ?? 'all';
  const pageWhere =
    assignee === 'me'
      ? `${base} AND c.assignee_id = ${me}`
      : assignee === 'unassigned'
        ? `${base} AND c.assignee_id IS NULL`
        : assignee === 'assigned'
          ? `${base} AND c.assignee_id IS NOT NULL`
          : base;
  const order = SORTS[filters.sortBy ?? 'last_activity_at_desc'] ?? SORTS.last_activity_at_desc;
  const offset = ((filters.page ?? 1) - 1) * CONVERSATIONS_PAGE_SIZE;
  // The page's ids first, from conversations alone (an index in ORDER BY order when there is
  // one), then the views of those ids only: the view's joins and last-message and unread
  // subqueries run for the page's rows, never for the rows the planner would otherwise meet
  // before LIMIT.
  const pageIds = `SELECT c.id FROM conversations c WHERE ${pageWhere}
      ORDER BY ${order} LIMIT ${CONVERSATIONS_PAGE_SIZE} OFFSET ${offset}`;

  // One snapshot for the counts, the page and its views.
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    // No JIT, for this transaction only: filters such as q inflate the cost estimates past the
    // JIT threshold, and compiling took longer (100-400 ms) than running these statements.
    await manager.query(`SELECT set_config('jit', 'off', true)`);
    const [meta] = (await manager.query(countsSql, withMe)) as ConversationCounts[];
    if (filters.countsOnly) return { meta, rows: [] };
    const page = (await manager.query(pageIds, assignee === 'me' ? withMe : params)) as {
      id: number;
    }[];
    const rows = await loadConversationsByIds(
      manager,
      page.map((row) => row.id),
    );
    return { meta, rows };
  });
}

/** The user who sent the conversation's latest outgoing message (reply or note), or null. */
export async function lastRespondingAgent(
  on: EntityManager | DataSource,
  conversationId: number,
): Promise<number | null> {
  const [row]: { sender_id: number }[] = await on.query(
    `SELECT sender_id FROM messages
      WHERE conversation_id = $1 AND message_type = $2 AND sender_type = 'user'
      ORDER BY id DESC LIMIT 1`,
    [conversationId, MESSAGE_TYPES.indexOf('outgoing')],
  );
  return row?.sender_id ?? null;
}
