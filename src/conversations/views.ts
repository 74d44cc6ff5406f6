import type { EntityManager } from 'typeorm';
import { AccountSql } from '../accounts/index.js';
import { ContactSql } from '../contacts/index.js';
import { PreparedQuery } from '../database/index.js';
import { InboxSql } from '../inboxes/index.js';
import { MESSAGE_TYPES } from './entities/message.entity.js';
import type { ContentType, MessageStatus, SenderType } from './entities/message.entity.js';
import type { ConversationStatus, Priority } from './entities/conversation.entity.js';

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
  'sender', CASE m.sender_type
    WHEN 'contact' THEN ${ContactSql.senderJson('m.sender_id')}
    WHEN 'user' THEN ${AccountSql.senderJson('m.sender_id', 'm.account_id')}
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
    attachments: [] as unknown[],
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
}

/** The conversation, its contact, assignee, team, inbox and account names. */
const CONVERSATION_CORE = `
  SELECT c.*,
    ${ContactSql.conversationSenderJson('ct')} AS sender,
    ${AccountSql.agentJson('u', 'au', 'c.account_id')} AS assignee,
    ${AccountSql.teamJson('t')} AS team,
    ${ContactSql.contactInboxColumns('ci')}, ${InboxSql.name('i')} AS inbox_name,
    ${AccountSql.accountName('a')} AS account_name,
    (SELECT count(*)::int FROM (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.message_type = 0
      AND m.created_at > coalesce(c.agent_last_seen_at, 'epoch'::timestamptz) LIMIT 10) unread) AS unread_count`;

const CONVERSATION_FROM = `
  FROM conversations c
  ${ContactSql.joinContact('ct', 'c.contact_id')}
  ${ContactSql.joinContactInbox('ci', 'c.contact_inbox_id')}
  ${InboxSql.joinInbox('i', 'c.inbox_id')}
  ${AccountSql.joinAccount('a', 'c.account_id')}
  ${AccountSql.leftJoinAgent('u', 'au', 'c.assignee_id', 'c.account_id')}
  ${AccountSql.leftJoinTeam('t', 'c.team_id')}`;

const CONVERSATION_SELECT = `${CONVERSATION_CORE},
    (SELECT ${MESSAGE_JSON} FROM messages m WHERE m.conversation_id = c.id ORDER BY m.id DESC LIMIT 1) AS last_message,
    (SELECT ${MESSAGE_JSON} FROM messages m WHERE m.conversation_id = c.id AND m.message_type <> 2
      ORDER BY m.id DESC LIMIT 1) AS last_non_activity_message
  ${CONVERSATION_FROM}`;

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
  `${CONVERSATION_CORE} ${CONVERSATION_FROM} WHERE c.id = $1`,
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
    can_reply: true,
    assignee_id: row.assignee_id,
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
    contact: row.sender,
    custom_attributes: row.custom_attributes,
    created_at: seconds(row.created_at),
  };
}
