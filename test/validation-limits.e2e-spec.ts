import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  accountPath,
  addInboxMembers,
  createInbox,
  createPublicContact,
  createPublicConversation,
  postPublicMessage,
  publicPath,
  seedConversation,
  unique,
} from './support/api-channel.js';
import { closeTestDatabase, testDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { createAccount, createAgent } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { expectInvalidFields, expectProblem, messagesOf } from './support/problems.js';
import { startServer, TestServer } from './support/server.js';

const LONG_NAME = 'n'.repeat(256);
const LONG_VALUE = 'v'.repeat(1_501);

describe('validation and limits', () => {
  let server: TestServer;
  let admin: TestAccount;
  let seeded: Awaited<ReturnType<typeof seedConversation>>;

  const db = () => testDatabase();
  const conversationPath = () => `${accountPath(admin)}/conversations/${seeded.conversationId}`;
  const publicConversationPath = () =>
    `${publicPath(seeded.inbox.identifier)}/contacts/${seeded.contact.sourceId}/conversations/${seeded.conversationId}`;

  /** Row counts of everything a write of this issue can add, for "nothing half-written". */
  async function counts(accountId = admin.accountId) {
    const { rows } = await db().query(
      `SELECT (SELECT count(*)::int FROM inboxes WHERE account_id = $1) AS inboxes,
              (SELECT count(*)::int FROM contacts WHERE account_id = $1) AS contacts,
              (SELECT count(*)::int FROM contact_inboxes ci JOIN contacts c ON c.id = ci.contact_id WHERE c.account_id = $1) AS contact_inboxes,
              (SELECT count(*)::int FROM conversations WHERE account_id = $1) AS conversations,
              (SELECT count(*)::int FROM messages WHERE account_id = $1) AS messages,
              (SELECT count(*)::int FROM domain_events WHERE account_id = $1) AS events,
              (SELECT coalesce(max(last_display_id), 0) FROM conversation_display_counters WHERE account_id = $1) AS display_id`,
      [accountId],
    );
    return rows[0];
  }

  beforeAll(async () => {
    server = await startServer();
    admin = await createAccount('Limits');
    seeded = await seedConversation(server.http, admin);
  });
  afterAll(async () => {
    await server?.stop();
    await closeTestDatabase();
  });

  const as = (token: string) => ({
    post: (path: string, body: object) =>
      server.http.post(path).set('api_access_token', token).send(body),
    patch: (path: string, body: object) =>
      server.http.patch(path).set('api_access_token', token).send(body),
    get: (path: string, query: Record<string, unknown> = {}) =>
      server.http.get(path).query(query).set('api_access_token', token),
  });

  describe('every bad field is named, and nothing is written', () => {
    it('inbox create: missing name, bad webhook_url, wrong channel type, unknown fields', async () => {
      const before = await counts();
      const response = await as(admin.token).post(`${accountPath(admin)}/inboxes`, {
        channel: { type: 'email', webhook_url: 'ftp://files.example.test', secret_sauce: true },
        colour: 'red',
      });
      const problem = expectInvalidFields(response, [
        'name',
        'channel.type',
        'channel.webhook_url',
        'channel.secret_sauce',
        'colour',
      ]);
      expect(messagesOf(problem, 'channel.webhook_url')).toEqual([
        'must be an http:// or https:// URL',
      ]);
      expect(messagesOf(problem, 'colour')).toEqual(['is not a known field; remove it']);
      expectInvalidFields(
        await as(admin.token).post(`${accountPath(admin)}/inboxes`, {
          name: LONG_NAME,
          channel: { type: 'api', additional_attributes: { a: LONG_VALUE } },
        }),
        ['name', 'channel.additional_attributes'],
      );
      expectInvalidFields(
        await as(admin.token).post(`${accountPath(admin)}/inboxes`, {
          name: '   ',
          channel: { type: 'api' },
        }),
        ['name'],
      );
      expectInvalidFields(
        await as(admin.token).post(`${accountPath(admin)}/inboxes`, { name: 'No channel' }),
        ['channel'],
      );
      expect(await counts()).toEqual(before);
      // At the limits it is accepted.
      const ok = await as(admin.token).post(`${accountPath(admin)}/inboxes`, {
        name: 'n'.repeat(255),
        channel: { type: 'api', additional_attributes: { a: 'v'.repeat(1_500) } },
      });
      expect(ok.status).toBe(201);
    });

    it('inbox update: bad fields are named and the inbox is unchanged', async () => {
      const path = `${accountPath(admin)}/inboxes/${seeded.inbox.id}`;
      const response = await as(admin.token).patch(path, {
        name: '',
        channel: { webhook_url: 'not a url', hmac_mandatory: 'yes' },
        lock_to_single_conversation: 1,
      });
      expectInvalidFields(response, [
        'name',
        'channel.webhook_url',
        'channel.hmac_mandatory',
        'lock_to_single_conversation',
      ]);
      const { rows } = await db().query(
        `SELECT i.name, e.url AS webhook_url, i.hmac_mandatory
           FROM inboxes i JOIN webhook_endpoints e ON e.kind = 'inbox' AND e.inbox_id = i.id
          WHERE i.id = $1`,
        [seeded.inbox.id],
      );
      expect(rows).toEqual([
        { name: seeded.inbox.body.name, webhook_url: null, hmac_mandatory: false },
      ]);
    });

    it('contact create (Application API): bad email, phone not E.164, long name, long attribute, unknown field', async () => {
      const before = await counts();
      const response = await as(admin.token).post(`${accountPath(admin)}/contacts`, {
        name: LONG_NAME,
        email: 'not-an-email',
        phone_number: '0044 20 7946 0958',
        custom_attributes: { plan: LONG_VALUE },
        additional_attributes: Object.fromEntries(
          Array.from({ length: 101 }, (_, index) => [`k${index}`, index]),
        ),
        nickname: 'Al',
      });
      const problem = expectInvalidFields(response, [
        'name',
        'email',
        'phone_number',
        'custom_attributes',
        'additional_attributes',
        'nickname',
      ]);
      expect(messagesOf(problem, 'phone_number')).toEqual([
        'must be in E.164 format, like +14155550100',
      ]);
      expect(messagesOf(problem, 'custom_attributes')[0]).toContain('1500');
      expect(messagesOf(problem, 'additional_attributes')[0]).toContain('100 keys');
      expect(await counts()).toEqual(before);
      const ok = await as(admin.token).post(`${accountPath(admin)}/contacts`, {
        name: 'n'.repeat(255),
        phone_number: '+442079460958',
        custom_attributes: { plan: 'v'.repeat(1_500) },
      });
      expect(ok.status).toBe(201);
    });

    it('contact create and update (Client API) name the bad fields', async () => {
      const before = await counts();
      const create = await server.http
        .post(`${publicPath(seeded.inbox.identifier)}/contacts`)
        .send({
          email: 'nope',
          phone_number: '12345',
          source_id: '',
          // Blank is "no identifier" (as Chatwoot allows); too long is not.
          identifier: 'i'.repeat(256),
          avatar_url: 'javascript:alert(1)',
          role: 'admin',
        });
      expectInvalidFields(create, [
        'email',
        'phone_number',
        'source_id',
        'identifier',
        'avatar_url',
        'role',
      ]);
      const update = await server.http
        .patch(`${publicPath(seeded.inbox.identifier)}/contacts/${seeded.contact.sourceId}`)
        .send({ name: LONG_NAME, custom_attributes: { x: LONG_VALUE }, blocked: true });
      expectInvalidFields(update, ['name', 'custom_attributes', 'blocked']);
      expect(await counts()).toEqual(before);
    });

    it('message create: content over 150,000 characters, bad type, unknown field; exactly 150,000 is accepted', async () => {
      const before = await counts();
      const response = await as(admin.token).post(`${conversationPath()}/messages`, {
        content: 'c'.repeat(150_001),
        content_type: 'hologram',
        message_type: 'activity',
        // Structured content has no per-value cap (cards, form items); as a string it must be JSON.
        content_attributes: '{"items": [',
        source_id: 's'.repeat(256),
        urgent: true,
      });
      const problem = expectInvalidFields(response, [
        'content',
        'content_type',
        'message_type',
        'content_attributes',
        'source_id',
        'urgent',
      ]);
      expect(messagesOf(problem, 'content')).toEqual(['must be at most 150000 characters']);
      const contact = await server.http
        .post(`${publicConversationPath()}/messages`)
        .send({ content: 'c'.repeat(150_001), private: 'yes' });
      // private is accepted (and dropped, as Chatwoot's Client API does) but must be a boolean.
      expectInvalidFields(contact, ['content', 'private']);
      expectInvalidFields(
        await server.http.post(`${publicConversationPath()}/messages`).send({ content: '' }),
        ['content'],
      );
      expect(await counts()).toEqual(before);

      const longest = await as(admin.token).post(`${conversationPath()}/messages`, {
        content: 'c'.repeat(150_000),
      });
      expect(longest.status).toBe(201);
      const stored = await db().query(
        `SELECT length(content) AS length FROM messages WHERE id = $1`,
        [longest.body.id],
      );
      expect(stored.rows).toEqual([{ length: 150_000 }]);
      await postPublicMessage(server.http, seeded.inbox, seeded.contact, seeded.conversationId, {
        content: 'c'.repeat(150_000),
      });
    });

    it('conversation writes: attributes over 1,500, long labels, bad status, priority and typing values', async () => {
      const before = await counts();
      const base = conversationPath();
      expectInvalidFields(
        await as(admin.token).post(`${base}/custom_attributes`, {
          custom_attributes: { note: LONG_VALUE },
        }),
        ['custom_attributes'],
      );
      expectInvalidFields(
        await as(admin.token).post(`${base}/custom_attributes`, {
          custom_attributes: ['not', 'a', 'map'],
        }),
        ['custom_attributes'],
      );
      expectInvalidFields(
        await as(admin.token).post(`${base}/labels`, { labels: ['ok', LONG_NAME, ''] }),
        ['labels'],
      );
      expectInvalidFields(
        await as(admin.token).post(`${base}/toggle_status`, { status: 'closed' }),
        ['status'],
      );
      expectInvalidFields(
        await as(admin.token).post(`${base}/toggle_status`, {
          status: 'snoozed',
          snoozed_until: 'next tuesday',
        }),
        ['snoozed_until'],
      );
      expectInvalidFields(
        await as(admin.token).post(`${base}/toggle_status`, {
          status: 'snoozed',
          snoozed_until: 1e20,
        }),
        ['snoozed_until'],
      );
      expectProblem(
        await as(admin.token).post(`${base}/toggle_status`, {
          status: 'snoozed',
          snoozed_until: Math.floor(Date.now() / 1000) - 60,
        }),
        422,
        'invalid_status_change',
      );
      expectInvalidFields(
        await as(admin.token).post(`${base}/toggle_priority`, { priority: 'critical' }),
        ['priority'],
      );
      expectInvalidFields(
        await as(admin.token).post(`${base}/toggle_typing_status`, { typing_status: 'maybe' }),
        ['typing_status'],
      );
      expectInvalidFields(
        await as(admin.token).post(`${base}/assignments`, { assignee_id: 'me' }),
        ['assignee_id'],
      );
      expectInvalidFields(
        await as(admin.token).patch(`${base}/messages/${seeded.message.id}`, {
          status: 'lost',
          external_error: LONG_VALUE,
        }),
        ['status', 'external_error'],
      );
      expectInvalidFields(
        await server.http
          .post(
            `${publicPath(seeded.inbox.identifier)}/contacts/${seeded.contact.sourceId}/conversations`,
          )
          .send({ custom_attributes: { a: LONG_VALUE } }),
        ['custom_attributes'],
      );
      expectInvalidFields(
        await server.http
          .patch(`${publicConversationPath()}/messages/${seeded.message.id}`)
          .send({ submitted_values: { a: LONG_VALUE } }),
        ['submitted_values'],
      );
      expectInvalidFields(
        await server.http
          .post(`${publicConversationPath()}/toggle_typing`)
          .send({ typing_status: 'loud' }),
        ['typing_status'],
      );
      expect(await counts()).toEqual(before);
      const { rows } = await db().query(
        `SELECT status, snoozed_until, priority, labels, custom_attributes FROM conversations WHERE account_id = $1 AND display_id = $2`,
        [admin.accountId, seeded.conversationId],
      );
      expect(rows).toEqual([
        { status: 'open', snoozed_until: null, priority: null, labels: [], custom_attributes: {} },
      ]);
    });

    it('cursors and pages outside their range are 422, never 500', async () => {
      expectInvalidFields(
        await as(admin.token).get(`${conversationPath()}/messages`, {
          before: '99999999999999999999',
        }),
        ['before'],
      );
      expectInvalidFields(
        await as(admin.token).get(`${conversationPath()}/messages`, { after: -1 }),
        ['after'],
      );
      expectInvalidFields(
        await server.http
          .get(`${publicConversationPath()}/messages`)
          .query({ before: '9223372036854775808' }),
        ['before'],
      );
      expectInvalidFields(
        await as(admin.token).get(`${accountPath(admin)}/conversations`, { page: 0 }),
        ['page'],
      );
      expectInvalidFields(
        await as(admin.token).get(`${accountPath(admin)}/conversations`, {
          page: 10_001,
          status: 'any',
        }),
        ['page', 'status'],
      );
      expectInvalidFields(
        await as(admin.token).get(`${accountPath(admin)}/contacts`, { page: 'two' }),
        ['page'],
      );
      expectInvalidFields(await as(admin.token).get(`${accountPath(admin)}/contacts/search`, {}), [
        'q',
      ]);
      const filter = await as(admin.token).post(`${accountPath(admin)}/contacts/filter`, {
        payload: [
          {
            attribute_key: 'created_at',
            filter_operator: 'is_greater_than',
            values: ['yesterday-ish'],
            query_operator: null,
          },
        ],
      });
      expectProblem(filter, 422, 'invalid_filter');
      const badOperator = await as(admin.token).post(`${accountPath(admin)}/conversations/filter`, {
        payload: [{ attribute_key: 'status', filter_operator: 'resembles', values: ['open'] }],
      });
      expectInvalidFields(badOperator, ['payload.0.filter_operator']);
    });
  });

  describe('rejected writes leave nothing half-written', () => {
    it('a contact create whose source_id is taken writes no contact', async () => {
      const before = await counts();
      const response = await as(admin.token).post(`${accountPath(admin)}/contacts`, {
        name: 'Second',
        email: `${unique('second')}@example.test`,
        inbox_id: seeded.inbox.id,
        source_id: seeded.contact.sourceId,
      });
      expect(expectProblem(response, 409, 'source_id_taken').existing_id).toBe(seeded.contact.id);
      expect(await counts()).toEqual(before);
    });

    it("a contact update that would take another contact's email changes nothing", async () => {
      const email = `${unique('first')}@example.test`;
      const first = await as(admin.token)
        .post(`${accountPath(admin)}/contacts`, { email })
        .expect(201);
      const second = await as(admin.token)
        .post(`${accountPath(admin)}/contacts`, { name: 'Second' })
        .expect(201);
      const before = await counts();
      const response = await as(admin.token).patch(
        `${accountPath(admin)}/contacts/${second.body.payload.contact.id}`,
        {
          name: 'Renamed',
          email: email.toUpperCase(),
        },
      );
      expect(expectProblem(response, 409, 'contact_conflict')).toMatchObject({
        existing_id: first.body.payload.contact.id,
        field: 'email',
      });
      expect(await counts()).toEqual(before);
      const { rows } = await db().query(`SELECT name, email FROM contacts WHERE id = $1`, [
        second.body.payload.contact.id,
      ]);
      expect(rows).toEqual([{ name: 'Second', email: null }]);
    });

    it('uniqueness conflicts (identifier, email in any case, phone) are 409 naming the existing contact', async () => {
      const identifier = unique('uniq');
      const email = `${identifier}@example.test`;
      const phone = `+1415${String(Date.now()).slice(-7)}`;
      const existing = await as(admin.token)
        .post(`${accountPath(admin)}/contacts`, { identifier, email, phone_number: phone })
        .expect(201);
      const id = existing.body.payload.contact.id;
      const before = await counts();
      for (const [field, body] of [
        ['identifier', { identifier }],
        ['email', { email: email.toUpperCase() }],
        ['phone number', { phone_number: phone }],
      ] as const) {
        const response = await as(admin.token).post(`${accountPath(admin)}/contacts`, {
          name: 'Clash',
          ...body,
        });
        const problem = expectProblem(response, 409, 'contact_conflict');
        expect(problem).toMatchObject({ field, existing_id: id });
        expect(problem.detail).toContain(`id ${id}`);
      }
      expect(await counts()).toEqual(before);
    });

    it('a conversation create with a bad assignee, team or taken source_id opens nothing', async () => {
      const agent = await createAgent(server.http, admin);
      const other = await createPublicContact(server.http, seeded.inbox, { name: 'Other' });
      const contact = await as(admin.token)
        .post(`${accountPath(admin)}/contacts`, { name: 'No inbox yet' })
        .expect(201);
      const before = await counts();
      const path = `${accountPath(admin)}/conversations`;
      expectProblem(
        await as(admin.token).post(path, {
          inbox_id: seeded.inbox.id,
          source_id: seeded.contact.sourceId,
          assignee_id: agent.userId,
        }),
        422,
        'assignee_not_in_inbox',
      );
      expectProblem(
        await as(admin.token).post(path, {
          inbox_id: seeded.inbox.id,
          source_id: seeded.contact.sourceId,
          team_id: 999_999,
        }),
        422,
        'team_not_found',
      );
      expectProblem(
        await as(admin.token).post(path, {
          inbox_id: seeded.inbox.id,
          contact_id: contact.body.payload.contact.id,
          source_id: other.sourceId,
        }),
        409,
        'source_id_taken',
      );
      expectProblem(
        await as(admin.token).post(path, {
          inbox_id: seeded.inbox.id,
          source_id: unique('nobody'),
        }),
        404,
        'contact_not_found',
      );
      expectInvalidFields(await as(admin.token).post(path, { inbox_id: seeded.inbox.id }), [
        'source_id',
      ]);
      expect(await counts()).toEqual(before);
      // Once the agent is a member, the same request works.
      await addInboxMembers(server.http, admin, seeded.inbox.id, [agent.userId]);
      const ok = await as(admin.token).post(path, {
        inbox_id: seeded.inbox.id,
        source_id: seeded.contact.sourceId,
        assignee_id: agent.userId,
      });
      expect(ok.status).toBe(201);
      expect(ok.body.assignee_id).toBe(agent.userId);
    });

    it('a contact message to a resolved conversation of an inbox that refuses them writes nothing', async () => {
      const strict = await createInbox(
        server.http,
        admin,
        {},
        { allow_messages_after_resolved: false },
      );
      const person = await createPublicContact(server.http, strict, { name: 'Late' });
      const conversationId = await createPublicConversation(server.http, strict, person);
      const base = `${publicPath(strict.identifier)}/contacts/${person.sourceId}/conversations/${conversationId}`;
      await server.http.post(`${base}/toggle_status`).send({}).expect(200);
      const before = await counts();
      expectProblem(
        await server.http.post(`${base}/messages`).send({ content: 'One more thing' }),
        422,
        'conversation_resolved',
      );
      expect(await counts()).toEqual(before);
      const { rows } = await db().query(`SELECT status FROM conversations WHERE inbox_id = $1`, [
        strict.id,
      ]);
      expect(rows).toEqual([{ status: 'resolved' }]);
    });

    it('a message whose source_id belongs to another conversation writes nothing', async () => {
      const sourceId = unique('dup');
      await postPublicMessage(server.http, seeded.inbox, seeded.contact, seeded.conversationId, {
        content: 'Original',
        source_id: sourceId,
      });
      const second = await createPublicConversation(server.http, seeded.inbox, seeded.contact);
      const before = await counts();
      const response = await server.http
        .post(
          `${publicPath(seeded.inbox.identifier)}/contacts/${seeded.contact.sourceId}/conversations/${second}/messages`,
        )
        .send({ content: 'Copy', source_id: sourceId });
      expectProblem(response, 409, 'source_id_taken');
      expect(await counts()).toEqual(before);
    });
  });

  describe('list page sizes are capped', () => {
    let fresh: TestAccount;
    let inbox: Awaited<ReturnType<typeof createInbox>>;

    beforeAll(async () => {
      fresh = await createAccount('Pages');
      inbox = await createInbox(server.http, fresh);
    });

    it('conversations: 25 per page, with the counts of all', async () => {
      const contact = await createPublicContact(server.http, inbox, { name: 'Paged' });
      for (let index = 0; index < 26; index++)
        await createPublicConversation(server.http, inbox, contact);
      const page1 = await as(fresh.token)
        .get(`${accountPath(fresh)}/conversations`)
        .expect(200);
      expect(page1.body.data.payload).toHaveLength(25);
      expect(page1.body.data.meta).toEqual({
        mine_count: 0,
        assigned_count: 0,
        unassigned_count: 26,
        all_count: 26,
      });
      const page2 = await as(fresh.token)
        .get(`${accountPath(fresh)}/conversations`, { page: 2 })
        .expect(200);
      expect(page2.body.data.payload).toHaveLength(1);
      const ids = [...page1.body.data.payload, ...page2.body.data.payload].map(
        (item: { id: number }) => item.id,
      );
      expect(new Set(ids).size).toBe(26);
      const filtered = await as(fresh.token)
        .post(`${accountPath(fresh)}/conversations/filter`, {
          payload: [
            {
              attribute_key: 'status',
              filter_operator: 'equal_to',
              values: ['open'],
              query_operator: null,
            },
          ],
        })
        .expect(200);
      expect(filtered.body.payload).toHaveLength(25);
      // The Client API lists a contact's conversations with their newest messages.
      const publicList = await server.http
        .get(`${publicPath(inbox.identifier)}/contacts/${contact.sourceId}/conversations`)
        .expect(200);
      expect(publicList.body).toHaveLength(26);
    });

    it('contacts: 15 per page (list, search and filter)', async () => {
      for (let index = 0; index < 16; index++) {
        await as(fresh.token)
          .post(`${accountPath(fresh)}/contacts`, {
            name: `Pager ${index}`,
            email: `pager-${index}-${unique('x')}@example.test`,
          })
          .expect(201);
      }
      const list = await as(fresh.token)
        .get(`${accountPath(fresh)}/contacts`)
        .expect(200);
      expect(list.body.payload).toHaveLength(15);
      expect(list.body.meta).toEqual({ count: 17, current_page: 1, has_more: true });
      const page2 = await as(fresh.token)
        .get(`${accountPath(fresh)}/contacts`, { page: 2 })
        .expect(200);
      expect(page2.body.payload).toHaveLength(2);
      expect(page2.body.meta).toEqual({ count: 17, current_page: 2, has_more: false });
      const search = await as(fresh.token)
        .get(`${accountPath(fresh)}/contacts/search`, { q: 'Pager' })
        .expect(200);
      expect(search.body.payload).toHaveLength(15);
      expect(search.body.meta.count).toBe(16);
      const filter = await as(fresh.token)
        .post(`${accountPath(fresh)}/contacts/filter`, {
          payload: [
            {
              attribute_key: 'name',
              filter_operator: 'starts_with',
              values: ['Pager'],
              query_operator: null,
            },
          ],
        })
        .expect(200);
      expect(filter.body.payload).toHaveLength(15);
      expect(filter.body.meta.count).toBe(16);
    });

    it('messages: 20 at a time (100 after a cursor), with before/after cursors, on both APIs', async () => {
      const contact = await createPublicContact(server.http, inbox, { name: 'Chatty' });
      const conversationId = await createPublicConversation(server.http, inbox, contact);
      const ids: number[] = [];
      for (let index = 0; index < 23; index++) {
        ids.push(
          (
            await postPublicMessage(server.http, inbox, contact, conversationId, {
              content: `m${index}`,
            })
          ).id,
        );
      }
      const path = `${accountPath(fresh)}/conversations/${conversationId}/messages`;
      const newest = await as(fresh.token).get(path).expect(200);
      expect(newest.body.payload.map((item: { id: number }) => item.id)).toEqual(ids.slice(3));
      const older = await as(fresh.token).get(path, { before: ids[3] }).expect(200);
      expect(older.body.payload.map((item: { id: number }) => item.id)).toEqual(ids.slice(0, 3));
      // After a cursor the Application API gives up to 100, as Chatwoot's MessageFinder.
      const after = await as(fresh.token).get(path, { after: ids[0] }).expect(200);
      expect(after.body.payload.map((item: { id: number }) => item.id)).toEqual(ids.slice(1));
      const publicPathOf = `${publicPath(inbox.identifier)}/contacts/${contact.sourceId}/conversations/${conversationId}/messages`;
      const publicNewest = await server.http.get(publicPathOf).expect(200);
      expect(publicNewest.body.map((item: { id: number }) => item.id)).toEqual(ids.slice(3));
      const publicOlder = await server.http.get(publicPathOf).query({ before: ids[3] }).expect(200);
      expect(publicOlder.body.map((item: { id: number }) => item.id)).toEqual(ids.slice(0, 3));
      // after, Conversa's addition to the Client API, pages as the Application API does.
      const publicAfter = await server.http.get(publicPathOf).query({ after: ids[0] }).expect(200);
      expect(publicAfter.body.map((item: { id: number }) => item.id)).toEqual(ids.slice(1));
      const publicBetween = await server.http
        .get(publicPathOf)
        .query({ after: ids[0], before: ids[22] })
        .expect(200);
      expect(publicBetween.body.map((item: { id: number }) => item.id)).toEqual(ids.slice(1, 22));
    });
  });

  describe('inbox deletion', () => {
    it('answers at once; the conversations and messages vanish from the API at once and from the database eventually', async () => {
      const account = await createAccount('Deleting');
      const doomed = await seedConversation(server.http, account);
      const kept = await seedConversation(server.http, account);
      const second = await createPublicConversation(server.http, doomed.inbox, doomed.contact);
      await postPublicMessage(server.http, doomed.inbox, doomed.contact, second, {
        content: 'Another',
      });
      const agent = await createAgent(server.http, account);
      await addInboxMembers(server.http, account, doomed.inbox.id, [agent.userId]);
      // A large inbox: several purge batches' worth of messages.
      await db().query(
        `INSERT INTO messages (account_id, inbox_id, conversation_id, message_type, content)
         SELECT c.account_id, c.inbox_id, c.id, 0, 'bulk ' || n FROM conversations c, generate_series(1, 5000) n
          WHERE c.account_id = $1 AND c.display_id = $2`,
        [account.accountId, doomed.conversationId],
      );
      const base = accountPath(account);

      const keptBefore = await db().query(
        `SELECT count(*)::int AS n FROM messages WHERE inbox_id = $1`,
        [kept.inbox.id],
      );

      expectProblem(
        await server.http
          .delete(`${base}/inboxes/${doomed.inbox.id}`)
          .set('api_access_token', agent.token),
        403,
        'administrator_required',
      );
      const deleted = await server.http
        .delete(`${base}/inboxes/${doomed.inbox.id}`)
        .set('api_access_token', account.token)
        .expect(200);
      expect(deleted.body.message).toContain('deleted');

      // Gone from the API at once, whatever the purge has done so far.
      expectProblem(
        await as(account.token).get(`${base}/inboxes/${doomed.inbox.id}`),
        404,
        'inbox_not_found',
      );
      expectProblem(
        await server.http
          .delete(`${base}/inboxes/${doomed.inbox.id}`)
          .set('api_access_token', account.token),
        404,
        'inbox_not_found',
      );
      expectProblem(
        await as(account.token).get(`${base}/inbox_members/${doomed.inbox.id}`),
        404,
        'inbox_not_found',
      );
      const inboxes = await as(account.token).get(`${base}/inboxes`).expect(200);
      expect(inboxes.body.payload.map((item: { id: number }) => item.id)).toEqual([kept.inbox.id]);
      for (const displayId of [doomed.conversationId, second]) {
        expectProblem(
          await as(account.token).get(`${base}/conversations/${displayId}`),
          404,
          'conversation_not_found',
        );
        expectProblem(
          await as(account.token).get(`${base}/conversations/${displayId}/messages`),
          404,
          'conversation_not_found',
        );
        expectProblem(
          await as(account.token).post(`${base}/conversations/${displayId}/messages`, {
            content: 'Late',
          }),
          404,
          'conversation_not_found',
        );
      }
      const all = await as(account.token)
        .get(`${base}/conversations`, { status: 'all' })
        .expect(200);
      expect(all.body.data.payload.map((item: { id: number }) => item.id)).toEqual([
        kept.conversationId,
      ]);
      expect(all.body.data.meta.all_count).toBe(1);
      expect(
        (await as(agent.token).get(`${base}/conversations`, { status: 'all' }).expect(200)).body
          .data.payload,
      ).toEqual([]);
      const ofContact = await as(account.token)
        .get(`${base}/contacts/${doomed.contact.id}/conversations`)
        .expect(200);
      expect(ofContact.body.payload).toEqual([]);
      const contact = await as(account.token)
        .get(`${base}/contacts/${doomed.contact.id}`)
        .expect(200);
      expect(contact.body.payload.contact_inboxes).toEqual([]);
      expectProblem(
        await server.http.get(publicPath(doomed.inbox.identifier)),
        404,
        'inbox_not_found',
      );
      expectProblem(
        await server.http
          .post(
            `${publicPath(doomed.inbox.identifier)}/contacts/${doomed.contact.sourceId}/conversations/${second}/messages`,
          )
          .send({ content: 'Late' }),
        404,
        'inbox_not_found',
      );

      // Purged from the database in the background.
      await eventually(
        async () => {
          const { rows } = await db().query(
            `SELECT (SELECT count(*)::int FROM messages WHERE inbox_id = $1) AS messages,
                    (SELECT count(*)::int FROM conversations WHERE inbox_id = $1) AS conversations,
                    (SELECT count(*)::int FROM contact_inboxes WHERE inbox_id = $1) AS contact_inboxes,
                    (SELECT count(*)::int FROM inbox_members WHERE inbox_id = $1) AS members,
                    (SELECT count(*)::int FROM inboxes WHERE id = $1) AS inboxes`,
            [doomed.inbox.id],
          );
          expect(rows).toEqual([
            { messages: 0, conversations: 0, contact_inboxes: 0, members: 0, inboxes: 0 },
          ]);
        },
        { timeoutMs: 20_000, intervalMs: 100 },
      );
      // The other inbox and the account's contacts are untouched.
      const keptAfter = await db().query(
        `SELECT count(*)::int AS n FROM messages WHERE inbox_id = $1`,
        [kept.inbox.id],
      );
      expect(keptAfter.rows).toEqual(keptBefore.rows);
      const contacts = await db().query(
        `SELECT count(*)::int AS n FROM contacts WHERE id = ANY($1::int[])`,
        [[doomed.contact.id, kept.contact.id]],
      );
      expect(contacts.rows).toEqual([{ n: 2 }]);
      await as(account.token)
        .get(`${base}/conversations/${kept.conversationId}/messages`)
        .expect(200);
    });
  });
});
