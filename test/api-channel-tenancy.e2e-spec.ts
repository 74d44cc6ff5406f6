import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import {
  accountPath,
  addInboxMembers,
  createInbox,
  createPublicContact,
  createPublicConversation,
  postPublicMessage,
  publicPath,
  seedConversation,
} from './support/api-channel.js';
import type { TestContact, TestInbox } from './support/api-channel.js';
import { closeTestDatabase, testDatabase } from './support/database.js';
import { createAccount, createAgent } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { expectProblem } from './support/problems.js';
import { startServer, TestServer } from './support/server.js';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

interface Ids {
  inbox: number;
  contact: number;
  conversation: number;
  message: number;
  agent: number;
  ownInbox: number;
  ownContact: number;
}

interface Route {
  method: Method;
  path: string;
  /** The problem code when the route reaches the other account's resource through the caller's own account. */
  code: string;
  body?: (ids: Ids) => Record<string, unknown>;
}

/**
 * Every Application API route of this issue that names an inbox, contact, conversation or
 * message, with a valid body, so that only tenancy can refuse it.
 */
const ROUTES: Route[] = [
  { method: 'get', path: '/inboxes/:inbox', code: 'inbox_not_found' },
  {
    method: 'patch',
    path: '/inboxes/:inbox',
    code: 'inbox_not_found',
    body: () => ({ name: 'Taken over' }),
  },
  { method: 'delete', path: '/inboxes/:inbox', code: 'inbox_not_found' },
  { method: 'get', path: '/inbox_members/:inbox', code: 'inbox_not_found' },
  {
    method: 'post',
    path: '/inbox_members',
    code: 'inbox_not_found',
    body: (ids) => ({ inbox_id: ids.inbox, user_ids: [ids.agent] }),
  },
  {
    method: 'patch',
    path: '/inbox_members',
    code: 'inbox_not_found',
    body: (ids) => ({ inbox_id: ids.inbox, user_ids: [ids.agent] }),
  },
  {
    method: 'delete',
    path: '/inbox_members',
    code: 'inbox_not_found',
    body: (ids) => ({ inbox_id: ids.inbox, user_ids: [ids.agent] }),
  },
  { method: 'get', path: '/contacts/:contact', code: 'contact_not_found' },
  {
    method: 'patch',
    path: '/contacts/:contact',
    code: 'contact_not_found',
    body: () => ({ name: 'Taken over' }),
  },
  {
    method: 'put',
    path: '/contacts/:contact',
    code: 'contact_not_found',
    body: () => ({ name: 'Taken over' }),
  },
  { method: 'delete', path: '/contacts/:contact', code: 'contact_not_found' },
  { method: 'get', path: '/contacts/:contact/conversations', code: 'contact_not_found' },
  { method: 'get', path: '/contacts/:contact/contactable_inboxes', code: 'contact_not_found' },
  {
    method: 'post',
    path: '/contacts/:contact/contact_inboxes',
    code: 'contact_not_found',
    body: (ids) => ({ inbox_id: ids.ownInbox, source_id: 'stolen' }),
  },
  {
    method: 'post',
    path: '/contacts/:ownContact/contact_inboxes',
    code: 'inbox_not_found',
    body: (ids) => ({ inbox_id: ids.inbox, source_id: 'planted' }),
  },
  {
    method: 'post',
    path: '/contacts',
    code: 'inbox_not_found',
    body: (ids) => ({ name: 'Planted', inbox_id: ids.inbox }),
  },
  {
    method: 'post',
    path: '/conversations',
    code: 'inbox_not_found',
    body: (ids) => ({ inbox_id: ids.inbox, contact_id: ids.ownContact }),
  },
  {
    method: 'post',
    path: '/conversations',
    code: 'contact_not_found',
    body: (ids) => ({ inbox_id: ids.ownInbox, contact_id: ids.contact }),
  },
  { method: 'get', path: '/conversations/:conversation', code: 'conversation_not_found' },
  {
    method: 'patch',
    path: '/conversations/:conversation',
    code: 'conversation_not_found',
    body: () => ({ priority: 'urgent' }),
  },
  {
    method: 'post',
    path: '/conversations/:conversation/toggle_status',
    code: 'conversation_not_found',
    body: () => ({ status: 'resolved' }),
  },
  {
    method: 'post',
    path: '/conversations/:conversation/toggle_priority',
    code: 'conversation_not_found',
    body: () => ({ priority: 'high' }),
  },
  {
    method: 'post',
    path: '/conversations/:conversation/custom_attributes',
    code: 'conversation_not_found',
    body: () => ({ custom_attributes: { stolen: true } }),
  },
  {
    method: 'post',
    path: '/conversations/:conversation/update_last_seen',
    code: 'conversation_not_found',
  },
  {
    method: 'post',
    path: '/conversations/:conversation/toggle_typing_status',
    code: 'conversation_not_found',
    body: () => ({ typing_status: 'on' }),
  },
  {
    method: 'post',
    path: '/conversations/:conversation/assignments',
    code: 'conversation_not_found',
    body: () => ({ assignee_id: null }),
  },
  { method: 'get', path: '/conversations/:conversation/labels', code: 'conversation_not_found' },
  {
    method: 'post',
    path: '/conversations/:conversation/labels',
    code: 'conversation_not_found',
    body: () => ({ labels: ['stolen'] }),
  },
  { method: 'get', path: '/conversations/:conversation/messages', code: 'conversation_not_found' },
  {
    method: 'post',
    path: '/conversations/:conversation/messages',
    code: 'conversation_not_found',
    body: () => ({ content: 'Intruder' }),
  },
  {
    method: 'patch',
    path: '/conversations/:conversation/messages/:message',
    code: 'conversation_not_found',
    body: () => ({ status: 'failed', external_error: 'stolen' }),
  },
  {
    method: 'delete',
    path: '/conversations/:conversation/messages/:message',
    code: 'conversation_not_found',
  },
];

