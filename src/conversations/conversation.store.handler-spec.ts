import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { buildDataSourceOptions } from '../database/index.js';
import { loadConversationEventView } from './conversation.read-model.js';
import { lockAndInsertMessage, lockConversation } from './conversation.store.js';
import type { NewMessage } from './conversation.store.js';
import { Conversation } from './entities/conversation.entity.js';
import { Message } from './entities/message.entity.js';

/**
 * Handler tier: the event view that the lock-and-insert statement answers (so that a new
 * message's events need no second read) must be exactly what loadConversationEventView reads
 * after it in the same transaction, whatever the conversation's state and the message.
 */
describe('lockAndInsertMessage: the event view it answers is the one read after it', () => {
  let dataSource: DataSource;
  let observer: pg.Client;
  let accountId: number;
  let agentId: number;
  let teamId: number;
  let contactId: number;
  let displayIds = 0;
  /** Inboxes without and with a 2-hour reply window (can_reply), and a contact inbox in each. */
  const inboxes: Record<'plain' | 'window', { id: number; contactInboxId: number }> = {
    plain: { id: 0, contactInboxId: 0 },
    window: { id: 0, contactInboxId: 0 },
  };

  async function one(sql: string, params: unknown[] = []) {
    return (await observer.query(sql, params)).rows[0];
  }

  interface State {
    inbox?: 'plain' | 'window';
    status?: 'open' | 'pending' | 'resolved' | 'snoozed';
    assigned?: boolean;
    /** agent_last_seen_at relative to now, in minutes (null: never). */
    agentSeenMinutes?: number | null;
    /** Earlier incoming messages, each this many minutes ago. */
    incomingMinutesAgo?: number[];
  }

  /** A conversation of the contact in that state; answers its id. */
  async function conversation(state: State = {}): Promise<number> {
    const inbox = inboxes[state.inbox ?? 'plain'];
    const seen = state.agentSeenMinutes;
    const { id } = await one(
      `INSERT INTO conversations (account_id, inbox_id, contact_id, contact_inbox_id, display_id,
                                  status, snoozed_until, assignee_id, team_id, labels,
                                  custom_attributes, additional_attributes, agent_last_seen_at,
                                  waiting_since)
       VALUES ($1, $2, $3, $4, $5, $6::varchar, CASE WHEN $6::varchar = 'snoozed' THEN now() + interval '1 day' END,
               $7, $8, '{billing,vip}', '{"plan": "pro"}', '{"referer": "https://example.test"}',
               CASE WHEN $9::int IS NULL THEN NULL ELSE now() + make_interval(mins => $9::int) END,
               now() - interval '1 hour')
       RETURNING id`,
      [
        accountId,
        inbox.id,
        contactId,
        inbox.contactInboxId,
        ++displayIds,
        state.status ?? 'open',
        state.assigned === false ? null : agentId,
        state.assigned === false ? null : teamId,
        seen ?? null,
      ],
    );
    for (const minutes of state.incomingMinutesAgo ?? []) {
      await observer.query(
        `INSERT INTO messages (account_id, inbox_id, conversation_id, message_type, content,
                               sender_type, sender_id, created_at)
         VALUES ($1, $2, $3, 0, 'earlier', 'contact', $4, now() - make_interval(mins => $5::int))`,
        [accountId, inbox.id, id, contactId, minutes],
      );
    }
    return id;
  }

  const incoming = (sourceId?: string): NewMessage => ({
    messageType: 'incoming',
    content: 'From the contact',
    sourceId: sourceId ?? null,
    sender: { type: 'contact', id: contactId },
  });
  const reply = (): NewMessage => ({
    messageType: 'outgoing',
    content: 'From the agent',
    sender: { type: 'user', id: agentId },
  });
  const note = (): NewMessage => ({ ...reply(), private: true });

  function insert(manager: EntityManager, conversationId: number, message: NewMessage) {
    return lockAndInsertMessage(manager, conversationId, message, {
      holdIfResolved: false,
      at: new Date(),
    });
  }

  /**
   * Inserts the message and compares the view the statement answered with the one read after
   * it; answers the views before and after for the caller's checks that the case is the one
   * it means.
   */
  async function compare(conversationId: number, message: NewMessage) {
    return dataSource.transaction(async (manager) => {
      const before = (await loadConversationEventView(manager, conversationId))!;
      const attempt = (await insert(manager, conversationId, message))!;
      const after = await loadConversationEventView(manager, conversationId);
      expect(attempt.inserted?.created).toBe(true);
      expect(attempt.view).toEqual(after);
      return { before, after: after! };
    });
  }

  beforeAll(async () => {
    const url = process.env.DATABASE_URL!;
    dataSource = await new DataSource({
      ...buildDataSourceOptions(url, 3),
      entities: [Conversation, Message],
    }).initialize();
    observer = new pg.Client({ connectionString: url });
    await observer.connect();
    const suffix = randomUUID().slice(0, 8);
    ({ id: accountId } = await one(
      `INSERT INTO accounts (name) VALUES ('Event view spec') RETURNING id`,
    ));
    ({ id: agentId } = await one(
      `INSERT INTO users (name, display_name, email) VALUES ('Agent Ada', 'Ada', $1) RETURNING id`,
      [`ada-${suffix}@example.test`],
    ));
    await observer.query(
      `INSERT INTO account_users (account_id, user_id, role, availability) VALUES ($1, $2, 'agent', 'online')`,
      [accountId, agentId],
    );
    ({ id: teamId } = await one(
      `INSERT INTO teams (account_id, name, description) VALUES ($1, 'Billing', 'Money') RETURNING id`,
      [accountId],
    ));
    ({ id: contactId } = await one(
      `INSERT INTO contacts (account_id, name, email, phone_number, identifier, custom_attributes,
                            additional_attributes, last_activity_at)
       VALUES ($1, 'Hana', 'hana@example.test', '+4915112345678', $2, '{"tier": "gold"}',
               '{"city": "Berlin"}', now() - interval '1 day')
       RETURNING id`,
      [accountId, `crm-${suffix}`],
    ));
    for (const [kind, attributes] of [
      ['plain', {}],
      ['window', { agent_reply_time_window: '2' }],
    ] as const) {
      const { id } = await one(
        `INSERT INTO inboxes (account_id, name, identifier, hmac_token, additional_attributes)
         VALUES ($1, $2, $3, 'x', $4) RETURNING id`,
        [accountId, `Spec ${kind}`, `spec-${kind}-${suffix}`, attributes],
      );
      const { id: contactInboxId } = await one(
        `INSERT INTO contact_inboxes (contact_id, inbox_id, source_id, pubsub_token, hmac_verified)
         VALUES ($1, $2, $3, $3, true) RETURNING id`,
        [contactId, id, `source-${kind}-${suffix}`],
      );
      inboxes[kind] = { id, contactInboxId };
    }
  });

  afterAll(async () => {
    await observer?.end();
    await dataSource?.destroy();
  });

  it('an incoming message, agent never seen: assignee, team, labels, contact details, one more unread', async () => {
    const { before, after } = await compare(
      await conversation({ incomingMinutesAgo: [30, 20] }),
      incoming(),
    );
    expect(after).toMatchObject({
      assignee: { id: agentId, name: 'Agent Ada' },
      team: { id: teamId, name: 'Billing' },
      labels: ['billing', 'vip'],
      sender: {
        email: 'hana@example.test',
        phone_number: '+4915112345678',
        custom_attributes: { tier: 'gold' },
      },
      hmac_verified: true,
    });
    expect([before.unread_count, after.unread_count]).toEqual([2, 3]);
  });

  it('an incoming message after the agent last looked: it counts, the older ones do not', async () => {
    const { before, after } = await compare(
      await conversation({ agentSeenMinutes: -10, incomingMinutesAgo: [30, 5] }),
      incoming(),
    );
    expect([before.unread_count, after.unread_count]).toEqual([1, 2]);
  });

  it('an incoming message while the agent has seen newer (a later agent_last_seen_at): no unread', async () => {
    const { before, after } = await compare(
      await conversation({ agentSeenMinutes: 10, assigned: false, incomingMinutesAgo: [30] }),
      incoming(),
    );
    expect(after).toMatchObject({ assignee: null, team: null });
    expect([before.unread_count, after.unread_count]).toEqual([0, 0]);
  });

  it('an incoming message when ten are unread already: still ten', async () => {
    const { before, after } = await compare(
      await conversation({ incomingMinutesAgo: Array.from({ length: 10 }, (_, i) => 50 - i) }),
      incoming(),
    );
    expect([before.unread_count, after.unread_count]).toEqual([10, 10]);
  });

  it('an incoming message when nine are unread: ten', async () => {
    const { after } = await compare(
      await conversation({ incomingMinutesAgo: Array.from({ length: 9 }, (_, i) => 50 - i) }),
      incoming(),
    );
    expect(after.unread_count).toBe(10);
  });

  it('an outgoing reply: ends the wait, sets the first reply, unread unchanged', async () => {
    const { before, after } = await compare(
      await conversation({ incomingMinutesAgo: [5] }),
      reply(),
    );
    expect(before).toMatchObject({ first_reply_created_at: null, unread_count: 1 });
    expect(after).toMatchObject({ waiting_since: null, unread_count: 1 });
    expect(after.first_reply_created_at).not.toBeNull();
  });

  it('a private note', async () => {
    const { after } = await compare(await conversation({ incomingMinutesAgo: [5] }), note());
    expect(after.waiting_since).not.toBeNull();
  });

  it.each(['snoozed', 'resolved'] as const)(
    'an incoming message into a %s conversation reopens it',
    async (status) => {
      const { before, after } = await compare(await conversation({ status }), incoming());
      expect(before.status).toBe(status);
      expect(after).toMatchObject({ status: 'open', snoozed_until: null, unread_count: 1 });
    },
  );

  it('with a reply window: the new incoming message opens it (can_reply)', async () => {
    const { before, after } = await compare(
      await conversation({ inbox: 'window', incomingMinutesAgo: [180] }),
      incoming(),
    );
    expect([before.can_reply, after.can_reply]).toEqual([false, true]);
  });

  it('with a reply window: an outgoing reply does not open it', async () => {
    const { after } = await compare(
      await conversation({ inbox: 'window', incomingMinutesAgo: [180] }),
      reply(),
    );
    expect(after.can_reply).toBe(false);
  });

  it('answers no view when it inserted nothing (a source_id the inbox has)', async () => {
    const conversationId = await conversation();
    const sourceId = `once-${randomUUID()}`;
    await compare(conversationId, incoming(sourceId));
    const again = await dataSource.transaction((manager) =>
      insert(manager, conversationId, incoming(sourceId)),
    );
    expect(again).toMatchObject({ held: false, inserted: { created: false } });
    expect(again!.view).toBeUndefined();
  });

  it('answers no view when it holds a message for a resolved conversation', async () => {
    const conversationId = await conversation({ status: 'resolved' });
    const held = await dataSource.transaction((manager) =>
      lockAndInsertMessage(manager, conversationId, incoming(), {
        holdIfResolved: true,
        at: new Date(),
      }),
    );
    expect(held).toEqual({ target: expect.objectContaining({ status: 'resolved' }), held: true });
  });

  /**
   * Runs `holder` in a transaction that holds the conversation's lock while lockAndInsertMessage
   * waits for it, then commits; answers the waiting insert's attempt and the view read after it.
   */
  async function afterWaiting(
    conversationId: number,
    holder: (manager: EntityManager) => Promise<unknown>,
  ) {
    const holding = dataSource.createQueryRunner();
    await holding.connect();
    await holding.startTransaction();
    try {
      await holder(holding.manager);
      return await dataSource.transaction(async (manager) => {
        const [{ pid }] = await manager.query('SELECT pg_backend_pid() AS pid');
        const attempt = insert(manager, conversationId, incoming());
        // Commit the holder only once the insert is waiting for its lock.
        for (;;) {
          const waiting = await one(`SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1`, [
            pid,
          ]);
          if (waiting?.wait_event_type === 'Lock') break;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        await holding.commitTransaction();
        const done = (await attempt)!;
        return {
          attempt: done,
          after: (await loadConversationEventView(manager, conversationId))!,
        };
      });
    } finally {
      if (holding.isTransactionActive) await holding.rollbackTransaction();
      await holding.release();
    }
  }

  it('after waiting for a writer that changed the conversation: no view (its snapshot is older), the caller reads it', async () => {
    const conversationId = await conversation({ incomingMinutesAgo: [5] });
    // The holder adds the contact's message: a view from the waiting statement's snapshot
    // would miss it in the unread count.
    const { attempt, after } = await afterWaiting(conversationId, (manager) =>
      insert(manager, conversationId, incoming()),
    );
    expect(attempt.inserted?.created).toBe(true);
    expect(attempt.view).toBeUndefined();
    expect(after.unread_count).toBe(3);
  });

  it('after waiting for a transaction that only locked the conversation: the view, as read after', async () => {
    const conversationId = await conversation({ incomingMinutesAgo: [5] });
    const { attempt, after } = await afterWaiting(conversationId, (manager) =>
      lockConversation(manager, conversationId),
    );
    expect(attempt.view).toEqual(after);
    expect(after.unread_count).toBe(2);
  });
});
