import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { Actor } from '../common/index.js';
import {
  ContactCreatedEvent,
  ContactDeletedEvent,
  ContactMergedEvent,
  ContactUpdatedEvent,
} from '../contacts/index.js';
import type { ContactPushData } from '../contacts/index.js';
import {
  ConversationCreatedEvent,
  ConversationDeletedEvent,
  ConversationStatusChangedEvent,
  ConversationTypingOffEvent,
  ConversationTypingOnEvent,
  ConversationUpdatedEvent,
  MessageCreatedEvent,
  MessageDeletedEvent,
  MessageUpdatedEvent,
} from '../conversations/index.js';
import type {
  ConversationAt,
  ConversationEventData,
  MessageEventData,
} from '../conversations/index.js';
import { InboxCreatedEvent, InboxUpdatedEvent } from '../inboxes/index.js';
import type { InboxEventData } from '../inboxes/index.js';
import { DomainEvent, eventNames, loadEvent, UnregisteredEvent } from '../outbox/index.js';
import type { EventClass, StoredEvent } from '../outbox/index.js';
import { WebhookTestEvent } from './events/webhook-test.event.js';
import { SUBSCRIBABLE_EVENTS } from './webhooks.constants.js';

/*
 * The webhook body of every event is derived from its typed class. It must stay byte-identical
 * to the body the untyped outbox sent before (the stored payload, as PostgreSQL's jsonb returns
 * it, followed by event, event_id, sequence and occurred_at), for rows stored before and after.
 */

const actor: Actor = { type: 'user', id: 4 };
const account = { id: 7, name: 'Acme' };
const inbox = { id: 3, name: 'Support API' };

const conversation = {
  meta: {
    sender: {
      id: 12,
      name: 'Alice',
      email: 'alice@example.com',
      phone_number: null,
      identifier: 'cust-42',
      thumbnail: '',
      additional_attributes: { city: 'Lyon' },
      custom_attributes: {},
      last_activity_at: 1764759000,
      created_at: 1764758000,
      type: 'contact',
    },
    channel: 'Channel::Api',
    assignee: { id: 4, name: 'Grace', available_name: 'Grace', type: 'user' },
    hmac_verified: false,
  },
  id: 5,
  account_id: 7,
  uuid: '0b7c0a59-0d1f-4bd3-8e0c-6b1d9a8e7f10',
  inbox_id: 3,
  status: 'open',
  priority: null,
  snoozed_until: null,
  labels: ['billing'],
  custom_attributes: { plan: 'pro' },
  additional_attributes: {},
  muted: false,
  can_reply: true,
  assignee_id: 4,
  team_id: null,
  agent_last_seen_at: 0,
  assignee_last_seen_at: 0,
  contact_last_seen_at: 1764759100,
  first_reply_created_at: 0,
  waiting_since: 1764759000,
  unread_count: 1,
  last_activity_at: 1764759200,
  timestamp: 1764759200,
  created_at: 1764758000,
  updated_at: 1764759200.123,
  channel: 'Channel::Api',
  contact_inbox: { source_id: 'c0ffee', hmac_verified: false, inbox_id: 3 },
} as unknown as ConversationEventData;

const message = {
  id: 91,
  content: 'My order has not arrived',
  content_type: 'text',
  content_attributes: { submitted_values: [{ a: 1 }] },
  additional_attributes: {},
  message_type: 'incoming',
  private: false,
  status: 'sent',
  source_id: 'crm-msg-1001',
  echo_id: 'e-1',
  created_at: '2026-12-03T12:00:00.000Z',
  sender: { id: 12, name: 'Alice', type: 'contact' },
} as unknown as MessageEventData;

const contact: ContactPushData = {
  id: 12,
  name: 'Alice',
  email: 'alice@example.com',
  phone_number: '+33123456789',
  identifier: 'cust-42',
  thumbnail: '',
  blocked: false,
  custom_attributes: { vip: true },
  additional_attributes: { company_name: 'Initech' },
  type: 'contact',
};

