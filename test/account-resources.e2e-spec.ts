import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  accountPath,
  addInboxMembers,
  createInbox,
  createPublicContact,
  createPublicConversation,
  postPublicMessage,
  publicPath,
  unique,
} from './support/api-channel.js';
import type { TestContact, TestInbox } from './support/api-channel.js';
import { testDatabase } from './support/database.js';
import { createAccount, createAgent } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { expectInvalidFields, expectProblem } from './support/problems.js';
import { startServer, TestServer } from './support/server.js';

type Agent = { userId: number; token: string; email: string };

interface FeedEvent {
  event: string;
  id?: number;
  [key: string]: unknown;
}

/**
 * Issue 12, item 3: the account resources Chatwoot clients call (account labels, contact
 * labels, canned responses, custom filters, contact merge) in Chatwoot's shapes, with its roles.
 */
describe('Account resources', () => {
  let server: TestServer;
  let admin: TestAccount;
  let agent: Agent;
  let other: TestAccount;
  let inbox: TestInbox;

  beforeAll(async () => {
    server = await startServer();
    admin = await createAccount('Resources');
    other = await createAccount('Elsewhere');
    agent = await createAgent(server.http, admin);
    inbox = await createInbox(server.http, admin);
    await addInboxMembers(server.http, admin, inbox.id, [agent.userId]);
  });
  afterAll(() => server?.stop());

  const base = () => accountPath(admin);

  function call(
    method: 'get' | 'post' | 'patch' | 'delete',
    path: string,
    body?: unknown,
    token = admin.token,
  ) {
    const request = server.http[method](`${base()}${path}`).set('api_access_token', token);
    return body === undefined ? request : request.send(body as object);
  }

  async function ok<T = Record<string, unknown>>(
    promise: PromiseLike<{ status: number; body: unknown }>,
    status = 200,
  ): Promise<T> {
    const response = await promise;
    expect({ status: response.status, body: response.body }).toMatchObject({ status });
    return response.body as T;
  }

  /**
   * The account's recorded events after the one numbered `after`, oldest first, with their
   * webhook bodies (read from the outbox table: the event feed holds the newest back a while).
   */
  async function eventsSince(after = 0): Promise<{ events: FeedEvent[]; cursor: number }> {
    const { rows } = await testDatabase().query(
      `SELECT id, name, payload FROM domain_events WHERE account_id = $1 AND id > $2 ORDER BY id`,
      [admin.accountId, after],
    );
    return {
      events: rows.map((row) => ({ event: row.name, ...row.payload })),
      cursor: rows.length ? Number(rows[rows.length - 1].id) : after,
    };
  }

  async function conversationWith(contact: TestContact, labels: string[] = []): Promise<number> {
    const id = await createPublicConversation(server.http, inbox, contact);
    if (labels.length) await ok(call('post', `/conversations/${id}/labels`, { labels }));
    return id;
  }

  async function conversationLabels(id: number): Promise<string[]> {
    return (await ok<{ payload: string[] }>(call('get', `/conversations/${id}/labels`))).payload;
  }

  describe('account labels', () => {
    it('are created in lower case, listed by every member and answered in Chatwoot shape', async () => {
      const title = unique('Billing').replace('-', '_');
      const created = await ok(
        call('post', '/labels', {
          title,
          description: 'Invoices and refunds',
          color: '#ff6b6b',
          show_on_sidebar: true,
        }),
        201,
      );
      expect(created).toEqual({
        id: expect.any(Number),
        title: title.toLowerCase(),
        description: 'Invoices and refunds',
        color: '#ff6b6b',
        show_on_sidebar: true,
      });
      const plain = await ok(call('post', '/labels', { title: unique('plain') }), 201);
      expect(plain).toMatchObject({ color: '#1f93ff', show_on_sidebar: false, description: null });

      const list = await ok<{ payload: { id: number }[] }>(
        call('get', '/labels', undefined, agent.token),
      );
      expect(list.payload.map((label) => label.id)).toEqual(
        expect.arrayContaining([created.id, plain.id]),
      );
      expect(await ok(call('get', `/labels/${created.id}`))).toEqual(created);
    });

    it('refuse a title taken in any case, and titles Chatwoot refuses', async () => {
      const title = unique('vip');
      const first = await ok(call('post', '/labels', { title }), 201);
      const clash = expectProblem(
        await call('post', '/labels', { title: title.toUpperCase() }),
        409,
        'label_title_taken',
      );
      expect(clash.existing_id).toBe(first.id);
      for (const bad of ['two words', 'emoji🙂', '', 'a'.repeat(256)]) {
        expectInvalidFields(await call('post', '/labels', { title: bad }), ['title']);
      }
      expectInvalidFields(await call('post', '/labels', { title: unique('x'), color: 'red' }), [
        'color',
      ]);
      // Chatwoot's Rails wrapper, as its dashboard sends it.
      const wrapped = unique('wrapped');
      expect(
        await ok(call('post', '/labels', { label: { title: wrapped, color: '#abc' } }), 201),
      ).toMatchObject({ title: wrapped, color: '#abc' });
      // Unicode letters and digits are titles, as in Chatwoot.
      await ok(call('post', '/labels', { title: `ñandú_${unique('7')}` }), 201);
    });

    it('only administrators read one, create, change or delete them', async () => {
      const label = await ok(call('post', '/labels', { title: unique('ops') }), 201);
      expectProblem(
        await call('post', '/labels', { title: unique('agent') }, agent.token),
        403,
        'administrator_required',
      );
      for (const [method, body] of [
        ['get', undefined],
        ['patch', { color: '#000000' }],
        ['delete', undefined],
      ] as const) {
        expectProblem(
          await call(method, `/labels/${label.id}`, body, agent.token),
          403,
          'administrator_required',
        );
      }
      expect(await ok(call('get', `/labels/${label.id}`))).toMatchObject({ color: '#1f93ff' });
    });

    it('renaming one renames it on conversations and contacts (any case, no duplicates); deleting keeps them', async () => {
      const title = unique('refund');
      const label = await ok(call('post', '/labels', { title }), 201);
      const renamed = unique('refunds');
      const contact = await createPublicContact(server.http, inbox, { name: 'Rena' });
      const tagged = await conversationWith(contact, ['urgent', title.toUpperCase(), 'vip']);
      const both = await conversationWith(contact, [title, renamed]);
      const untouched = await conversationWith(contact, ['urgent']);
      await ok(call('post', `/contacts/${contact.id}/labels`, { labels: [title, 'lead'] }));
      const otherContact = await createPublicContact(server.http, inbox, {});
      await ok(call('post', `/contacts/${otherContact.id}/labels`, { labels: ['lead'] }));

      const { cursor } = await eventsSince();
      expect(await ok(call('patch', `/labels/${label.id}`, { title: renamed }))).toMatchObject({
        id: label.id,
        title: renamed,
      });
      // Conversations keep their labels sorted.
      expect(await conversationLabels(tagged)).toEqual([renamed, 'urgent', 'vip']);
      expect(await conversationLabels(both)).toEqual([renamed]);
      expect(await conversationLabels(untouched)).toEqual(['urgent']);
      // One conversation_updated per conversation changed, as Chatwoot's rename job sends.
      const { events } = await eventsSince(cursor);
      expect(events.map((event) => [event.event, event.id, event.changed_attributes])).toEqual([
        [
          'conversation_updated',
          tagged,
          [
            {
              labels: {
                previous_value: [title.toUpperCase(), 'urgent', 'vip'],
                current_value: [renamed, 'urgent', 'vip'],
              },
            },
          ],
        ],
        [
          'conversation_updated',
          both,
          [{ labels: { previous_value: [title, renamed], current_value: [renamed] } }],
        ],
      ]);
      expect(
        (await ok<{ payload: string[] }>(call('get', `/contacts/${contact.id}/labels`))).payload,
      ).toEqual([renamed, 'lead']);
      expect(
        (await ok<{ payload: string[] }>(call('get', `/contacts/${otherContact.id}/labels`)))
          .payload,
      ).toEqual(['lead']);

      // Another account's conversations with the same label are not its business.
      const otherInbox = await createInbox(server.http, other);
      const outsider = await createPublicContact(server.http, otherInbox, {});
      const foreign = await createPublicConversation(server.http, otherInbox, outsider);
      await server.http
        .post(`${accountPath(other)}/conversations/${foreign}/labels`)
        .set('api_access_token', other.token)
        .send({ labels: [renamed] })
        .expect(200);
      await ok(call('patch', `/labels/${label.id}`, { title: unique('final') }));
      const foreignLabels = await server.http
        .get(`${accountPath(other)}/conversations/${foreign}/labels`)
        .set('api_access_token', other.token)
        .expect(200);
      expect(foreignLabels.body.payload).toEqual([renamed]);

      const gone = await call('delete', `/labels/${label.id}`);
      expect(gone.status).toBe(200);
      expect(gone.text).toBe('');
      expectProblem(await call('get', `/labels/${label.id}`), 404, 'label_not_found');
      expect((await conversationLabels(tagged)).length).toBe(3);
    });

    it('a rename the process did not finish is finished by the next change of the label', async () => {
      const title = unique('done');
      const label = await ok(call('post', '/labels', { title }), 201);
      const contact = await createPublicContact(server.http, inbox, {});
      const old = unique('half');
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push(await conversationWith(contact, [old]));
      // As a process stopped after the label's own rename committed would leave it.
      await testDatabase().query(`UPDATE labels SET renaming_from = $2 WHERE id = $1`, [
        label.id,
        [old],
      ]);
      await ok(call('patch', `/labels/${label.id}`, { description: 'Finished' }));
      for (const id of ids) expect(await conversationLabels(id)).toEqual([title]);
      const { rows } = await testDatabase().query(
        `SELECT renaming_from FROM labels WHERE id = $1`,
        [label.id],
      );
      expect(rows[0].renaming_from).toEqual([]);
    });

    it("are invisible from another account's URL", async () => {
      const label = await ok(call('post', '/labels', { title: unique('secret') }), 201);
      const response = await server.http
        .get(`${accountPath(other)}/labels/${label.id}`)
        .set('api_access_token', other.token);
      expectProblem(response, 404, 'label_not_found');
    });
  });

  describe('contact labels', () => {
    it('replace the set, list it, filter the contact list by any of them, and record one contact_updated', async () => {
      const contact = await createPublicContact(server.http, inbox, { name: 'Lia' });
      expect(await ok(call('get', `/contacts/${contact.id}/labels`))).toEqual({ payload: [] });
      const { cursor } = await eventsSince();
      const tag = unique('lead');
      const set = await ok(
        call(
          'post',
          `/contacts/${contact.id}/labels`,
          { labels: [tag, ' vip ', tag] },
          agent.token,
        ),
      );
      expect(set).toEqual({ payload: [tag, 'vip'] });
      // The same set again changes nothing and records nothing.
      await ok(call('post', `/contacts/${contact.id}/labels`, { labels: [tag, 'vip'] }));
      const { events } = await eventsSince(cursor);
      const contactEvents = events.filter(
        (event) => event.event.startsWith('contact_') && event.id === contact.id,
      );
      expect(contactEvents.map((event) => event.event)).toEqual(['contact_updated']);

      const second = await createPublicContact(server.http, inbox, {});
      const third = await createPublicContact(server.http, inbox, {});
      const another = unique('partner');
      await ok(call('post', `/contacts/${second.id}/labels`, { labels: [another] }));
      const listed = await ok<{ meta: { count: number }; payload: { id: number }[] }>(
        call('get', `/contacts?labels[]=${tag}&labels[]=${another}`),
      );
      expect(listed.payload.map((row) => row.id).sort()).toEqual([contact.id, second.id].sort());
      expect(listed.meta.count).toBe(2);
      const one = await ok<{ payload: { id: number }[] }>(
        call('get', `/contacts?labels=${another}`),
      );
      expect(one.payload.map((row) => row.id)).toEqual([second.id]);

      const filtered = await ok<{ payload: { id: number }[] }>(
        call('post', '/contacts/filter', {
          payload: [{ attribute_key: 'labels', filter_operator: 'equal_to', values: [tag] }],
        }),
      );
      expect(filtered.payload.map((row) => row.id)).toEqual([contact.id]);

      await ok(call('post', `/contacts/${contact.id}/labels`, { labels: [] }));
      expect(await ok(call('get', `/contacts/${contact.id}/labels`))).toEqual({ payload: [] });
      expect(third.id).toBeGreaterThan(0);
    });

    it('refuse bad labels and unknown contacts', async () => {
      const contact = await createPublicContact(server.http, inbox, {});
      expectInvalidFields(await call('post', `/contacts/${contact.id}/labels`, { labels: [''] }), [
        'labels',
      ]);
      expectInvalidFields(await call('post', `/contacts/${contact.id}/labels`, {}), ['labels']);
      expectProblem(
        await call('post', '/contacts/2147483000/labels', { labels: ['x'] }),
        404,
        'contact_not_found',
      );
      expectProblem(await call('get', '/contacts/2147483000/labels'), 404, 'contact_not_found');
    });
  });

  describe('canned responses', () => {
    it('are written and read by every member, with unique short codes', async () => {
      const code = unique('thanks');
      const created = await ok(
        call('post', '/canned_responses', { short_code: code, content: 'Thank you!' }, agent.token),
        201,
      );
      expect(created).toEqual({
        id: expect.any(Number),
        account_id: admin.accountId,
        short_code: code,
        content: 'Thank you!',
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      const clash = expectProblem(
        await call('post', '/canned_responses', { short_code: code, content: 'Again' }),
        409,
        'short_code_taken',
      );
      expect(clash.existing_id).toBe(created.id);
      expectInvalidFields(await call('post', '/canned_responses', { short_code: ' ' }), [
        'short_code',
        'content',
      ]);

      const updated = await ok(
        call(
          'patch',
          `/canned_responses/${created.id}`,
          { canned_response: { content: 'Thanks a lot!' } },
          agent.token,
        ),
      );
      expect(updated).toMatchObject({ id: created.id, short_code: code, content: 'Thanks a lot!' });
      const list = await ok<{ id: number }[]>(
        call('get', '/canned_responses', undefined, agent.token),
      );
      expect(list.map((row) => row.id)).toContain(created.id);

      const gone = await call('delete', `/canned_responses/${created.id}`, undefined, agent.token);
      expect(gone.status).toBe(200);
      expectProblem(
        await call('patch', `/canned_responses/${created.id}`, { content: 'x' }),
        404,
        'canned_response_not_found',
      );
      const foreign = await server.http
        .get(`${accountPath(other)}/canned_responses`)
        .set('api_access_token', other.token)
        .expect(200);
      expect(foreign.body).toEqual([]);
    });

    it('`search` keeps matches only, ranked as Chatwoot ranks them', async () => {
      const word = unique('refund').replace('-', '');
      const inContent = await ok(
        call('post', '/canned_responses', {
          short_code: unique('policy'),
          content: `Our ${word} policy`,
        }),
        201,
      );
      const inCode = await ok(
        call('post', '/canned_responses', { short_code: `how-${word}`, content: 'Steps' }),
        201,
      );
      const startsWith = await ok(
        call('post', '/canned_responses', { short_code: `${word}-now`, content: 'Done' }),
        201,
      );
      await ok(
        call('post', '/canned_responses', { short_code: unique('hello'), content: 'Hi' }),
        201,
      );
      const found = await ok<{ id: number }[]>(
        call('get', `/canned_responses?search=${word.toUpperCase()}`),
      );
      expect(found.map((row) => row.id)).toEqual([startsWith.id, inCode.id, inContent.id]);
      // LIKE wildcards are text.
      expect(await ok(call('get', '/canned_responses?search=%25_%25'))).toEqual([]);
    });
  });

  describe('custom filters', () => {
    it('save a conversation filter per user that runs through the filter endpoint', async () => {
      const marker = unique('case');
      const contact = await createPublicContact(server.http, inbox, {});
      const wanted = await conversationWith(contact, [marker]);
      await conversationWith(contact);
      const query = {
        payload: [{ attribute_key: 'labels', filter_operator: 'equal_to', values: [marker] }],
      };
      const saved = await ok(
        call('post', '/custom_filters', { name: 'Mine', filter_type: 'conversation', query }),
        201,
      );
      expect(saved).toEqual({
        id: expect.any(Number),
        name: 'Mine',
        filter_type: 'conversation',
        type: 'conversation',
        query,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      const shown = await ok<{ query: object }>(call('get', `/custom_filters/${saved.id}`));
      const run = await ok<{ payload: { id: number }[] }>(
        call('post', '/conversations/filter', shown.query),
      );
      expect(run.payload.map((row) => row.id)).toEqual([wanted]);

      // Per user: the agent neither sees nor changes it.
      expect(await ok(call('get', '/custom_filters', undefined, agent.token))).toEqual([]);
      for (const [method, body] of [
        ['get', undefined],
        ['patch', { name: 'Stolen' }],
        ['delete', undefined],
      ] as const) {
        expectProblem(
          await call(method, `/custom_filters/${saved.id}`, body, agent.token),
          404,
          'custom_filter_not_found',
        );
      }
      const list = await ok<{ id: number }[]>(call('get', '/custom_filters'));
      expect(list.map((row) => row.id)).toContain(saved.id);
      expect(await ok(call('get', '/custom_filters?filter_type=contact'))).toEqual([]);
    });

    it('check the query at save as the filter endpoint would', async () => {
      const bad = (query: unknown, filter_type = 'conversation') =>
        call('post', '/custom_filters', { name: 'Bad', filter_type, query });
      expectInvalidFields(await bad({ payload: [] }), ['query.payload']);
      expectInvalidFields(
        await bad({ payload: [{ attribute_key: 'status', filter_operator: 'near', values: [] }] }),
        ['query.payload.0.filter_operator'],
      );
      expectProblem(
        await bad({
          payload: [
            { attribute_key: 'created_at', filter_operator: 'is_greater_than', values: ['soon'] },
          ],
        }),
        422,
        'invalid_filter',
      );
      expectProblem(
        await bad(
          {
            payload: [{ attribute_key: 'blocked', filter_operator: 'equal_to', values: ['maybe'] }],
          },
          'contact',
        ),
        422,
        'invalid_filter',
      );
      expectInvalidFields(await bad('status=open'), ['query']);
      // A report filter keeps any object, as Chatwoot does.
      const report = await ok(
        call('post', '/custom_filters', {
          name: 'Weekly',
          type: 'report',
          query: { range: 'week' },
        }),
        201,
      );
      expect(report).toMatchObject({ filter_type: 'report', query: { range: 'week' } });
      expect(
        (await ok<{ id: number }[]>(call('get', '/custom_filters?filter_type=report'))).map(
          (row) => row.id,
        ),
      ).toEqual([report.id]);
    });

    it('take an empty query, as Chatwoot stores it: no conditions', async () => {
      const empty = await ok<{ id: number; query: object }>(
        call('post', '/custom_filters', { name: 'Everything', query: {} }),
        201,
      );
      expect(empty.query).toEqual({});
      // A Rails form cannot carry an empty object: no query is the same empty one.
      const fromForm = await ok<{ query: object; filter_type: string }>(
        server.http
          .post(`${base()}/custom_filters`)
          .set('api_access_token', admin.token)
          .type('form')
          .send('name=All+contacts&type=contact'),
        201,
      );
      expect(fromForm).toMatchObject({ filter_type: 'contact', query: {} });
      const emptied = await ok<{ query: object }>(
        call('patch', `/custom_filters/${empty.id}`, { name: 'Still everything', query: {} }),
      );
      expect(emptied).toMatchObject({ name: 'Still everything', query: {} });
    });

    it('change and delete, with the query checked again', async () => {
      const saved = await ok(
        call('post', '/custom_filters', {
          name: 'Contacts',
          filter_type: 'contact',
          query: {
            payload: [{ attribute_key: 'name', filter_operator: 'contains', values: ['a'] }],
          },
        }),
        201,
      );
      const changed = await ok(
        call('patch', `/custom_filters/${saved.id}`, {
          custom_filter: {
            name: 'Blocked',
            query: {
              payload: [{ attribute_key: 'blocked', filter_operator: 'equal_to', values: [true] }],
            },
          },
        }),
      );
      expect(changed).toMatchObject({ name: 'Blocked', filter_type: 'contact' });
      expectProblem(
        await call('patch', `/custom_filters/${saved.id}`, {
          query: {
            payload: [{ attribute_key: 'blocked', filter_operator: 'equal_to', values: ['maybe'] }],
          },
        }),
        422,
        'invalid_filter',
      );
      expect(await ok(call('get', `/custom_filters/${saved.id}`))).toMatchObject({
        name: 'Blocked',
      });
      const gone = await call('delete', `/custom_filters/${saved.id}`);
      expect(gone.status).toBe(200);
      expectProblem(
        await call('get', `/custom_filters/${saved.id}`),
        404,
        'custom_filter_not_found',
      );
    });

    it('stop at 50 per user and account', async () => {
      const user = await createAgent(server.http, admin);
      const query = {
        payload: [{ attribute_key: 'status', filter_operator: 'equal_to', values: ['open'] }],
      };
      for (let i = 0; i < 50; i++) {
        await ok(call('post', '/custom_filters', { name: `View ${i}`, query }, user.token), 201);
      }
      expectProblem(
        await call('post', '/custom_filters', { name: 'One more', query }, user.token),
        422,
        'custom_filter_limit',
      );
      // Others are not limited by this user's filters.
      await ok(call('post', '/custom_filters', { name: 'Admin view', query }), 201);
    });
  });

  describe('contact merge', () => {
    it("moves the mergee's conversations, contact inboxes, labels and attributes to the base, deletes it, one event", async () => {
      const secondInbox = await createInbox(server.http, admin);
      const baseContact = await createPublicContact(server.http, inbox, {
        name: 'Base Person',
        identifier: unique('crm'),
        custom_attributes: { plan: 'pro', seats: 3 },
      });
      const mergeeEmail = `${unique('dup')}@example.test`;
      const mergee = await createPublicContact(server.http, secondInbox, {
        name: 'Duplicate Person',
        email: mergeeEmail,
        phone_number: '+14155550123',
        custom_attributes: { plan: 'free', company: 'Acme' },
      });
      await ok(
        call('patch', `/contacts/${baseContact.id}`, {
          additional_attributes: { social: { twitter: '@base' } },
        }),
      );
      await ok(
        call('patch', `/contacts/${mergee.id}`, {
          additional_attributes: { social: { github: 'dup' }, city: 'Lisbon' },
        }),
      );
      await ok(call('post', `/contacts/${baseContact.id}/labels`, { labels: ['vip'] }));
      await ok(call('post', `/contacts/${mergee.id}/labels`, { labels: ['lead', 'vip'] }));
      const baseConversation = await createPublicConversation(server.http, inbox, baseContact);
      const mergeeConversation = await createPublicConversation(server.http, secondInbox, mergee);
      const message = await postPublicMessage(
        server.http,
        secondInbox,
        mergee,
        mergeeConversation,
        {
          content: 'From the duplicate',
        },
      );
      const { cursor } = await eventsSince();

      const merged = await ok(
        call(
          'post',
          '/actions/contact_merge',
          {
            base_contact_id: baseContact.id,
            mergee_contact_id: mergee.id,
          },
          agent.token,
        ),
      );
      expect(merged).toMatchObject({
        id: baseContact.id,
        name: 'Base Person',
        identifier: baseContact.identifier,
        email: mergeeEmail,
        phone_number: '+14155550123',
        custom_attributes: { plan: 'pro', seats: 3, company: 'Acme' },
        additional_attributes: { social: { twitter: '@base', github: 'dup' }, city: 'Lisbon' },
      });

      expectProblem(await call('get', `/contacts/${mergee.id}`), 404, 'contact_not_found');
      const conversations = await ok<{ payload: { id: number }[] }>(
        call('get', `/contacts/${baseContact.id}/conversations`),
      );
      expect(conversations.payload.map((row) => row.id).sort()).toEqual(
        [baseConversation, mergeeConversation].sort(),
      );
      const moved = await ok<{ meta: { sender: { id: number } } }>(
        call('get', `/conversations/${mergeeConversation}`),
      );
      expect(moved.meta.sender.id).toBe(baseContact.id);
      const messages = await ok<{ payload: { id: number; sender: { id: number } | null }[] }>(
        call('get', `/conversations/${mergeeConversation}/messages`),
      );
      expect(messages.payload.find((row) => row.id === message.id)?.sender?.id).toBe(
        baseContact.id,
      );
      const shown = await ok<{ payload: { contact_inboxes: { source_id: string }[] } }>(
        call('get', `/contacts/${baseContact.id}`),
      );
      expect(shown.payload.contact_inboxes.map((link) => link.source_id).sort()).toEqual(
        [baseContact.sourceId, mergee.sourceId].sort(),
      );
      // The mergee's source_id keeps working on the Client API, now as the base contact.
      const viaOldSource = await server.http
        .get(`${publicPath(secondInbox.identifier)}/contacts/${mergee.sourceId}/conversations`)
        .expect(200);
      expect(viaOldSource.body.map((row: { id: number }) => row.id)).toEqual([mergeeConversation]);
      expect(await ok(call('get', `/contacts/${baseContact.id}/labels`))).toEqual({
        payload: ['vip', 'lead'],
      });

      const { events } = await eventsSince(cursor);
      const contactEvents = events.filter((event) => event.event.startsWith('contact_'));
      expect(contactEvents).toEqual([
        expect.objectContaining({
          event: 'contact_merged',
          id: baseContact.id,
          email: mergeeEmail,
          account: { id: admin.accountId },
          mergee: expect.objectContaining({ id: mergee.id, name: 'Duplicate Person' }),
        }),
      ]);
    });

    it('refuses the same contact twice, unknown or foreign contacts, and changes nothing then', async () => {
      const one = await createPublicContact(server.http, inbox, { name: 'One' });
      const conversation = await createPublicConversation(server.http, inbox, one);
      const merge = (base_contact_id: unknown, mergee_contact_id: unknown) =>
        call('post', '/actions/contact_merge', { base_contact_id, mergee_contact_id });

      const same = expectProblem(await merge(one.id, one.id), 422, 'same_contact');
      expect(same.detail).toContain('mergee_contact_id');
      expectProblem(await merge(one.id, 2147483000), 404, 'contact_not_found');
      expectProblem(await merge(2147483000, one.id), 404, 'contact_not_found');
      const otherInbox = await createInbox(server.http, other);
      const foreign = await createPublicContact(server.http, otherInbox, {});
      expectProblem(await merge(one.id, foreign.id), 404, 'contact_not_found');
      expectProblem(await merge(foreign.id, one.id), 404, 'contact_not_found');
      expectInvalidFields(await merge('1', null), ['base_contact_id', 'mergee_contact_id']);

      await ok(call('get', `/contacts/${one.id}`));
      const conversations = await ok<{ payload: { id: number }[] }>(
        call('get', `/contacts/${one.id}/conversations`),
      );
      expect(conversations.payload.map((row) => row.id)).toEqual([conversation]);
      await server.http
        .get(`${accountPath(other)}/contacts/${foreign.id}`)
        .set('api_access_token', other.token)
        .expect(200);
    });
  });
});
