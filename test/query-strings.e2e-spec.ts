import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  accountPath,
  createInbox,
  createPublicContact,
  createPublicConversation,
  unique,
} from './support/api-channel.js';
import type { TestInbox } from './support/api-channel.js';
import { closeTestDatabase } from './support/database.js';
import { createAccount } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { expectInvalidFields, expectProblem } from './support/problems.js';
import { startServer } from './support/server.js';
import type { TestServer } from './support/server.js';

/**
 * Query strings as Chatwoot's clients send them (src/common/form-body.ts, read by Fastify's
 * querystringParser): a list as `labels[]=a&labels[]=b` (Rails), `labels=a&labels=b` (OpenAPI's
 * default) or `labels=a,b`, on every route with a list parameter; and what is refused.
 */
describe('query strings', () => {
  let server: TestServer;
  let admin: TestAccount;
  let inboxes: TestInbox[];
  const tags = { x: unique('qx'), y: unique('qy'), z: unique('qz') };
  const name = unique('Query');
  /** Per tag, the contact and the conversation (display id) carrying it. */
  const contacts: Record<string, number> = {};
  const conversations: Record<string, number> = {};
  const labelIds: Record<string, number> = {};

  const get = (path: string) => server.http.get(path).set('api_access_token', admin.token);
  const post = (path: string, body: object) =>
    server.http.post(path).set('api_access_token', admin.token).send(body);

  /** `key` holding x and y, in each spelling clients use; `key[]` percent-encoded too. */
  const spellings = (key: string, x: string | number, y: string | number) => [
    `${key}[]=${x}&${key}[]=${y}`,
    `${key}%5B%5D=${x}&${key}%5B%5D=${y}`,
    `${key}=${x}&${key}=${y}`,
    `${key}=${x},${y}`,
  ];

  beforeAll(async () => {
    server = await startServer();
    admin = await createAccount('Query strings');
    inboxes = [
      await createInbox(server.http, admin),
      await createInbox(server.http, admin),
      await createInbox(server.http, admin),
    ];
    for (const [key, tag] of Object.entries(tags)) {
      const contact = await createPublicContact(server.http, inboxes[0], {
        name: `${name} ${key}`,
      });
      contacts[key] = contact.id;
      await post(`${accountPath(admin)}/contacts/${contact.id}/labels`, { labels: [tag] }).expect(
        200,
      );
      const conversation = await createPublicConversation(server.http, inboxes[0], contact);
      conversations[key] = conversation;
      await post(`${accountPath(admin)}/conversations/${conversation}/labels`, {
        labels: [tag],
      }).expect(200);
      const label = await post(`${accountPath(admin)}/labels`, { title: tag }).expect(201);
      labelIds[key] = label.body.id;
    }
  });
  afterAll(async () => {
    await server?.stop();
    await closeTestDatabase();
  });

  const ids = (rows: { id: number }[]) => rows.map((row) => row.id).sort((a, b) => a - b);
  const sorted = (...values: number[]) => [...values].sort((a, b) => a - b);

  describe('a list in any of the spellings Chatwoot clients use', () => {
    it('GET /conversations and /conversations/meta: labels', async () => {
      for (const query of spellings('labels', tags.x, tags.y)) {
        const list = await get(`${accountPath(admin)}/conversations?status=all&${query}`);
        expect({ query, status: list.status, ids: ids(list.body.data?.payload ?? []) }).toEqual({
          query,
          status: 200,
          ids: sorted(conversations.x, conversations.y),
        });
        const meta = await get(`${accountPath(admin)}/conversations/meta?status=all&${query}`);
        expect({ query, status: meta.status, all: meta.body.meta?.all_count }).toEqual({
          query,
          status: 200,
          all: 2,
        });
      }
      // One value in either spelling is a list of one.
      for (const query of [`labels[]=${tags.z}`, `labels=${tags.z}`]) {
        const list = await get(`${accountPath(admin)}/conversations?status=all&${query}`);
        expect(ids(list.body.data.payload)).toEqual([conversations.z]);
      }
    });

    it('GET /contacts and /contacts/search: labels', async () => {
      for (const query of spellings('labels', tags.x, tags.z)) {
        const list = await get(`${accountPath(admin)}/contacts?${query}`);
        expect({ query, status: list.status, ids: ids(list.body.payload ?? []) }).toEqual({
          query,
          status: 200,
          ids: sorted(contacts.x, contacts.z),
        });
        const search = await get(
          `${accountPath(admin)}/contacts/search?q=${encodeURIComponent(name)}&${query}`,
        );
        expect({ query, status: search.status, ids: ids(search.body.payload ?? []) }).toEqual({
          query,
          status: 200,
          ids: sorted(contacts.x, contacts.z),
        });
      }
    });

    it('GET /reports/inbox_label_matrix: inbox_ids and label_ids', async () => {
      const matrix = `/api/v2/accounts/${admin.accountId}/reports/inbox_label_matrix`;
      const inboxQueries = spellings('inbox_ids', inboxes[0].id, inboxes[2].id);
      const labelQueries = spellings('label_ids', labelIds.y, labelIds.z);
      for (const [index, inboxQuery] of inboxQueries.entries()) {
        const query = `${inboxQuery}&${labelQueries[index]}`;
        const response = await get(`${matrix}?${query}`);
        expect({
          query,
          status: response.status,
          inboxes: ids(response.body.inboxes ?? []),
          labels: ids(response.body.labels ?? []),
        }).toEqual({
          query,
          status: 200,
          inboxes: sorted(inboxes[0].id, inboxes[2].id),
          labels: sorted(labelIds.y, labelIds.z),
        });
      }
    });
  });

  describe('refused with a problem naming the parameter, never a 500', () => {
    it('a key sent both as one value and as a list is 400 conflicting_keys, on each route', async () => {
      for (const path of [
        `${accountPath(admin)}/conversations?labels=${tags.x}&labels[]=${tags.y}`,
        `${accountPath(admin)}/conversations/meta?labels[]=${tags.x}&labels=${tags.y}`,
        `${accountPath(admin)}/contacts?labels=${tags.x}&labels[]=${tags.y}`,
        `${accountPath(admin)}/contacts/search?q=a&labels=${tags.x}&labels[]=${tags.y}`,
        `/api/v2/accounts/${admin.accountId}/reports/inbox_label_matrix?inbox_ids=1&inbox_ids[]=2`,
        `/api/v2/accounts/${admin.accountId}/reports/inbox_label_matrix?label_ids[]=1&label_ids[x]=2&label_ids=3`,
      ]) {
        const problem = expectProblem(await get(path), 400, 'conflicting_keys');
        expect({ path, fields: problem.errors?.map((error) => error.field) }).toEqual({
          path,
          fields: [expect.stringMatching(/^(labels|inbox_ids|label_ids)/)],
        });
      }
    });

    it('a hash where a list is expected, or a list where one value is, is 422 naming it', async () => {
      expectInvalidFields(await get(`${accountPath(admin)}/conversations?labels[a]=x`), ['labels']);
      expectInvalidFields(await get(`${accountPath(admin)}/contacts?labels[0][a]=x`), ['labels']);
      expectInvalidFields(
        await get(`${accountPath(admin)}/conversations?status[]=open&inbox_id[]=1`),
        ['status', 'inbox_id'],
      );
      expectInvalidFields(await get(`${accountPath(admin)}/contacts/search?q[]=a&q[]=b`), ['q']);
      expectInvalidFields(await get(`${accountPath(admin)}/conversations?status=all&status=open`), [
        'status',
      ]);
      expectInvalidFields(
        await get(
          `/api/v2/accounts/${admin.accountId}/reports/inbox_label_matrix?inbox_ids[a]=1&label_ids=x`,
        ),
        ['inbox_ids', 'label_ids'],
      );
      // A nested key (as some clients send GET filters) is read as one field, here unknown.
      expectInvalidFields(
        await get(
          `${accountPath(admin)}/conversations?payload[0][attribute_key]=status&payload[0][values][]=open`,
        ),
        ['payload'],
      );
      // Too many labels for one filter.
      const many = Array.from({ length: 21 }, (_, index) => `labels[]=l${index}`).join('&');
      expectInvalidFields(await get(`${accountPath(admin)}/conversations?${many}`), ['labels']);
    });

    it('the JSON limits: depth, keys, NUL', async () => {
      const deep = await get(`${accountPath(admin)}/conversations?labels${'[a]'.repeat(40)}=x`);
      expect(expectProblem(deep, 400, 'query_too_deep').detail).toContain('query string');
      // The same on a route that takes no query parameters, and before authentication.
      expectProblem(await get(`/api/v1/profile?a${'[]'.repeat(32)}=1`), 400, 'query_too_deep');
      expectProblem(
        await server.http.get(`${accountPath(admin)}/contacts?a${'[b]'.repeat(32)}=1`),
        400,
        'query_too_deep',
      );
      // Node refuses a URL past 16 KiB (431) before any query limit but the keys of one object.
      const wide = Array.from({ length: 1_001 }, (_, index) => `k${index}=`).join('&');
      expectProblem(await get(`${accountPath(admin)}/contacts?${wide}`), 400, 'query_too_complex');
      const nul = await get(`${accountPath(admin)}/contacts?labels[]=a%00b`);
      expect(expectProblem(nul, 400, 'invalid_characters').errors).toEqual([
        { field: 'labels[0]', messages: [expect.stringContaining('NUL')] },
      ]);
    });
  });

  describe('form bodies follow the same rules', () => {
    const form = (path: string, text: string) =>
      server.http
        .post(path)
        .set('api_access_token', admin.token)
        .set('content-type', 'application/x-www-form-urlencoded')
        .send(text);

    it('a key sent both as one value and as a hash is 400 conflicting_keys', async () => {
      const problem = expectProblem(
        await form(`${accountPath(admin)}/contacts`, 'name=a&name[first]=b'),
        400,
        'conflicting_keys',
      );
      expect(problem.errors).toEqual([{ field: 'name', messages: [expect.any(String)] }]);
    });

    it('a name with more brackets than the depth limit is refused before they are read', async () => {
      // 150 KB of brackets: splitting them took minutes (their cost grew with the square).
      const deep = await form(`${accountPath(admin)}/contacts`, `a[]${'[b]'.repeat(50_000)}=1`);
      expectProblem(deep, 400, 'json_too_deep');
    });
  });
});