const inboxData = {
  id: 3,
  account_id: 7,
  name: 'Support API',
  channel_id: 3,
  channel_type: 'Channel::Api',
  inbox_identifier: 'abcdefghijklmnopqrstuvwx',
  webhook_url: 'https://crm.example.com/conversa',
  hmac_mandatory: false,
  hmac_scope: 'contact_routes',
  additional_attributes: {},
  enable_auto_assignment: true,
  lock_to_single_conversation: false,
  allow_messages_after_resolved: true,
  greeting_enabled: false,
  greeting_message: null,
  timezone: 'UTC',
  auto_assignment_config: { max_assignment_limit: 5 },
  avatar_url: '',
  working_hours_enabled: false,
  working_hours: [],
  csat_survey_enabled: false,
  csat_config: {},
  enable_email_collect: true,
  out_of_office_message: null,
  portal_id: null,
  sender_name_type: 'friendly',
  business_name: null,
  callback_webhook_url: null,
  website_url: null,
  widget_color: null,
  welcome_title: null,
  welcome_tagline: null,
  provider: null,
} as InboxEventData;

const at: ConversationAt = { conversationId: 11, conversation, account, inbox };
const changed = [{ assignee_id: { previous_value: null, current_value: 4 } }];
const typist = { type: 'user' as const, id: 4 };
const webhook = { id: 2, kind: 'account' as const, inbox_id: null };

/** Each event as a producer builds it, and the payload the untyped outbox stored for it. */
const cases: [string, EventClass, DomainEvent, Record<string, unknown>][] = [
  [
    'conversation_created',
    ConversationCreatedEvent,
    new ConversationCreatedEvent(at, actor),
    { ...conversation, account, inbox },
  ],
  [
    'conversation_updated',
    ConversationUpdatedEvent,
    new ConversationUpdatedEvent(at, changed, actor),
    { ...conversation, account, inbox, changed_attributes: changed },
  ],
  [
    'conversation_status_changed',
    ConversationStatusChangedEvent,
    new ConversationStatusChangedEvent(at, 'resolved', actor),
    { ...conversation, account, inbox, previous_status: 'resolved' },
  ],
  [
    'conversation_deleted',
    ConversationDeletedEvent,
    new ConversationDeletedEvent(at, actor),
    { ...conversation, account, inbox },
  ],
  [
    'conversation_typing_on',
    ConversationTypingOnEvent,
    new ConversationTypingOnEvent(at, false, typist, actor),
    { ...conversation, account, inbox, is_private: false, user: typist },
  ],
  [
    'conversation_typing_off',
    ConversationTypingOffEvent,
    new ConversationTypingOffEvent(at, true, typist, actor),
    { ...conversation, account, inbox, is_private: true, user: typist },
  ],
  ...(
    [
      ['message_created', MessageCreatedEvent],
      ['message_updated', MessageUpdatedEvent],
      ['message_deleted', MessageDeletedEvent],
    ] as const
  ).map(([name, type]): [string, EventClass, DomainEvent, Record<string, unknown>] => [
    name,
    type,
    new type(at, message, actor),
    { ...message, account, inbox, conversation },
  ]),
  ...(
    [
      ['contact_created', ContactCreatedEvent],
      ['contact_updated', ContactUpdatedEvent],
      ['contact_deleted', ContactDeletedEvent],
    ] as const
  ).map(([name, type]): [string, EventClass, DomainEvent, Record<string, unknown>] => [
    name,
    type,
    new type(7, contact, 3, actor),
    { ...contact, account: { id: 7 } },
  ]),
  [
    'contact_merged',
    ContactMergedEvent,
    new ContactMergedEvent(7, contact, { ...contact, id: 43, name: 'Duplicate' }, actor),
    { ...contact, account: { id: 7 }, mergee: { ...contact, id: 43, name: 'Duplicate' } },
  ],
  [
    'inbox_created',
    InboxCreatedEvent,
    new InboxCreatedEvent(inboxData, actor),
    { ...inboxData, account: { id: 7 } },
  ],
  [
    'inbox_updated',
    InboxUpdatedEvent,
    new InboxUpdatedEvent(inboxData, actor),
    { ...inboxData, account: { id: 7 } },
  ],
  [
    'webhook_test',
    WebhookTestEvent,
    new WebhookTestEvent(7, webhook),
    { webhook, account: { id: 7 }, message: 'This is a test event from Conversa.' },
  ],
];