const CASES = ROUTES.map((route) => ({
  ...route,
  name: `${route.method.toUpperCase()} ${route.path} (${route.code})`,
}));

describe('API channel tenancy', () => {
  let server: TestServer;
  /** The victim: account A with an inbox, contact, two conversations and messages. */
  let a: TestAccount;
  let aInbox: TestInbox;
  let aContact: TestContact;
  let aConversation: number;
  let aMessage: number;
  let aAgent: { userId: number; token: string };
  /** The other tenant: account B, with its own inbox, contact and conversation 1. */
  let b: TestAccount;
  let bInbox: TestInbox;
  let bContact: TestContact;
  let bConversation: number;
  let bAgent: { userId: number; token: string };

  const db = () => testDatabase();

  beforeAll(async () => {
    server = await startServer();
    a = await createAccount('Victim');
    b = await createAccount('Intruder');
    // Two conversations in A, so A's second one has display id 2 while B has only display id 1.
    const first = await seedConversation(server.http, a);
    const second = await seedConversation(server.http, a);
    expect(first.conversationId).toBe(1);
    aInbox = second.inbox;
    aContact = second.contact;
    aConversation = second.conversationId;
    aMessage = second.message.id;
    expect(aConversation).toBe(2);
    aAgent = await createAgent(server.http, a);
    await addInboxMembers(server.http, a, aInbox.id, [aAgent.userId]);

    const own = await seedConversation(server.http, b);
    bInbox = own.inbox;
    bContact = own.contact;
    bConversation = own.conversationId;
    expect(bConversation).toBe(1);
    bAgent = await createAgent(server.http, b);
    await addInboxMembers(server.http, b, bInbox.id, [bAgent.userId]);
  });
  afterAll(async () => {
    await server?.stop();
    await closeTestDatabase();
  });

  const ids = (): Ids => ({
    inbox: aInbox.id,
    contact: aContact.id,
    conversation: aConversation,
    message: aMessage,
    agent: bAgent.userId,
    ownInbox: bInbox.id,
    ownContact: bContact.id,
  });

  function fill(path: string, values: Ids): string {
    return path
      .replace(':inbox', String(values.inbox))
      .replace(':ownContact', String(values.ownContact))
      .replace(':contact', String(values.contact))
      .replace(':conversation', String(values.conversation))
      .replace(':message', String(values.message));
  }

  function call(route: Route, base: string, token: string): Promise<Response> {
    const values = ids();
    const pending = server.http[route.method](`${base}${fill(route.path, values)}`).set(
      'api_access_token',
      token,
    );
    return route.body ? pending.send(route.body(values)) : pending;
  }

  /** Everything of account A that an intruder could change. */
  async function snapshotOfA() {
    const { rows } = await db().query(
      `SELECT
         (SELECT json_agg(json_build_object('id', id, 'name', name, 'deleted', deleted_at IS NOT NULL) ORDER BY id)
            FROM inboxes WHERE account_id = $1) AS inboxes,
         (SELECT json_agg(json_build_object('inbox', m.inbox_id, 'user', m.user_id) ORDER BY m.inbox_id, m.user_id)
            FROM inbox_members m JOIN inboxes i ON i.id = m.inbox_id WHERE i.account_id = $1) AS members,
         (SELECT json_agg(json_build_object('id', id, 'name', name, 'updated_at', updated_at) ORDER BY id)
            FROM contacts WHERE account_id = $1) AS contacts,
         (SELECT json_agg(json_build_object('id', ci.id, 'source_id', ci.source_id, 'contact', ci.contact_id) ORDER BY ci.id)
            FROM contact_inboxes ci JOIN contacts c ON c.id = ci.contact_id WHERE c.account_id = $1) AS contact_inboxes,
         (SELECT json_agg(json_build_object('id', id, 'status', status, 'priority', priority, 'labels', labels,
                 'custom_attributes', custom_attributes, 'assignee', assignee_id, 'agent_seen', agent_last_seen_at) ORDER BY id)
            FROM conversations WHERE account_id = $1) AS conversations,
         (SELECT json_agg(json_build_object('id', id, 'content', content, 'status', status, 'attributes', content_attributes) ORDER BY id)
            FROM messages WHERE account_id = $1) AS messages,
         (SELECT count(*)::int FROM domain_events WHERE account_id = $1) AS events`,
      [a.accountId],
    );
    return rows[0];
  }

  describe("a second account's token", () => {
    let before: Awaited<ReturnType<typeof snapshotOfA>>;
    beforeAll(async () => {
      before = await snapshotOfA();
    });

    it.each(CASES)('gets 404 account_not_found on account A itself: $name', async (route) => {
      expectProblem(await call(route, accountPath(a), b.token), 404, 'account_not_found');
    });

    it.each(CASES)("gets 404 through its own account for A's ids: $name", async (route) => {
      const response = await call(route, accountPath(b), b.token);
      const problem = expectProblem(response, 404, route.code);
      // The detail never leaks anything of account A.
      expect(problem.detail).not.toContain(aInbox.identifier);
      expect(JSON.stringify(response.body)).not.toContain('Casey Contact');
    });

    it("and its agent gets the same 404s for A's ids", async () => {
      for (const route of ROUTES.filter(({ method }) => method === 'get')) {
        expectProblem(await call(route, accountPath(b), bAgent.token), 404, route.code);
      }
    });

    it("sees none of A's inboxes, contacts or conversations in any list, search or filter", async () => {
      const base = accountPath(b);
      const get = (path: string, query: Record<string, unknown> = {}) =>
        server.http.get(`${base}${path}`).query(query).set('api_access_token', b.token).expect(200);
      expect((await get('/inboxes')).body.payload.map((item: { id: number }) => item.id)).toEqual([
        bInbox.id,
      ]);
      expect((await get('/contacts')).body.payload.map((item: { id: number }) => item.id)).toEqual([
        bContact.id,
      ]);
      // Both accounts' seeded contacts are called Casey Contact: search finds only B's.
      expect(
        (await get('/contacts/search', { q: 'Casey' })).body.payload.map(
          (item: { id: number }) => item.id,
        ),
      ).toEqual([bContact.id]);
      expect((await get('/contacts/search', { q: aContact.identifier })).body).toEqual({
        meta: { count: 0, current_page: 1, has_more: false },
        payload: [],
      });
      const filtered = await server.http
        .post(`${base}/contacts/filter`)
        .set('api_access_token', b.token)
        .send({
          payload: [
            {
              attribute_key: 'identifier',
              filter_operator: 'equal_to',
              values: [aContact.identifier],
              query_operator: null,
            },
          ],
        })
        .expect(200);
      expect(filtered.body).toEqual({
        meta: { count: 0, current_page: 1, has_more: false },
        payload: [],
      });

      const conversations = await get('/conversations', { status: 'all' });
      expect(
        conversations.body.data.payload.map((item: { id: number; inbox_id: number }) => [
          item.id,
          item.inbox_id,
        ]),
      ).toEqual([[bConversation, bInbox.id]]);
      expect(conversations.body.data.meta.all_count).toBe(1);
      expect(
        (await get('/conversations', { inbox_id: aInbox.id, status: 'all' })).body.data.payload,
      ).toEqual([]);
      expect((await get('/conversations/meta', { inbox_id: aInbox.id })).body.meta.all_count).toBe(
        0,
      );
      const conversationFilter = await server.http
        .post(`${base}/conversations/filter`)
        .set('api_access_token', b.token)
        .send({
          payload: [
            {
              attribute_key: 'inbox_id',
              filter_operator: 'equal_to',
              values: [aInbox.id],
              query_operator: null,
            },
          ],
        })
        .expect(200);
      expect(conversationFilter.body.payload).toEqual([]);
      expect(conversationFilter.body.meta.all_count).toBe(0);
      const contactable = await get(`/contacts/${bContact.id}/contactable_inboxes`);
      expect(
        contactable.body.payload.map((item: { inbox: { id: number } }) => item.inbox.id),
      ).toEqual([bInbox.id]);
    });

    it("reaches nothing of A with A's message id inside its own conversation", async () => {
      const path = `${accountPath(b)}/conversations/${bConversation}/messages/${aMessage}`;
      expectProblem(
        await server.http
          .patch(path)
          .set('api_access_token', b.token)
          .send({ status: 'delivered' }),
        404,
        'message_not_found',
      );
      expectProblem(
        await server.http.delete(path).set('api_access_token', b.token),
        404,
        'message_not_found',
      );
    });

    it("cannot pull A's agents or teams into its own inbox or conversation", async () => {
      const base = accountPath(b);
      const team = await server.http
        .post(`${accountPath(a)}/teams`)
        .set('api_access_token', a.token)
        .send({ name: 'A team' })
        .expect(201);
      const members = await server.http
        .post(`${base}/inbox_members`)
        .set('api_access_token', b.token)
        .send({ inbox_id: bInbox.id, user_ids: [aAgent.userId] });
      expect(expectProblem(members, 422, 'unknown_agents').user_ids).toEqual([aAgent.userId]);
      expectProblem(
        await server.http
          .post(`${base}/conversations/${bConversation}/assignments`)
          .set('api_access_token', b.token)
          .send({ assignee_id: aAgent.userId }),
        422,
        'assignee_not_in_inbox',
      );
      expectProblem(
        await server.http
          .post(`${base}/conversations/${bConversation}/assignments`)
          .set('api_access_token', b.token)
          .send({ team_id: team.body.id }),
        422,
        'team_not_found',
      );
      const { rows } = await db().query(
        `SELECT assignee_id, team_id FROM conversations WHERE account_id = $1`,
        [b.accountId],
      );
      expect(rows).toEqual([{ assignee_id: null, team_id: null }]);
    });

    it('changed nothing of account A', async () => {
      expect(await snapshotOfA()).toEqual(before);
    });
  });

  describe('an agent who is not a member of an inbox', () => {
    /** An inbox of A that aAgent is not a member of, with a conversation and a message. */
    let hidden: Awaited<ReturnType<typeof seedConversation>>;
    let before: Awaited<ReturnType<typeof snapshotOfA>>;

    beforeAll(async () => {
      hidden = await seedConversation(server.http, a);
      before = await snapshotOfA();
    });

    const memberIds = (): Ids => ({
      inbox: hidden.inbox.id,
      contact: hidden.contact.id,
      conversation: hidden.conversationId,
      message: hidden.message.id,
      agent: aAgent.userId,
      ownInbox: aInbox.id,
      ownContact: aContact.id,
    });

    const CONVERSATION_ROUTES = CASES.filter((route) =>
      route.path.startsWith('/conversations/:conversation'),
    );

    it.each(CONVERSATION_ROUTES)(
      'gets 404 on its conversations and messages: $name',
      async (route) => {
        const values = memberIds();
        const pending = server.http[route.method](
          `${accountPath(a)}${fill(route.path, values)}`,
        ).set('api_access_token', aAgent.token);
        const response = await (route.body ? pending.send(route.body(values)) : pending);
        expectProblem(response, 404, 'conversation_not_found');
      },
    );

    it('gets 404 on the inbox itself and its members, and cannot open conversations or contact inboxes in it', async () => {
      const base = accountPath(a);
      const as = (request: ReturnType<TestServer['http']['get']>) =>
        request.set('api_access_token', aAgent.token);
      expectProblem(
        await as(server.http.get(`${base}/inboxes/${hidden.inbox.id}`)),
        404,
        'inbox_not_found',
      );
      expectProblem(
        await as(server.http.get(`${base}/inbox_members/${hidden.inbox.id}`)),
        404,
        'inbox_not_found',
      );
      expectProblem(
        await as(server.http.post(`${base}/conversations`)).send({
          inbox_id: hidden.inbox.id,
          source_id: hidden.contact.sourceId,
        }),
        404,
        'inbox_not_found',
      );
      expectProblem(
        await as(server.http.post(`${base}/conversations`)).send({
          inbox_id: hidden.inbox.id,
          contact_id: aContact.id,
        }),
        404,
        'inbox_not_found',
      );
      expectProblem(
        await as(server.http.post(`${base}/contacts/${aContact.id}/contact_inboxes`)).send({
          inbox_id: hidden.inbox.id,
        }),
        404,
        'inbox_not_found',
      );
      expectProblem(
        await as(server.http.post(`${base}/contacts`)).send({
          name: 'Sneaky',
          inbox_id: hidden.inbox.id,
        }),
        404,
        'inbox_not_found',
      );
    });

    it('does not see its conversations in any list, count or filter', async () => {
      const base = accountPath(a);
      const get = (path: string, query: Record<string, unknown> = {}) =>
        server.http
          .get(`${base}${path}`)
          .query(query)
          .set('api_access_token', aAgent.token)
          .expect(200);
      const inboxes = (await get('/inboxes')).body.payload.map((item: { id: number }) => item.id);
      expect(inboxes).toEqual([aInbox.id]);
      const all = await get('/conversations', { status: 'all' });
      expect(all.body.data.payload.map((item: { inbox_id: number }) => item.inbox_id)).toEqual([
        aInbox.id,
      ]);
      expect(all.body.data.meta.all_count).toBe(1);
      expect(
        (await get('/conversations', { inbox_id: hidden.inbox.id })).body.data.payload,
      ).toEqual([]);
      expect(
        (await get('/conversations', { q: 'Hello from the contact' })).body.data.payload.map(
          (item: { id: number }) => item.id,
        ),
      ).toEqual([aConversation]);
      const byDisplayId = await get('/conversations', { q: String(hidden.conversationId) });
      expect(byDisplayId.body.data.payload.map((item: { id: number }) => item.id)).not.toContain(
        hidden.conversationId,
      );
      expect((await get('/conversations/meta')).body.meta.all_count).toBe(1);
      const filtered = await server.http
        .post(`${base}/conversations/filter`)
        .set('api_access_token', aAgent.token)
        .send({
          payload: [
            {
              attribute_key: 'display_id',
              filter_operator: 'equal_to',
              values: [hidden.conversationId],
              query_operator: null,
            },
          ],
        })
        .expect(200);
      expect(filtered.body.payload).toEqual([]);
      // Contacts are account-wide, but their conversations in hidden inboxes are not listed.
      const ofContact = await get(`/contacts/${hidden.contact.id}/conversations`);
      expect(ofContact.body.payload).toEqual([]);
      const contact = await get(`/contacts/${hidden.contact.id}`);
      expect(contact.body.payload.contact_inboxes).toEqual([]);

      // The administrator sees them all.
      const admin = await server.http
        .get(`${base}/conversations`)
        .query({ status: 'all' })
        .set('api_access_token', a.token)
        .expect(200);
      expect(admin.body.data.meta.all_count).toBe(3);
    });

    it('changed nothing, and can work again once added as a member', async () => {
      expect(await snapshotOfA()).toEqual(before);
      await addInboxMembers(server.http, a, hidden.inbox.id, [aAgent.userId]);
      await server.http
        .get(`${accountPath(a)}/conversations/${hidden.conversationId}/messages`)
        .set('api_access_token', aAgent.token)
        .expect(200);
      // Removed again: 404 at once.
      await server.http
        .delete(`${accountPath(a)}/inbox_members`)
        .set('api_access_token', a.token)
        .send({ inbox_id: hidden.inbox.id, user_ids: [aAgent.userId] })
        .expect(200);
      expectProblem(
        await server.http
          .get(`${accountPath(a)}/conversations/${hidden.conversationId}`)
          .set('api_access_token', aAgent.token),
        404,
        'conversation_not_found',
      );
    });
  });

  describe("a contact's source_id", () => {
    it('from inbox A reaches nothing in inbox B of the same account (every public route)', async () => {
      const other = await createInbox(server.http, a);
      const sourceId = aContact.sourceId;
      const base = `${publicPath(other.identifier)}/contacts/${sourceId}`;
      const conversation = `${base}/conversations/${aConversation}`;
      const attempts: [Method, string, Record<string, unknown>?][] = [
        ['get', base],
        ['patch', base, { name: 'Taken over' }],
        ['put', base, { name: 'Taken over' }],
        ['get', `${base}/conversations`],
        ['post', `${base}/conversations`, {}],
        ['get', conversation],
        ['post', `${conversation}/toggle_status`, {}],
        ['post', `${conversation}/toggle_typing`, { typing_status: 'on' }],
        ['post', `${conversation}/update_last_seen`, {}],
        ['get', `${conversation}/messages`],
        ['post', `${conversation}/messages`, { content: 'Wrong inbox' }],
        ['patch', `${conversation}/messages/${aMessage}`, { submitted_values: { a: 1 } }],
        ['put', `${conversation}/messages/${aMessage}`, { submitted_values: { a: 1 } }],
      ];
      const before = await snapshotOfA();
      for (const [method, path, body] of attempts) {
        const pending = server.http[method](path);
        const response = await (body ? pending.send(body) : pending);
        const problem = expectProblem(response, 404, 'contact_not_found');
        expect(problem.detail).toContain(sourceId);
      }
      expect(await snapshotOfA()).toEqual(before);
    });

    it('of the same contact in another inbox does not reach the conversations of the first inbox', async () => {
      const other = await createInbox(server.http, a);
      // Identified by the same identifier: the same contact, with its own source_id in the other inbox.
      const sameContact = await createPublicContact(server.http, other, {
        identifier: aContact.identifier,
      });
      expect(sameContact.id).toBe(aContact.id);
      const base = `${publicPath(other.identifier)}/contacts/${sameContact.sourceId}`;
      expect((await server.http.get(`${base}/conversations`).expect(200)).body).toEqual([]);
      for (const [method, path, body] of [
        ['get', `${base}/conversations/${aConversation}`],
        ['get', `${base}/conversations/${aConversation}/messages`],
        ['post', `${base}/conversations/${aConversation}/messages`, { content: 'cross' }],
        ['post', `${base}/conversations/${aConversation}/toggle_status`, {}],
        ['post', `${base}/conversations/${aConversation}/update_last_seen`, {}],
        ['post', `${base}/conversations/${aConversation}/toggle_typing`, { typing_status: 'off' }],
        [
          'patch',
          `${base}/conversations/${aConversation}/messages/${aMessage}`,
          { submitted_values: { x: 1 } },
        ],
      ] as [Method, string, Record<string, unknown>?][]) {
        const pending = server.http[method](path);
        expectProblem(await (body ? pending.send(body) : pending), 404, 'conversation_not_found');
      }
      // Its own conversation in the other inbox works and gets a new display id.
      const own = await createPublicConversation(server.http, other, sameContact);
      expect(own).not.toBe(aConversation);
      await postPublicMessage(server.http, other, sameContact, own, {
        content: 'In the right inbox',
      });
    });

    it("of another account's inbox reaches nothing, even with the other contact's display id", async () => {
      const path = `${publicPath(bInbox.identifier)}/contacts/${aContact.sourceId}/conversations/${aConversation}/messages`;
      expectProblem(await server.http.get(path), 404, 'contact_not_found');
      // B's contact asking for display id 2 (which only exists in account A).
      const cross = `${publicPath(bInbox.identifier)}/contacts/${bContact.sourceId}/conversations/${aConversation}`;
      expectProblem(await server.http.get(cross), 404, 'conversation_not_found');
      expectProblem(
        await server.http.post(`${cross}/messages`).send({ content: 'x' }),
        404,
        'conversation_not_found',
      );
    });
  });
});
