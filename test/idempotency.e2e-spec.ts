import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import {
  accountPath,
  createInbox,
  publicPath,
  seedConversation,
  unique,
} from './support/api-channel.js';
import type { TestContact, TestInbox } from './support/api-channel.js';
import { closeTestDatabase, testDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { createAccount, createAgent } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { expectInvalidFields, expectProblem } from './support/problems.js';
import { startServerProcess } from './support/server-process.js';
import { startServer, TestServer } from './support/server.js';

const REPLAYED = 'idempotent-replayed';

describe('idempotency', () => {
  let server: TestServer;
  let admin: TestAccount;
  let inbox: TestInbox;
  let contact: TestContact;
  let conversationId: number;
  let internalId: number;

  const db = () => testDatabase();
  const messagesPath = () => `${accountPath(admin)}/conversations/${conversationId}/messages`;
  const publicMessagesPath = () =>
    `${publicPath(inbox.identifier)}/contacts/${contact.sourceId}/conversations/${conversationId}/messages`;

  async function count(sql: string, params: unknown[]): Promise<number> {
    const { rows } = await db().query(`SELECT count(*)::int AS n FROM ${sql}`, params);
    return rows[0].n;
  }
  const messageCount = () => count('messages WHERE conversation_id = $1', [internalId]);

  /** Asserts `replay` is the stored first answer, replayed. */
  function expectReplay(first: Response, replay: Response): void {
    expect(first.headers[REPLAYED]).toBeUndefined();
    expect(replay.headers[REPLAYED]).toBe('true');
    expect(replay.status).toBe(first.status);
    expect(replay.body).toEqual(first.body);
    expect(replay.text).toBe(first.text);
  }

  beforeAll(async () => {
    server = await startServer();
    admin = await createAccount('Retries');
    const seeded = await seedConversation(server.http, admin);
    inbox = seeded.inbox;
    contact = seeded.contact;
    conversationId = seeded.conversationId;
    const { rows } = await db().query(
      `SELECT id FROM conversations WHERE account_id = $1 AND display_id = $2`,
      [admin.accountId, conversationId],
    );
    internalId = rows[0].id;
  });
  afterAll(async () => {
    await server?.stop();
    await closeTestDatabase();
  });

  describe('Application API message create', () => {
    it('replays the first answer (same status, body, and Idempotent-Replayed: true) and creates once', async () => {
      const key = randomUUID();
      const before = await messageCount();
      const send = () =>
        server.http
          .post(messagesPath())
          .set('api_access_token', admin.token)
          .set('Idempotency-Key', key)
          .send({ content: 'Once only' });
      const first = await send();
      expect(first.status).toBe(201);
      const replay = await send();
      expectReplay(first, replay);
      expect(await messageCount()).toBe(before + 1);
      // Also once in the event outbox.
      expect(
        await count(
          `domain_events WHERE conversation_id = $1 AND name = 'message_created' AND payload->>'id' = $2`,
          [internalId, String(first.body.id)],
        ),
      ).toBe(1);
      // Kept for 24 hours.
      const { rows } = await db().query(
        `SELECT extract(epoch FROM expires_at - now()) / 3600 AS hours, response_status FROM idempotency_keys WHERE key = $1`,
        [key],
      );
      expect(rows).toHaveLength(1);
      expect(Number(rows[0].hours)).toBeGreaterThan(23.9);
      expect(Number(rows[0].hours)).toBeLessThanOrEqual(24);
      expect(rows[0].response_status).toBe(201);
    });

    it('answers 422 idempotency_key_reused for the same key with another body or path, and creates nothing', async () => {
      const key = randomUUID();
      await server.http
        .post(messagesPath())
        .set('api_access_token', admin.token)
        .set('Idempotency-Key', key)
        .send({ content: 'A' })
        .expect(201);
      const before = await messageCount();
      const otherBody = await server.http
        .post(messagesPath())
        .set('api_access_token', admin.token)
        .set('Idempotency-Key', key)
        .send({ content: 'B' });
      expectProblem(otherBody, 422, 'idempotency_key_reused');
      const otherPath = await server.http
        .post(`${accountPath(admin)}/contacts`)
        .set('api_access_token', admin.token)
        .set('Idempotency-Key', key)
        .send({ content: 'A' });
      expectProblem(otherPath, 422, 'idempotency_key_reused');
      expect(await messageCount()).toBe(before);
    });

    it('keys belong to the credential: the same key from another token is a new request', async () => {
      const key = randomUUID();
      const agent = await createAgent(server.http, admin, 'administrator');
      const before = await messageCount();
      const mine = await server.http
        .post(messagesPath())
        .set('api_access_token', admin.token)
        .set('Idempotency-Key', key)
        .send({ content: 'Hi' });
      const theirs = await server.http
        .post(messagesPath())
        .set('api_access_token', agent.token)
        .set('Idempotency-Key', key)
        .send({ content: 'Hi' });
      expect([mine.status, theirs.status]).toEqual([201, 201]);
      expect(theirs.headers[REPLAYED]).toBeUndefined();
      expect(theirs.body.id).not.toBe(mine.body.id);
      expect(await messageCount()).toBe(before + 2);
    });

    it('20 parallel posts with one key create exactly one message; the others replay it or are 409 in flight', async () => {
      const key = randomUUID();
      const before = await messageCount();
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          server.http
            .post(messagesPath())
            .set('api_access_token', admin.token)
            .set('Idempotency-Key', key)
            .send({ content: 'Parallel' }),
        ),
      );
      expect(await messageCount()).toBe(before + 1);
      const created = responses.filter((response) => response.status === 201);
      const inFlight = responses.filter((response) => response.status === 409);
      expect(created.length + inFlight.length).toBe(20);
      expect(created.filter((response) => response.headers[REPLAYED] === undefined)).toHaveLength(
        1,
      );
      expect(new Set(created.map((response) => response.body.id)).size).toBe(1);
      for (const response of inFlight) expectProblem(response, 409, 'idempotency_key_in_flight');
      // Once the first finished, a retry gets its answer.
      const retry = await server.http
        .post(messagesPath())
        .set('api_access_token', admin.token)
        .set('Idempotency-Key', key)
        .send({ content: 'Parallel' })
        .expect(201);
      expect(retry.headers[REPLAYED]).toBe('true');
      expect(retry.body.id).toBe(created[0].body.id);
    });

    it('a request that failed (422) releases its key: the fixed retry with the same key succeeds', async () => {
      const key = randomUUID();
      const before = await messageCount();
      const bad = await server.http
        .post(messagesPath())
        .set('api_access_token', admin.token)
        .set('Idempotency-Key', key)
        .send({ content: 'x'.repeat(150_001) });
      expectInvalidFields(bad, ['content']);
      expect(await count('idempotency_keys WHERE key = $1', [key])).toBe(0);
      const fixed = await server.http
        .post(messagesPath())
        .set('api_access_token', admin.token)
        .set('Idempotency-Key', key)
        .send({ content: 'Fixed' });
      expect(fixed.status).toBe(201);
      expect(fixed.headers[REPLAYED]).toBeUndefined();
      expect(await messageCount()).toBe(before + 1);
    });

    it('rejects malformed keys with 400 invalid_idempotency_key and creates nothing', async () => {
      const before = await messageCount();
      for (const key of ['x'.repeat(256), 'has space', '']) {
        const response = await server.http
          .post(messagesPath())
          .set('api_access_token', admin.token)
          .set('Idempotency-Key', key)
          .send({ content: 'Bad key' });
        expectProblem(response, 400, 'invalid_idempotency_key');
      }
      expect(await messageCount()).toBe(before);
    });

    it('replays a 200 action with its own status', async () => {
      const key = randomUUID();
      const send = () =>
        server.http
          .post(`${accountPath(admin)}/conversations/${conversationId}/toggle_priority`)
          .set('api_access_token', admin.token)
          .set('Idempotency-Key', key)
          .send({ priority: 'high' });
      const first = await send();
      expect(first.status).toBe(200);
      expectReplay(first, await send());
    });
  });

  describe('after a failure past the commit', () => {
    // A lock timeout of 1 s: a key whose request stopped answering counts as abandoned quickly.
    let quick: TestServer;
    const content = (text: string) => ({ content: `${text} ${randomUUID()}` });

    beforeAll(async () => {
      quick = await startServer({ IDEMPOTENCY_LOCK_TIMEOUT_MS: '1000' });
    });
    afterAll(async () => {
      await quick?.stop();
    });

    /** Posts until the key is no longer in flight (at most a few lock timeouts), as a client would. */
    async function untilNotInFlight(send: () => Promise<Response>): Promise<Response> {
      return eventually(
        async () => {
          const response = await send();
          expect(response.body?.code).not.toBe('idempotency_key_in_flight');
          return response;
        },
        { timeoutMs: 20_000, intervalMs: 200 },
      );
    }

    async function keyState(key: string) {
      const { rows } = await db().query(
        `SELECT locked_at, applied_at IS NOT NULL AS applied, completed_at IS NOT NULL AS answered
           FROM idempotency_keys WHERE key = $1`,
        [key],
      );
      return rows as { locked_at: Date; applied: boolean; answered: boolean }[];
    }

    it('a crash right after the commit, before the answer is stored: the retry (after the lock timeout) creates nothing and answers 409 idempotency_key_answer_lost', async () => {
      const key = randomUUID();
      const body = content('Crash after commit');
      const before = await messageCount();
      const crashing = await startServerProcess({ FAULT_INJECTION: 'crash_after_commit' });
      try {
        const outcome = await crashing.http
          .post(messagesPath())
          .set('api_access_token', admin.token)
          .set('Idempotency-Key', key)
          .send(body)
          .then((response) => response.status)
          .catch(() => 'failed' as const);
        expect(outcome).toBe('failed');
        await eventually(() => expect(crashing.process.signalCode).toBe('SIGKILL'));
      } finally {
        await crashing.stop('SIGKILL');
      }
      // Committed, never answered: the key, held by a process that no longer exists, was marked
      // applied by the same transaction.
      expect(await messageCount()).toBe(before + 1);
      expect(await keyState(key)).toEqual([
        { locked_at: expect.any(Date), applied: true, answered: false },
      ]);

      const retry = () =>
        quick.http
          .post(messagesPath())
          .set('api_access_token', admin.token)
          .set('Idempotency-Key', key)
          .send(body);
      const lost = await untilNotInFlight(retry);
      const problem = expectProblem(lost, 409, 'idempotency_key_answer_lost');
      expect(problem.detail).toMatch(/applied/);
      expect(new Date(problem.applied_at as string).getTime()).not.toBeNaN();
      expect(await messageCount()).toBe(before + 1);
      // The same on every later retry; another request with the key is still 422.
      expectProblem(await retry(), 409, 'idempotency_key_answer_lost');
      const other = await quick.http
        .post(messagesPath())
        .set('api_access_token', admin.token)
        .set('Idempotency-Key', key)
        .send(content('Another'));
      expectProblem(other, 422, 'idempotency_key_reused');
      expect(await messageCount()).toBe(before + 1);
    });

    it('an error after the commit (here storing the answer fails) keeps the key: the retry creates nothing and answers 409 idempotency_key_answer_lost at once', async () => {
      // The answer's UPDATE fails for these keys only, as it would in a database outage.
      const key = `refuse-answer-${randomUUID()}`;
      await db().query(
        `CREATE OR REPLACE FUNCTION test_refuse_answer() RETURNS trigger LANGUAGE plpgsql
           AS $$ BEGIN RAISE EXCEPTION 'answer refused by the test'; END $$`,
      );
      await db().query(
        `CREATE OR REPLACE TRIGGER test_refuse_answer BEFORE UPDATE ON idempotency_keys FOR EACH ROW
           WHEN (NEW.completed_at IS NOT NULL AND NEW.key LIKE 'refuse-answer-%')
           EXECUTE FUNCTION test_refuse_answer()`,
      );
      try {
        const body = content('Answer refused');
        const before = await messageCount();
        const send = () =>
          server.http
            .post(messagesPath())
            .set('api_access_token', admin.token)
            .set('Idempotency-Key', key)
            .send(body);
        const first = await send();
        expect(first.status).toBe(500);
        expect(await messageCount()).toBe(before + 1);
        // The failed request no longer holds the key: no need to wait for the lock timeout.
        expectProblem(await send(), 409, 'idempotency_key_answer_lost');
        expect(await messageCount()).toBe(before + 1);
      } finally {
        await db().query(`DROP TRIGGER IF EXISTS test_refuse_answer ON idempotency_keys`);
        await db().query(`DROP FUNCTION IF EXISTS test_refuse_answer()`);
      }
    });

    it('a request that took over an abandoned key is the only one applied, even when the first wakes up and commits', async () => {
      const key = randomUUID();
      const body = { content: `held ${randomUUID()}` };
      // Inserting this message waits for an advisory lock the test holds: the first request
      // stalls inside its transaction, after claiming the key.
      await db().query(
        `CREATE OR REPLACE FUNCTION test_hold_message() RETURNS trigger LANGUAGE plpgsql
           AS $$ BEGIN PERFORM pg_advisory_xact_lock(hashtext(NEW.content)); RETURN NEW; END $$`,
      );
      await db().query(
        `CREATE OR REPLACE TRIGGER test_hold_message BEFORE INSERT ON messages FOR EACH ROW
           WHEN (NEW.content LIKE 'held %') EXECUTE FUNCTION test_hold_message()`,
      );
      const holder = await db().connect();
      try {
        await holder.query('SELECT pg_advisory_lock(hashtext($1))', [body.content]);
        const before = await messageCount();
        const send = () =>
          quick.http
            .post(messagesPath())
            .set('api_access_token', admin.token)
            .set('Idempotency-Key', key)
            .send(body)
            .then((response) => response);
        const first = send();
        // Claimed, then silent for longer than the lock timeout: abandoned.
        const claimed = await eventually(
          async () => {
            const { rows } = await db().query(
              `SELECT locked_at FROM idempotency_keys
                WHERE key = $1 AND locked_at < now() - interval '1.2 seconds'`,
              [key],
            );
            expect(rows).toHaveLength(1);
            return rows[0].locked_at as Date;
          },
          { timeoutMs: 20_000, intervalMs: 100 },
        );
        const second = send();
        await eventually(
          async () => {
            const [row] = await keyState(key);
            expect(row.locked_at.getTime()).toBeGreaterThan(claimed.getTime());
          },
          { timeoutMs: 20_000, intervalMs: 100 },
        );
        // The second took the key over; now let both run to their commit.
        await holder.query('SELECT pg_advisory_unlock(hashtext($1))', [body.content]);
        const [a, b] = await Promise.all([first, second]);
        expectProblem(a, 409, 'idempotency_key_in_flight');
        expect(b.status).toBe(201);
        expect(b.headers[REPLAYED]).toBeUndefined();
        expect(await messageCount()).toBe(before + 1);
        const replay = await send();
        expectReplay(b, replay);
      } finally {
        await holder.query('SELECT pg_advisory_unlock_all()');
        holder.release();
        await db().query(`DROP TRIGGER IF EXISTS test_hold_message ON messages`);
        await db().query(`DROP FUNCTION IF EXISTS test_hold_message()`);
      }
    });
  });

  describe('message source_id', () => {
    it('re-posting a source_id returns the existing message, on the Client API and the Application API', async () => {
      const sourceId = unique('wamid');
      const before = await messageCount();
      const first = await server.http
        .post(publicMessagesPath())
        .send({ content: 'From WhatsApp', source_id: sourceId })
        .expect(201);
      const again = await server.http
        .post(publicMessagesPath())
        .send({ content: 'From WhatsApp', source_id: sourceId })
        .expect(201);
      expect(again.body).toEqual(first.body);
      const app = await server.http
        .post(messagesPath())
        .set('api_access_token', admin.token)
        .send({ content: 'From WhatsApp', source_id: sourceId, message_type: 'incoming' })
        .expect(201);
      expect(app.body.id).toBe(first.body.id);
      expect(await messageCount()).toBe(before + 1);
      expect(
        await count(`domain_events WHERE name = 'message_created' AND payload->>'id' = $1`, [
          String(first.body.id),
        ]),
      ).toBe(1);
    });

    it('20 parallel public posts with one source_id create exactly one message', async () => {
      const sourceId = unique('race');
      const before = await messageCount();
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          server.http.post(publicMessagesPath()).send({ content: 'Racing', source_id: sourceId }),
        ),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
      expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
      expect(await messageCount()).toBe(before + 1);
      expect(
        await count('messages WHERE inbox_id = $1 AND source_id = $2', [inbox.id, sourceId]),
      ).toBe(1);
    });

    it('20 parallel public posts with one Idempotency-Key create exactly one message', async () => {
      const key = randomUUID();
      const before = await messageCount();
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          server.http
            .post(publicMessagesPath())
            .set('Idempotency-Key', key)
            .send({ content: 'Keyed race' }),
        ),
      );
      expect(await messageCount()).toBe(before + 1);
      const created = responses.filter((response) => response.status === 201);
      expect(created.length + responses.filter((response) => response.status === 409).length).toBe(
        20,
      );
      expect(new Set(created.map((response) => response.body.id)).size).toBe(1);
    });

    it('a source_id used in another conversation of the inbox is a 409 naming it', async () => {
      const sourceId = unique('taken');
      await server.http
        .post(publicMessagesPath())
        .send({ content: 'First', source_id: sourceId })
        .expect(201);
      const other = await server.http
        .post(`${publicPath(inbox.identifier)}/contacts/${contact.sourceId}/conversations`)
        .send({})
        .expect(201);
      const response = await server.http
        .post(
          `${publicPath(inbox.identifier)}/contacts/${contact.sourceId}/conversations/${other.body.id}/messages`,
        )
        .send({ content: 'Second', source_id: sourceId });
      expect(expectProblem(response, 409, 'source_id_taken').conversation_id).toBe(conversationId);
      expect(
        await count('messages WHERE inbox_id = $1 AND source_id = $2', [inbox.id, sourceId]),
      ).toBe(1);
    });

    it('the same source_id in another inbox is another message', async () => {
      const sourceId = unique('shared');
      const elsewhere = await seedConversation(server.http, admin);
      await server.http
        .post(publicMessagesPath())
        .send({ content: 'Here', source_id: sourceId })
        .expect(201);
      await server.http
        .post(
          `${publicPath(elsewhere.inbox.identifier)}/contacts/${elsewhere.contact.sourceId}/conversations/${elsewhere.conversationId}/messages`,
        )
        .send({ content: 'There', source_id: sourceId })
        .expect(201);
      expect(await count('messages WHERE source_id = $1', [sourceId])).toBe(2);
    });
  });

  describe('other creates', () => {
    it('Application API conversation create replays and opens one conversation', async () => {
      const key = randomUUID();
      const before = await count('conversations WHERE account_id = $1', [admin.accountId]);
      const send = () =>
        server.http
          .post(`${accountPath(admin)}/conversations`)
          .set('api_access_token', admin.token)
          .set('Idempotency-Key', key)
          .send({
            inbox_id: inbox.id,
            source_id: contact.sourceId,
            message: { content: 'We opened this for you' },
          });
      const first = await send();
      expect(first.status).toBe(201);
      expect(first.body.messages).toEqual([
        expect.objectContaining({ content: 'We opened this for you', message_type: 1 }),
      ]);
      expectReplay(first, await send());
      expect(await count('conversations WHERE account_id = $1', [admin.accountId])).toBe(
        before + 1,
      );
      // Without the key, the same request opens another.
      await server.http
        .post(`${accountPath(admin)}/conversations`)
        .set('api_access_token', admin.token)
        .send({ inbox_id: inbox.id, source_id: contact.sourceId })
        .expect(201);
      expect(await count('conversations WHERE account_id = $1', [admin.accountId])).toBe(
        before + 2,
      );
    });

    it('Application API contact create replays instead of answering 409 to the retry', async () => {
      const key = randomUUID();
      const email = `${unique('ida')}@example.test`;
      const send = () =>
        server.http
          .post(`${accountPath(admin)}/contacts`)
          .set('api_access_token', admin.token)
          .set('Idempotency-Key', key)
          .send({ name: 'Ida', email, inbox_id: inbox.id });
      const first = await send();
      expect(first.status).toBe(201);
      expect(first.body.payload.contact).toMatchObject({ name: 'Ida', email });
      expect(first.body.payload.contact_inbox).toMatchObject({
        source_id: expect.any(String),
        inbox: { id: inbox.id },
      });
      expectReplay(first, await send());
      expect(await count('contacts WHERE email = $1', [email])).toBe(1);
      expect(
        await count('contact_inboxes WHERE contact_id = $1', [first.body.payload.contact.id]),
      ).toBe(1);
      // A new key is a new request: now it conflicts with the contact the first one created.
      const conflict = await server.http
        .post(`${accountPath(admin)}/contacts`)
        .set('api_access_token', admin.token)
        .set('Idempotency-Key', randomUUID())
        .send({ name: 'Ida', email, inbox_id: inbox.id });
      expect(expectProblem(conflict, 409, 'contact_conflict')).toMatchObject({
        field: 'email',
        existing_id: first.body.payload.contact.id,
      });
    });

    it('a 409 conflict releases the key as well, so the fixed request with the same key succeeds', async () => {
      const key = randomUUID();
      const email = `${unique('jo')}@example.test`;
      await server.http
        .post(`${accountPath(admin)}/contacts`)
        .set('api_access_token', admin.token)
        .send({ email })
        .expect(201);
      const send = (body: Record<string, unknown>) =>
        server.http
          .post(`${accountPath(admin)}/contacts`)
          .set('api_access_token', admin.token)
          .set('Idempotency-Key', key)
          .send(body);
      expectProblem(await send({ email }), 409, 'contact_conflict');
      // Thrown inside the transaction: it rolled back, and the key's applied mark with it.
      expect(await count('idempotency_keys WHERE key = $1', [key])).toBe(0);
      const fixed = await send({ email: `other-${email}` });
      expect(fixed.status).toBe(201);
      expect(fixed.headers[REPLAYED]).toBeUndefined();
    });

    it('Client API contact and conversation creates replay', async () => {
      const key = randomUUID();
      const identifier = unique('kim');
      const sendContact = () =>
        server.http
          .post(`${publicPath(inbox.identifier)}/contacts`)
          .set('Idempotency-Key', key)
          .send({ identifier });
      const first = await sendContact();
      expect(first.status).toBe(201);
      expectReplay(first, await sendContact());
      expect(await count('contact_inboxes WHERE source_id = $1', [first.body.source_id])).toBe(1);
      expect(await count('contacts WHERE identifier = $1', [identifier])).toBe(1);

      const conversationKey = randomUUID();
      const path = `${publicPath(inbox.identifier)}/contacts/${first.body.source_id}/conversations`;
      const open = () => server.http.post(path).set('Idempotency-Key', conversationKey).send({});
      const opened = await open();
      expect(opened.status).toBe(201);
      expectReplay(opened, await open());
      expect(
        await count(
          'conversations c JOIN contact_inboxes ci ON ci.id = c.contact_inbox_id WHERE ci.source_id = $1',
          [first.body.source_id],
        ),
      ).toBe(1);
    });

    it('Client API keys are scoped to the contact: the same key for two contacts is two requests', async () => {
      const key = randomUUID();
      const other = await server.http
        .post(`${publicPath(inbox.identifier)}/contacts`)
        .send({ name: 'Lee' })
        .expect(201);
      const mine = await server.http
        .post(`${publicPath(inbox.identifier)}/contacts/${contact.sourceId}/conversations`)
        .set('Idempotency-Key', key)
        .send({});
      const theirs = await server.http
        .post(`${publicPath(inbox.identifier)}/contacts/${other.body.source_id}/conversations`)
        .set('Idempotency-Key', key)
        .send({});
      expect([mine.status, theirs.status]).toEqual([201, 201]);
      expect(theirs.headers[REPLAYED]).toBeUndefined();
      expect(theirs.body.id).not.toBe(mine.body.id);
    });

    it('Application API inbox create replays', async () => {
      const key = randomUUID();
      const name = unique('Keyed inbox');
      const send = () =>
        server.http
          .post(`${accountPath(admin)}/inboxes`)
          .set('api_access_token', admin.token)
          .set('Idempotency-Key', key)
          .send({ name, channel: { type: 'api' } });
      const first = await send();
      expect(first.status).toBe(201);
      expectReplay(first, await send());
      expect(await count('inboxes WHERE name = $1', [name])).toBe(1);
    });
  });

  describe('concurrent duplicates without a key', () => {
    it('10 parallel identifies of one identifier make one contact', async () => {
      const identifier = unique('burst');
      const responses = await Promise.all(
        Array.from({ length: 10 }, () =>
          server.http
            .post(`${publicPath(inbox.identifier)}/contacts`)
            .send({ identifier, name: 'Burst' }),
        ),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(10).fill(201));
      expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
      expect(
        await count('contacts WHERE account_id = $1 AND identifier = $2', [
          admin.accountId,
          identifier,
        ]),
      ).toBe(1);
      expect(
        await count(`domain_events WHERE name = 'contact_created' AND stream = $1`, [
          `contact:${responses[0].body.id}`,
        ]),
      ).toBe(1);
    });

    it('20 parallel conversation creates get distinct, consecutive display ids', async () => {
      const account = await createAccount('Display ids');
      const seeded = await seedConversation(server.http, account);
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          server.http
            .post(`${accountPath(account)}/conversations`)
            .set('api_access_token', account.token)
            .send({ inbox_id: seeded.inbox.id, source_id: seeded.contact.sourceId }),
        ),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
      const ids = responses.map((response) => response.body.id as number).sort((a, b) => a - b);
      expect(ids).toEqual(
        Array.from({ length: 20 }, (_, index) => seeded.conversationId + 1 + index),
      );
    });

    it('20 parallel status changes and 20 parallel assignments all succeed (writers never starve the pool)', async () => {
      const account = await createAccount('Busy');
      const seeded = await seedConversation(server.http, account);
      const ids = [seeded.conversationId];
      for (let index = 1; index < 20; index++) {
        const created = await server.http
          .post(`${accountPath(account)}/conversations`)
          .set('api_access_token', account.token)
          .send({ inbox_id: seeded.inbox.id, source_id: seeded.contact.sourceId })
          .expect(201);
        ids.push(created.body.id);
      }
      const resolved = await Promise.all(
        ids.map((id) =>
          server.http
            .post(`${accountPath(account)}/conversations/${id}/toggle_status`)
            .set('api_access_token', account.token)
            .send({ status: 'resolved' }),
        ),
      );
      expect(resolved.map((response) => response.status)).toEqual(Array(20).fill(200));
      const assigned = await Promise.all(
        ids.map((id) =>
          server.http
            .post(`${accountPath(account)}/conversations/${id}/assignments`)
            .set('api_access_token', account.token)
            .send({ assignee_id: account.userId }),
        ),
      );
      expect(assigned.map((response) => response.status)).toEqual(Array(20).fill(200));
      const { rows } = await db().query(
        `SELECT count(*) FILTER (WHERE status = 'resolved' AND assignee_id = $2)::int AS done FROM conversations WHERE account_id = $1`,
        [account.accountId, account.userId],
      );
      expect(rows).toEqual([{ done: 20 }]);
    });

    it('with lock_to_single_conversation, 10 parallel public creates share one open conversation', async () => {
      const locked = await createInbox(
        server.http,
        admin,
        {},
        { lock_to_single_conversation: true },
      );
      const person = await server.http
        .post(`${publicPath(locked.identifier)}/contacts`)
        .send({ name: 'Once' })
        .expect(201);
      const path = `${publicPath(locked.identifier)}/contacts/${person.body.source_id}/conversations`;
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => server.http.post(path).send({})),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(10).fill(201));
      expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
      expect(await count('conversations WHERE inbox_id = $1', [locked.id])).toBe(1);
      // Once resolved, the next create opens a new one.
      await server.http.post(`${path}/${responses[0].body.id}/toggle_status`).send({}).expect(200);
      const next = await server.http.post(path).send({}).expect(201);
      expect(next.body.id).not.toBe(responses[0].body.id);
    });
  });

  it('never stores an answer for another inbox under the same key', async () => {
    // The same key and body on two inboxes' Client API are two scopes.
    const key = randomUUID();
    const second = await createInbox(server.http, admin);
    const a = await server.http
      .post(`${publicPath(inbox.identifier)}/contacts`)
      .set('Idempotency-Key', key)
      .send({ name: 'Same' });
    const b = await server.http
      .post(`${publicPath(second.identifier)}/contacts`)
      .set('Idempotency-Key', key)
      .send({ name: 'Same' });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.headers[REPLAYED]).toBeUndefined();
    expect(b.body.source_id).not.toBe(a.body.source_id);
  });
});