describe('event bodies (stored payload -> typed event -> webhook body)', () => {
  let db: pg.Client;

  /** The payload as a domain_events row gives it back: through PostgreSQL's jsonb. */
  const throughJsonb = async (payload: unknown): Promise<Record<string, unknown>> =>
    (await db.query(`SELECT $1::jsonb AS payload`, [JSON.stringify(payload)])).rows[0].payload;

  const stored = (name: string, event: DomainEvent, payload: Record<string, unknown>) =>
    ({
      id: '1001',
      eventId: '0db44799-ca2e-4ca6-98ae-993c8aa71fa4',
      name,
      accountId: event.accountId,
      inboxId: event.inboxId,
      conversationId: event.conversationId,
      stream: event.stream,
      sequence: 3,
      actor: event.actor,
      payload,
      occurredAt: new Date('2026-11-23T05:04:19.457Z'),
    }) satisfies StoredEvent;

  /** The body as the untyped outbox built it from a stored row. */
  const formerBody = (row: StoredEvent) =>
    JSON.stringify({
      ...row.payload,
      event: row.name,
      event_id: row.eventId,
      sequence: row.sequence,
      occurred_at: row.occurredAt.toISOString(),
    });

  beforeAll(async () => {
    db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
  });

  afterAll(() => db.end());

  it('the catalogue holds every webhook event, each registered by its module', () => {
    expect([...eventNames()].sort()).toEqual(cases.map(([name]) => name).sort());
    expect([...SUBSCRIBABLE_EVENTS].sort()).toEqual(
      cases
        .map(([name]) => name)
        .filter((name) => name !== 'webhook_test')
        .sort(),
    );
    for (const [name, , event] of cases) expect(event.name).toBe(name);
  });

  it.each(cases)(
    '%s: a producer builds the payload the untyped outbox stored, key for key and in order',
    (_name, _type, event, former) => {
      expect(JSON.stringify(event.toPayload())).toBe(JSON.stringify(former));
    },
  );

  it.each(cases)(
    '%s: a stored row loads as its class, with the byte-identical body',
    async (name, type, event, former) => {
      const row = stored(name, event, await throughJsonb(former));
      const loaded = loadEvent(row);
      expect(loaded).toBeInstanceOf(type);
      expect(loaded.meta).toMatchObject({ eventId: row.eventId, sequence: 3, stream: row.stream });
      expect(JSON.stringify(loaded.body())).toBe(formerBody(row));
      // Loaded again from what it would store now: still the same.
      const again = loadEvent(stored(name, loaded, await throughJsonb(loaded.toPayload())));
      expect(JSON.stringify(again.body())).toBe(formerBody(row));
      // Routing survives the round trip.
      expect([loaded.accountId, loaded.inboxId, loaded.conversationId, loaded.stream]).toEqual([
        event.accountId,
        event.inboxId,
        event.conversationId,
        event.stream,
      ]);
    },
  );

  it('typed fields come back from a stored row', async () => {
    const [, , event, former] = cases[1];
    const loaded = loadEvent(stored('conversation_updated', event, await throughJsonb(former)));
    expect(loaded).toBeInstanceOf(ConversationUpdatedEvent);
    const updated = loaded as ConversationUpdatedEvent;
    expect(updated.change('assignee_id')).toEqual({ previous_value: null, current_value: 4 });
    expect(updated.conversation.status).toBe('open');
    expect(updated.conversationId).toBe(11);
    expect(updated.account).toEqual(account);
  });

  it('a stored name no module registers still loads, with the body it was stored with', async () => {
    const payload = await throughJsonb({ zeta: 1, alpha: { b: 2, a: 1 }, id: 9 });
    const row = { ...stored('retired_event', cases[0][2], payload), name: 'retired_event' };
    const loaded = loadEvent(row);
    expect(loaded).toBeInstanceOf(UnregisteredEvent);
    expect(JSON.stringify(loaded.body())).toBe(formerBody(row));
  });
});
