import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import {
  accountPath,
  createInbox,
  createPublicContact,
  identityHash,
  publicPath,
  unique,
} from './support/api-channel.js';
import type { TestContact, TestInbox } from './support/api-channel.js';
import { closeTestDatabase, testDatabase } from './support/database.js';
import { createAccount } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { expectProblem } from './support/problems.js';
import { startServer, TestServer } from './support/server.js';

type Method = 'get' | 'post' | 'patch' | 'put';

interface PublicRoute {
  name: string;
  method: Method;
  /** Path below /contacts/{source_id}. */
  path: (ids: { conversation: number; message: number }) => string;
  body?: Record<string, unknown>;
  /** Where the hash goes: the query (every route) or the body (contact update). */
  hashIn: 'query' | 'body';
  ok: number;
}

/** Every public route for a contact (besides POST /contacts, tested on its own). */
const ROUTES: PublicRoute[] = [
  { name: 'GET contact', method: 'get', path: () => '', hashIn: 'query', ok: 200 },
  {
    name: 'PATCH contact (hash in query)',
    method: 'patch',
    path: () => '',
    body: { name: 'Patched' },
    hashIn: 'query',
    ok: 200,
  },
  {
    name: 'PATCH contact (hash in body)',
    method: 'patch',
    path: () => '',
    body: { name: 'Patched' },
    hashIn: 'body',
    ok: 200,
  },
  {
    name: 'PUT contact',
    method: 'put',
    path: () => '',
    body: { name: 'Put' },
    hashIn: 'body',
    ok: 200,
  },
  {
    name: 'GET conversations',
    method: 'get',
    path: () => '/conversations',
    hashIn: 'query',
    ok: 200,
  },
  {
    name: 'POST conversations',
    method: 'post',
    path: () => '/conversations',
    body: {},
    hashIn: 'query',
    ok: 201,
  },
  {
    name: 'GET conversation',
    method: 'get',
    path: ({ conversation }) => `/conversations/${conversation}`,
    hashIn: 'query',
    ok: 200,
  },
  {
    name: 'POST toggle_typing',
    method: 'post',
    path: ({ conversation }) => `/conversations/${conversation}/toggle_typing`,
    body: { typing_status: 'on' },
    hashIn: 'query',
    ok: 200,
  },
  {
    name: 'POST update_last_seen',
    method: 'post',
    path: ({ conversation }) => `/conversations/${conversation}/update_last_seen`,
    body: {},
    hashIn: 'query',
    ok: 200,
  },
  {
    name: 'GET messages',
    method: 'get',
    path: ({ conversation }) => `/conversations/${conversation}/messages`,
    hashIn: 'query',
    ok: 200,
  },
  {
    name: 'POST messages',
    method: 'post',
    path: ({ conversation }) => `/conversations/${conversation}/messages`,
    body: { content: 'Verified hello' },
    hashIn: 'query',
    ok: 201,
  },
  {
    name: 'PATCH message',
    method: 'patch',
    path: ({ conversation, message }) => `/conversations/${conversation}/messages/${message}`,
    body: { submitted_values: { rating: 5 } },
    hashIn: 'query',
    ok: 200,
  },
  {
    name: 'PUT message',
    method: 'put',
    path: ({ conversation, message }) => `/conversations/${conversation}/messages/${message}`,
    body: { submitted_values: { rating: 4 } },
    hashIn: 'query',
    ok: 200,
  },
  {
    name: 'POST toggle_status',
    method: 'post',
    path: ({ conversation }) => `/conversations/${conversation}/toggle_status`,
    body: {},
    hashIn: 'query',
    ok: 200,
  },
];

