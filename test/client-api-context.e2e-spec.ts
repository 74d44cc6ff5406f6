import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  accountPath,
  createInbox,
  createPublicContact,
  createPublicConversation,
  identityHash,
  publicPath,
  unique,
} from './support/api-channel.js';
import type { TestContact, TestInbox } from './support/api-channel.js';
import { built } from './support/built.js';
import { closeTestDatabase } from './support/database.js';
import { createAccount } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { expectProblem } from './support/problems.js';
import { startServer } from './support/server.js';
import type { InProcessServer } from './support/server.js';

// A Client API conversation or message request resolves its inbox (cached), contact and
// conversation before anything else: the contact and conversation in one statement, read anew
// on every request, so that every change is seen by the next request.
describe('Client API context: the inbox, contact and conversation of a path', () => {
  let server: InProcessServer;
  let admin: TestAccount;

  beforeAll(async () => {
    // No worker: nothing in the background touches the database or Redis while counting.
    server = await startServer({ PROCESS_ROLE: 'api' });
    admin = await createAccount('Client context');
  });
  afterAll(async () => {
    await server?.stop();
    await closeTestDatabase();
  });

  /** An inbox with a contact (an identifier) that has one conversation. */
  async function seed(channel: Record<string, unknown> = {}) {
    const inbox = await createInbox(server.http, admin, channel);
    const identifier = unique('crm');
    const hash = identityHash(inbox.hmacToken, identifier);
    const contact = await createPublicContact(server.http, inbox, {
      identifier,
      identifier_hash: hash,
      name: unique('Contact'),
    });
    const conversation = await createPublicConversation(server.http, inbox, contact, {
      identifier_hash: hash,
    });
    return { inbox, contact, identifier, hash, conversation };
  }

  function messages(inbox: TestInbox, contact: TestContact, conversation: number | string) {
    return `${publicPath(inbox.identifier)}/contacts/${encodeURIComponent(contact.sourceId)}/conversations/${conversation}/messages`;
  }

  function post(path: string, hash?: string) {
    return server.http
      .post(path)
      .query(hash ? { identifier_hash: hash } : {})
      .send({ content: unique('message') });
  }

  function asAdmin(method: 'patch' | 'post' | 'delete', path: string) {
    return server.http[method](`${accountPath(admin)}${path}`).set('api_access_token', admin.token);
  }

  it('answers unknown inbox, bad id, unknown contact, identity, unknown conversation in that order', async () => {
    const { inbox, contact, hash, conversation } = await seed({
      hmac_mandatory: true,
      hmac_scope: 'every_request',
    });
    const other = await seed({ hmac_mandatory: true, hmac_scope: 'every_request' });
    const stranger: TestContact = { id: 0, sourceId: unique('nobody'), identifier: null };
    const unknown = { ...inbox, identifier: unique('no-inbox') };

    // The id is checked before anything is looked up.
    expectProblem(await post(messages(unknown, stranger, 'x1')), 400, 'invalid_id');
    expectProblem(await post(messages(unknown, stranger, 1)), 404, 'inbox_not_found');
    expectProblem(await post(messages(inbox, stranger, 999999)), 404, 'contact_not_found');
    // A contact of another inbox is unknown here, whatever its hash.
    expectProblem(
      await post(messages(inbox, other.contact, conversation), other.hash),
      404,
      'contact_not_found',
    );
    // Without the contact's identity nothing tells whether a conversation exists.
    expectProblem(
      await post(messages(inbox, contact, 999999)),
      401,
      'identity_verification_required',
    );
    expectProblem(
      await post(messages(inbox, contact, other.conversation), other.hash),
      401,
      'identity_verification_failed',
    );
    expectProblem(
      await post(messages(inbox, contact, 999999), hash),
      404,
      'conversation_not_found',
    );
    // Another contact's conversation (here: of another inbox) is not this contact's.
    expectProblem(
      await post(messages(inbox, contact, other.conversation), hash),
      404,
      'conversation_not_found',
    );
    await post(messages(inbox, contact, conversation), hash).expect(201);
  });

  it("a contact's new identifier is the one its identifier_hash must prove, on the next request", async () => {
    const { inbox, contact, hash, conversation } = await seed({
      hmac_mandatory: true,
      hmac_scope: 'every_request',
    });
    await post(messages(inbox, contact, conversation), hash).expect(201);
    const renamed = unique('crm-renamed');
    await asAdmin('patch', `/contacts/${contact.id}`).send({ identifier: renamed }).expect(200);

    expectProblem(
      await post(messages(inbox, contact, conversation), hash),
      401,
      'identity_verification_failed',
    );
    await post(
      messages(inbox, contact, conversation),
      identityHash(inbox.hmacToken, renamed),
    ).expect(201);
  });

  it("a merged contact's source_id and conversation belong to the base contact at once", async () => {
    const {
      inbox,
      contact: mergee,
      hash,
      conversation,
    } = await seed({
      hmac_mandatory: true,
      hmac_scope: 'every_request',
    });
    const baseIdentifier = unique('crm-base');
    const baseHash = identityHash(inbox.hmacToken, baseIdentifier);
    const base = await createPublicContact(server.http, inbox, {
      identifier: baseIdentifier,
      identifier_hash: baseHash,
      name: 'Base',
    });
    await post(messages(inbox, mergee, conversation), hash).expect(201);

    await asAdmin('post', '/actions/contact_merge')
      .send({ base_contact_id: base.id, mergee_contact_id: mergee.id })
      .expect(200);

    // The base contact keeps its identifier: the mergee's hash proves nothing any more.
    expectProblem(
      await post(messages(inbox, mergee, conversation), hash),
      401,
      'identity_verification_failed',
    );
    const sent = await post(messages(inbox, mergee, conversation), baseHash).expect(201);
    expect(sent.body.sender).toMatchObject({ id: base.id, identifier: baseIdentifier });
  });

  it("a deleted contact's conversations are gone on the next request", async () => {
    const { inbox, contact, conversation } = await seed();
    await post(messages(inbox, contact, conversation)).expect(201);
    await asAdmin('delete', `/contacts/${contact.id}`).expect((response) =>
      expect(response.status).toBeLessThan(300),
    );
    expectProblem(await post(messages(inbox, contact, conversation)), 404, 'contact_not_found');
  });

  it("the inbox's identity settings and its deletion apply to the next request", async () => {
    const { inbox, contact, hash, conversation } = await seed();
    await post(messages(inbox, contact, conversation)).expect(201); // the inbox is now cached

    await asAdmin('patch', `/inboxes/${inbox.id}`)
      .send({ channel: { hmac_mandatory: true, hmac_scope: 'every_request' } })
      .expect(200);
    expectProblem(
      await post(messages(inbox, contact, conversation)),
      401,
      'identity_verification_required',
    );
    await post(messages(inbox, contact, conversation), hash).expect(201);

    await asAdmin('patch', `/inboxes/${inbox.id}`)
      .send({ channel: { hmac_scope: 'contact_routes' } })
      .expect(200);
    await post(messages(inbox, contact, conversation)).expect(201);

    await asAdmin('delete', `/inboxes/${inbox.id}`).expect((response) =>
      expect(response.status).toBeLessThan(300),
    );
    expectProblem(await post(messages(inbox, contact, conversation)), 404, 'inbox_not_found');
  });

  describe('round trips', () => {
    interface Counter {
      pg: string[];
      redis: string[];
    }
    /** The request or call being counted: what it sent to PostgreSQL and Redis. */
    const counting = new AsyncLocalStorage<Counter>();
    const restore: (() => void)[] = [];

    beforeAll(async () => {
      // The app's own copies of the drivers, whose prototypes its connections use.
      const [pg, { Redis }] = await Promise.all([
        built<typeof import('pg')>('pg'),
        built<typeof import('ioredis')>('ioredis'),
      ]);
      const Client = (pg as unknown as { default?: typeof pg }).default?.Client ?? pg.Client;
      const query = Client.prototype.query;
      Client.prototype.query = function (this: unknown, ...args: unknown[]) {
        const config = args[0] as string | { name?: string; text?: string };
        counting
          .getStore()
          ?.pg.push(typeof config === 'string' ? config : (config.name ?? config.text ?? ''));
        return (query as (...args: unknown[]) => unknown).apply(this, args);
      } as typeof query;
      const sendCommand = Redis.prototype.sendCommand;
      Redis.prototype.sendCommand = function (this: unknown, ...args: unknown[]) {
        counting.getStore()?.redis.push((args[0] as { name: string }).name);
        return (sendCommand as (...args: unknown[]) => unknown).apply(this, args);
      } as typeof sendCommand;
      restore.push(() => {
        Client.prototype.query = query;
        Redis.prototype.sendCommand = sendCommand;
      });
    });
    afterAll(() => restore.forEach((undo) => undo()));

    async function counted<T>(call: () => PromiseLike<T>): Promise<{ result: T } & Counter> {
      const counter: Counter = { pg: [], redis: [] };
      // Awaited inside: an injected request starts only when its result is awaited.
      const result = await counting.run(counter, async () => await call());
      return { result, ...counter };
    }

    it('a conversation route resolves contact and conversation in one statement, the inbox from cache', async () => {
      const { inbox, contact, hash, conversation } = await seed({
        hmac_mandatory: true,
        hmac_scope: 'every_request',
      });
      const { PublicContext } = await built<
        typeof import('../src/api-channel/public-context.service.js')
      >('api-channel/public-context.service.js');
      const context = server.app.get(PublicContext, { strict: false });
      const resolve = (displayId: number) =>
        context.conversation(inbox.identifier, contact.sourceId, displayId, hash);

      const first = await counted(() => resolve(conversation));
      // The first call also reads the inbox into the cache.
      expect(first.pg.length).toBeLessThanOrEqual(2);
      const again = await counted(() => resolve(conversation));
      expect(again.pg).toHaveLength(1);
      expect(again.redis).toEqual([]);
      expect(again.result).toMatchObject({
        inbox: { id: inbox.id },
        contactInbox: { contactId: contact.id, sourceId: contact.sourceId },
        conversation: { displayId: conversation, contactId: contact.id },
      });
      // Not found costs the same one statement.
      const missing = await counted(() => resolve(999999).catch((error: Error) => error));
      expect(missing.pg).toHaveLength(1);
      expect(missing.result).toMatchObject({ code: 'conversation_not_found' });
    });

    it('concurrent look-ups share one statement, each gets its own answer, and a bad one fails alone', async () => {
      const { PublicContext } = await built<
        typeof import('../src/api-channel/public-context.service.js')
      >('api-channel/public-context.service.js');
      const context = server.app.get(PublicContext, { strict: false });
      const one = await seed();
      const two = await seed();
      const resolve = (
        { inbox, contact }: Awaited<ReturnType<typeof seed>>,
        displayId: number,
        sourceId = contact.sourceId,
      ) =>
        context.conversation(inbox.identifier, sourceId, displayId, undefined).then(
          ({ contactInbox, conversation }) => ({
            contactId: contactInbox.contactId,
            displayId: conversation.displayId,
          }),
          (error: Error & { code?: string }) => error.code ?? error.message,
        );
      await resolve(one, one.conversation); // both inboxes are now cached
      await resolve(two, two.conversation);

      const together = await counted(() =>
        Promise.all([
          resolve(one, one.conversation),
          resolve(two, two.conversation),
          resolve(one, 999999),
          resolve(two, one.conversation), // another contact's conversation
          resolve(one, one.conversation, unique('nobody')),
        ]),
      );
      expect(together.result).toEqual([
        { contactId: one.contact.id, displayId: one.conversation },
        { contactId: two.contact.id, displayId: two.conversation },
        'conversation_not_found',
        'conversation_not_found',
        'contact_not_found',
      ]);
      expect(together.pg).toEqual(['contact_conversations_by_source']);

      // A source_id PostgreSQL refuses (NUL) fails its statement: then each look-up runs alone.
      const withBad = await counted(() =>
        Promise.all([
          resolve(one, one.conversation),
          resolve(one, one.conversation, 'bad\u0000source'),
          resolve(two, two.conversation),
        ]),
      );
      expect(withBad.result[0]).toEqual({ contactId: one.contact.id, displayId: one.conversation });
      expect(typeof withBad.result[1]).toBe('string');
      expect(withBad.result[2]).toEqual({ contactId: two.contact.id, displayId: two.conversation });
      expect(withBad.pg).toHaveLength(4);
    });

    it('a new message is one statement that locks, inserts and answers the event view: no second read', async () => {
      const { inbox, contact, conversation } = await seed();
      const fastify = server.app.getHttpAdapter().getInstance();
      const request = {
        method: 'POST' as const,
        url: messages(inbox, contact, conversation),
        payload: { content: 'Counted' },
      };
      await fastify.inject(request); // the inbox is now cached
      const { result, pg } = await counted(() => fastify.inject(request));
      expect(result.statusCode).toBe(201);
      expect(pg).toContain('lock_and_insert_message');
      // The message_created event's conversation comes from the insert's own statement.
      expect(pg).not.toContain('conversation_event_view');
      // The context look-up, BEGIN, the insert, the event, COMMIT.
      expect(pg.length).toBeLessThanOrEqual(5);
    });

    it('a Client API request makes one Redis call, the rate limit, and keeps its headers', async () => {
      const { inbox, contact, conversation } = await seed();
      const fastify = server.app.getHttpAdapter().getInstance();
      const url = messages(inbox, contact, conversation);
      await fastify.inject({ method: 'GET', url }); // the inbox is now cached
      for (const request of [
        { method: 'GET' as const, url },
        { method: 'POST' as const, url, payload: { content: 'Counted' } },
        { method: 'GET' as const, url: `${publicPath(inbox.identifier)}/contacts/x/conversations` },
      ]) {
        const { result, redis } = await counted(() => fastify.inject(request));
        expect(result.statusCode).toBeLessThan(500);
        expect(redis).toHaveLength(1);
        expect(result.headers).toMatchObject({
          'x-ratelimit-limit': expect.anything(),
          'x-ratelimit-remaining': expect.anything(),
          'x-ratelimit-reset': expect.anything(),
        });
      }
    });
  });
});