describe('identity validation (identifier_hash) with hmac_scope every_request', () => {
  let server: TestServer;
  let admin: TestAccount;
  let inbox: TestInbox;
  /** Two verified contacts of the inbox: `alice` is the one the routes name, `bob` the other. */
  let alice: TestContact;
  let bob: TestContact;
  let conversation: number;
  let message: number;

  const db = () => testDatabase();
  const hashOf = (identifier: string) => identityHash(inbox.hmacToken, identifier);

  beforeAll(async () => {
    server = await startServer();
    admin = await createAccount('Verified');
    // The strict option: identifier_hash on every route (what every inbox did before hmac_scope).
    inbox = await createInbox(server.http, admin, {
      hmac_mandatory: true,
      hmac_scope: 'every_request',
    });
    expect(inbox.body).toMatchObject({
      hmac_mandatory: true,
      hmac_scope: 'every_request',
      hmac_token: expect.any(String),
    });
    const aliceId = unique('alice');
    const bobId = unique('bob');
    alice = await createPublicContact(server.http, inbox, {
      identifier: aliceId,
      identifier_hash: hashOf(aliceId),
      name: 'Alice',
    });
    bob = await createPublicContact(server.http, inbox, {
      identifier: bobId,
      identifier_hash: hashOf(bobId),
      name: 'Bob',
    });
    const created = await server.http
      .post(`${publicPath(inbox.identifier)}/contacts/${alice.sourceId}/conversations`)
      .query({ identifier_hash: hashOf(aliceId) })
      .send({})
      .expect(201);
    conversation = created.body.id;
    const posted = await server.http
      .post(
        `${publicPath(inbox.identifier)}/contacts/${alice.sourceId}/conversations/${conversation}/messages`,
      )
      .query({ identifier_hash: hashOf(aliceId) })
      .send({ content: 'First' })
      .expect(201);
    message = posted.body.id;
  });
  afterAll(async () => {
    await server?.stop();
    await closeTestDatabase();
  });

  it('the Client API tells that identity validation is on', async () => {
    const response = await server.http.get(publicPath(inbox.identifier)).expect(200);
    expect(response.body.identity_validation_enabled).toBe(true);
  });

  function call(
    route: PublicRoute,
    contact: TestContact,
    hash: string | undefined,
  ): Promise<Response> {
    const path = `${publicPath(inbox.identifier)}/contacts/${contact.sourceId}${route.path({ conversation, message })}`;
    let pending = server.http[route.method](path);
    if (hash !== undefined && route.hashIn === 'query')
      pending = pending.query({ identifier_hash: hash });
    const body =
      route.hashIn === 'body' && hash !== undefined
        ? { ...route.body, identifier_hash: hash }
        : route.body;
    return body ? pending.send(body) : pending;
  }

  /** Rows a refused call must not have touched. */
  async function state() {
    const { rows } = await db().query(
      `SELECT (SELECT json_agg(json_build_object('name', name, 'updated_at', updated_at) ORDER BY id) FROM contacts WHERE account_id = $1) AS contacts,
              (SELECT json_agg(json_build_object('id', id, 'status', status, 'seen', contact_last_seen_at) ORDER BY id)
                 FROM conversations WHERE account_id = $1) AS conversations,
              (SELECT json_agg(json_build_object('id', id, 'attributes', content_attributes) ORDER BY id) FROM messages WHERE account_id = $1) AS messages,
              (SELECT count(*)::int FROM domain_events WHERE account_id = $1) AS events`,
      [admin.accountId],
    );
    return rows[0];
  }

  describe.each(ROUTES)('$name', (route) => {
    it('without identifier_hash: 401 identity_verification_required, nothing changed', async () => {
      const before = await state();
      const problem = expectProblem(
        await call(route, alice, undefined),
        401,
        'identity_verification_required',
      );
      expect(problem.detail).toContain('identifier_hash');
      expectProblem(await call(route, alice, ''), 401, 'identity_verification_required');
      expect(await state()).toEqual(before);
    });

    it('with a wrong hash: 401 identity_verification_failed, never a 500', async () => {
      const before = await state();
      for (const wrong of [
        '0'.repeat(64),
        'not-hex-at-all',
        hashOf(alice.identifier!).slice(0, 63),
        `${hashOf(alice.identifier!)}00`,
        identityHash('another inbox key', alice.identifier!),
        'é'.repeat(10),
      ]) {
        expectProblem(await call(route, alice, wrong), 401, 'identity_verification_failed');
      }
      expect(await state()).toEqual(before);
    });

    it("with the hash of another contact's identifier: 401 identity_verification_failed", async () => {
      const before = await state();
      expectProblem(
        await call(route, alice, hashOf(bob.identifier!)),
        401,
        'identity_verification_failed',
      );
      // And the other way round: Bob's source_id with Alice's hash.
      if (!route.path({ conversation, message }).includes('/conversations/')) {
        expectProblem(
          await call(route, bob, hashOf(alice.identifier!)),
          401,
          'identity_verification_failed',
        );
      }
      expect(await state()).toEqual(before);
    });

    it(`with the right hash: ${route.ok}`, async () => {
      const response = await call(route, alice, hashOf(alice.identifier!));
      expect({ status: response.status, body: response.body }).toMatchObject({ status: route.ok });
      // Hex is hex: the upper-case form of the right hash is the same hash.
      const upper = await call(
        { ...route, method: 'get', body: undefined, path: () => '', hashIn: 'query' },
        alice,
        hashOf(alice.identifier!).toUpperCase(),
      );
      expect(upper.status).toBe(200);
    });
  });

  describe('POST /contacts', () => {
    const create = (body: Record<string, unknown>) =>
      server.http.post(`${publicPath(inbox.identifier)}/contacts`).send(body);

    it('needs an identifier and its hash; wrong or foreign hashes are 401 and create nothing', async () => {
      const identifier = unique('carol');
      const count = async () =>
        (
          await db().query(`SELECT count(*)::int AS n FROM contacts WHERE account_id = $1`, [
            admin.accountId,
          ])
        ).rows[0].n;
      const before = await count();
      expectProblem(await create({ name: 'No identifier' }), 401, 'identity_verification_required');
      expectProblem(
        await create({ name: 'No identifier', identifier_hash: hashOf('x') }),
        401,
        'identity_verification_required',
      );
      expectProblem(await create({ identifier }), 401, 'identity_verification_required');
      expectProblem(
        await create({ identifier, identifier_hash: '' }),
        401,
        'identity_verification_required',
      );
      expectProblem(
        await create({ identifier, identifier_hash: 'f'.repeat(64) }),
        401,
        'identity_verification_failed',
      );
      expectProblem(
        await create({ identifier, identifier_hash: hashOf(alice.identifier!) }),
        401,
        'identity_verification_failed',
      );
      expect(await count()).toBe(before);

      const created = await create({
        identifier,
        identifier_hash: hashOf(identifier),
        name: 'Carol',
      }).expect(201);
      expect(created.body).toMatchObject({
        identifier,
        name: 'Carol',
        source_id: expect.any(String),
      });
      expect(await count()).toBe(before + 1);
      const { rows } = await db().query(
        `SELECT hmac_verified FROM contact_inboxes WHERE source_id = $1 AND inbox_id = $2`,
        [created.body.source_id, inbox.id],
      );
      expect(rows).toEqual([{ hmac_verified: true }]);
    });

    it("cannot take over an existing source_id with another identifier's valid hash", async () => {
      const before = await state();
      // Bob's identifier and a valid hash for it, but Alice's source_id: checked against Alice's stored identifier.
      const response = await create({
        source_id: alice.sourceId,
        identifier: bob.identifier,
        identifier_hash: hashOf(bob.identifier!),
      });
      expectProblem(response, 401, 'identity_verification_failed');
      expect(await state()).toEqual(before);
      // With Alice's own hash, her source_id identifies her.
      const again = await create({
        source_id: alice.sourceId,
        identifier_hash: hashOf(alice.identifier!),
      }).expect(201);
      expect(again.body).toMatchObject({ id: alice.id, source_id: alice.sourceId });
    });

    it('identifies an existing contact only by its verified identifier, never by email or phone', async () => {
      const identifier = unique('dave');
      const dave = await create({
        identifier,
        identifier_hash: hashOf(identifier),
        email: `${identifier}@example.test`,
      }).expect(201);
      const mallory = unique('mallory');
      // Same email, another (validly signed) identifier: must not become Dave.
      const response = await create({
        identifier: mallory,
        identifier_hash: hashOf(mallory),
        email: `${identifier}@example.test`,
      });
      expect(expectProblem(response, 409, 'contact_conflict')).toMatchObject({
        field: 'email',
        existing_id: dave.body.id,
      });
    });
  });

  it('the identifier cannot be changed through PATCH with the hash of the old one', async () => {
    const path = `${publicPath(inbox.identifier)}/contacts/${bob.sourceId}`;
    const response = await server.http
      .patch(path)
      .query({ identifier_hash: hashOf(bob.identifier!) })
      .send({ identifier: alice.identifier });
    expectProblem(response, 401, 'identity_verification_failed');
    const { rows } = await db().query(`SELECT identifier FROM contacts WHERE id = $1`, [bob.id]);
    expect(rows).toEqual([{ identifier: bob.identifier }]);
  });

  it('a contact without an identifier in a mandatory inbox is refused on every route, never a 500', async () => {
    // Made reachable in the inbox through the Application API, so it has no identifier.
    const created = await server.http
      .post(`${accountPath(admin)}/contacts`)
      .set('api_access_token', admin.token)
      .send({ name: 'No identifier', inbox_id: inbox.id, source_id: unique('plain') })
      .expect(201);
    const plain: TestContact = {
      id: created.body.payload.contact.id,
      sourceId: created.body.payload.contact_inbox.source_id,
      identifier: null,
    };
    for (const route of ROUTES.filter(
      (item) => !item.path({ conversation, message }).includes('/conversations/'),
    )) {
      expectProblem(await call(route, plain, undefined), 401, 'identity_verification_required');
      expectProblem(await call(route, plain, hashOf('')), 401, 'identity_verification_failed');
    }
  });

  it('turning validation on for an existing inbox applies at once to its existing contacts', async () => {
    const open = await createInbox(server.http, admin);
    const identifier = unique('erin');
    const erin = await createPublicContact(server.http, open, { identifier });
    const path = `${publicPath(open.identifier)}/contacts/${erin.sourceId}`;
    await server.http.get(path).expect(200);
    await server.http
      .patch(`${accountPath(admin)}/inboxes/${open.id}`)
      .set('api_access_token', admin.token)
      .send({ channel: { hmac_mandatory: true } })
      .expect(200);
    expectProblem(await server.http.get(path), 401, 'identity_verification_required');
    await server.http
      .get(path)
      .query({ identifier_hash: identityHash(open.hmacToken, identifier) })
      .expect(200);
  });

  describe("with hmac_scope contact_routes (new inboxes' default, as Chatwoot)", () => {
    let chatwoot: TestInbox;
    let carl: TestContact;
    let carlConversation: number;
    let carlMessage: number;
    const isContactRoute = (route: PublicRoute) => !route.path({ conversation, message });
    const carlPath = (route: PublicRoute) =>
      `${publicPath(chatwoot.identifier)}/contacts/${carl.sourceId}${route.path({
        conversation: carlConversation,
        message: carlMessage,
      })}`;
    const send = (route: PublicRoute, query: Record<string, string> = {}) => {
      const pending = server.http[route.method](carlPath(route)).query(query);
      return route.body ? pending.send(route.body) : pending;
    };

    beforeAll(async () => {
      chatwoot = await createInbox(server.http, admin, { hmac_mandatory: true });
      expect(chatwoot.body).toMatchObject({ hmac_mandatory: true, hmac_scope: 'contact_routes' });
      const identifier = unique('carl');
      // The contact is created (identified) with its hash, as Chatwoot's contract has it ...
      carl = await createPublicContact(server.http, chatwoot, {
        identifier,
        identifier_hash: identityHash(chatwoot.hmacToken, identifier),
      });
      // ... and the client sends no hash afterwards.
      const created = await server.http
        .post(`${publicPath(chatwoot.identifier)}/contacts/${carl.sourceId}/conversations`)
        .send({})
        .expect(201);
      carlConversation = created.body.id;
      const posted = await server.http
        .post(
          `${publicPath(chatwoot.identifier)}/contacts/${carl.sourceId}/conversations/${carlConversation}/messages`,
        )
        .send({ content: 'No hash needed' })
        .expect(201);
      carlMessage = posted.body.id;
    });

    it('conversation and message routes answer without identifier_hash', async () => {
      for (const route of ROUTES.filter((item) => !isContactRoute(item))) {
        const response = await send(route);
        expect({ route: route.name, status: response.status }).toEqual({
          route: route.name,
          status: route.ok,
        });
      }
    });

    it('contact routes still need the right identifier_hash', async () => {
      const hash = identityHash(chatwoot.hmacToken, carl.identifier!);
      for (const route of ROUTES.filter(isContactRoute).filter((item) => item.hashIn === 'query')) {
        expectProblem(await send(route), 401, 'identity_verification_required');
        expectProblem(
          await send(route, { identifier_hash: '0'.repeat(64) }),
          401,
          'identity_verification_failed',
        );
        const response = await send(route, { identifier_hash: hash });
        expect({ route: route.name, status: response.status }).toEqual({
          route: route.name,
          status: route.ok,
        });
      }
      expectProblem(
        await server.http.post(`${publicPath(chatwoot.identifier)}/contacts`).send({}),
        401,
        'identity_verification_required',
      );
    });

    it('switching the inbox to every_request applies at once; back again too', async () => {
      const messages = ROUTES.find((route) => route.name === 'GET messages')!;
      const scope = (hmac_scope: string) =>
        server.http
          .patch(`${accountPath(admin)}/inboxes/${chatwoot.id}`)
          .set('api_access_token', admin.token)
          .send({ channel: { hmac_scope } })
          .expect(200);
      expect((await scope('every_request')).body.hmac_scope).toBe('every_request');
      expectProblem(await send(messages), 401, 'identity_verification_required');
      await send(messages, {
        identifier_hash: identityHash(chatwoot.hmacToken, carl.identifier!),
      }).expect(200);
      expect((await scope('contact_routes')).body.hmac_scope).toBe('contact_routes');
      await send(messages).expect(200);
      expectProblem(
        await server.http
          .patch(`${accountPath(admin)}/inboxes/${chatwoot.id}`)
          .set('api_access_token', admin.token)
          .send({ channel: { hmac_scope: 'sometimes' } }),
        422,
        'validation_failed',
      );
    });
  });

  describe('on an inbox without mandatory validation', () => {
    let open: TestInbox;
    beforeAll(async () => {
      open = await createInbox(server.http, admin);
    });
    const create = (body: Record<string, unknown>) =>
      server.http.post(`${publicPath(open.identifier)}/contacts`).send(body);

    it('a valid identifier_hash on create marks the contact inbox hmac_verified', async () => {
      const identifier = unique('frank');
      const created = await create({
        identifier,
        identifier_hash: identityHash(open.hmacToken, identifier),
      }).expect(201);
      const { rows } = await db().query(
        `SELECT hmac_verified FROM contact_inboxes WHERE source_id = $1 AND inbox_id = $2`,
        [created.body.source_id, open.id],
      );
      expect(rows).toEqual([{ hmac_verified: true }]);
      // The Application API shows it on the conversation.
      const conversationId = (
        await server.http
          .post(`${publicPath(open.identifier)}/contacts/${created.body.source_id}/conversations`)
          .send({})
          .expect(201)
      ).body.id;
      const shown = await server.http
        .get(`${accountPath(admin)}/conversations/${conversationId}`)
        .set('api_access_token', admin.token)
        .expect(200);
      expect(shown.body.meta.hmac_verified).toBe(true);
    });

    it('without a hash the contact is created unverified; routes need no hash', async () => {
      const identifier = unique('gina');
      const created = await create({ identifier }).expect(201);
      const { rows } = await db().query(
        `SELECT hmac_verified FROM contact_inboxes WHERE source_id = $1`,
        [created.body.source_id],
      );
      expect(rows).toEqual([{ hmac_verified: false }]);
      await server.http
        .get(`${publicPath(open.identifier)}/contacts/${created.body.source_id}`)
        .expect(200);
    });

    it('an invalid identifier_hash on create is 401 and creates nothing', async () => {
      const identifier = unique('hank');
      const before = (
        await db().query(`SELECT count(*)::int AS n FROM contacts WHERE account_id = $1`, [
          admin.accountId,
        ])
      ).rows[0].n;
      expectProblem(
        await create({ identifier, identifier_hash: 'a'.repeat(64) }),
        401,
        'identity_verification_failed',
      );
      expectProblem(
        await create({ identifier, identifier_hash: hashOf(identifier) }),
        401,
        'identity_verification_failed',
      );
      expectProblem(
        await create({ name: 'No identifier', identifier_hash: identityHash(open.hmacToken, '') }),
        401,
        'identity_verification_failed',
      );
      const after = (
        await db().query(`SELECT count(*)::int AS n FROM contacts WHERE account_id = $1`, [
          admin.accountId,
        ])
      ).rows[0].n;
      expect(after).toBe(before);
      const identified = await db().query(
        `SELECT count(*)::int AS n FROM contacts WHERE identifier = $1`,
        [identifier],
      );
      expect(identified.rows).toEqual([{ n: 0 }]);
    });
  });
});
