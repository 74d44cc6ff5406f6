import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import {
  createInbox,
  createPublicContact,
  createPublicConversation,
  publicPath,
  unique,
} from './support/api-channel.js';
import type { TestContact, TestInbox } from './support/api-channel.js';
import { closeTestDatabase, testDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { createAccount } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { expectProblem } from './support/problems.js';
import { startServer, TestServer } from './support/server.js';

/**
 * Group commit on the message path (UnitOfWork lanes): concurrent creates share transactions,
 * and still every guarantee of a message alone holds: a 2xx is committed, a failing member fails
 * alone with its own error, one conversation's messages keep exact, gap-free sequences, and
 * Idempotency-Key and source_id stay exactly-once.
 */
describe('Group commit of concurrent messages', () => {
  let server: TestServer;
  let admin: TestAccount;
  let inbox: TestInbox;

  const db = () => testDatabase();

  interface Conversation {
    contact: TestContact;
    displayId: number;
    id: number;
  }

  async function openConversation(): Promise<Conversation> {
    const contact = await createPublicContact(server.http, inbox, { name: unique('Contact') });
    const displayId = await createPublicConversation(server.http, inbox, contact);
    const { rows } = await db().query(
      `SELECT id FROM conversations WHERE account_id = $1 AND display_id = $2`,
      [admin.accountId, displayId],
    );
    return { contact, displayId, id: rows[0].id };
  }

  const post = (
    conversation: Conversation,
    body: Record<string, unknown>,
    key?: string,
  ): Promise<Response> => {
    const request = server.http
      .post(
        `${publicPath(inbox.identifier)}/contacts/${encodeURIComponent(conversation.contact.sourceId)}/conversations/${conversation.displayId}/messages`,
      )
      .send(body);
    return (key ? request.set('Idempotency-Key', key) : request).then((response) => response);
  };

  /** Each message_created event of the conversation: its transaction, sequence and message. */
  async function messageEvents(conversation: Conversation) {
    const { rows } = await db().query(
      `SELECT tx_id::text AS tx_id, sequence, (payload->>'id')::bigint AS message_id
         FROM domain_events WHERE name = 'message_created' AND conversation_id = $1
        ORDER BY sequence`,
      [conversation.id],
    );
    return rows as { tx_id: string; sequence: number; message_id: string }[];
  }

  /** The conversation's whole stream: sequences 1..n without a gap or a repeat. */
  async function expectGapFreeStream(conversation: Conversation) {
    const { rows } = await db().query(
      `SELECT sequence FROM domain_events WHERE stream = $1 ORDER BY sequence`,
      [`conversation:${conversation.id}`],
    );
    const sequences = rows.map((row) => row.sequence);
    expect(sequences).toEqual(sequences.map((_, index) => index + 1));
    const [{ last_sequence }] = (
      await db().query(`SELECT last_sequence FROM event_streams WHERE stream = $1`, [
        `conversation:${conversation.id}`,
      ])
    ).rows;
    expect(last_sequence).toBe(sequences.length);
  }

  beforeAll(async () => {
    // Inserting a message whose content starts 'group held ' waits for an advisory lock (see
    // behindABusyLane).
    await testDatabase().query(
      `CREATE OR REPLACE FUNCTION test_hold_group() RETURNS trigger LANGUAGE plpgsql
         AS $$ BEGIN PERFORM pg_advisory_xact_lock(hashtext(NEW.content)); RETURN NEW; END $$`,
    );
    await testDatabase().query(
      `CREATE OR REPLACE TRIGGER test_hold_group BEFORE INSERT ON messages FOR EACH ROW
         WHEN (NEW.content LIKE 'group held %') EXECUTE FUNCTION test_hold_group()`,
    );
    // One lane: every message queues behind the one running, so batches form for certain.
    server = await startServer({ WRITE_LANES: '1', WRITE_BATCH_MAX: '32' });
    admin = await createAccount('Group commit');
    inbox = await createInbox(server.http, admin, {}, { allow_messages_after_resolved: false });
  });
  afterAll(async () => {
    await testDatabase().query(`DROP TRIGGER IF EXISTS test_hold_group ON messages`);
    await testDatabase().query(`DROP FUNCTION IF EXISTS test_hold_group()`);
    await server?.stop();
    await closeTestDatabase();
  });

  /**
   * Posts `requests` while the lane is busy: a first message (into `held`) waits inside its
   * transaction for an advisory lock the test holds, so every request queues behind it; then
   * lets it go and answers each request's response by name.
   */
  async function behindABusyLane(
    held: Conversation,
    requests: {
      what: string;
      conversation: Conversation;
      body: Record<string, unknown>;
      key?: string;
    }[],
  ): Promise<Map<string, Response>> {
    const holdContent = `group held ${randomUUID()}`;
    const holder = await db().connect();
    try {
      await holder.query('SELECT pg_advisory_lock(hashtext($1))', [holdContent]);
      const first = post(held, { content: holdContent });
      await eventually(
        async () => {
          const { rows } = await db().query(
            `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
                AND objid::bigint = (hashtext($1)::bigint & 4294967295)`,
            [holdContent],
          );
          expect(rows).toHaveLength(1);
        },
        { timeoutMs: 20_000, intervalMs: 50 },
      );
      // Every request carries a key: its claim row shows it reached the server.
      const sent = requests.map((request) => ({ ...request, key: request.key ?? randomUUID() }));
      const responses = sent.map(({ conversation, body, key }) => post(conversation, body, key));
      await eventually(
        async () => {
          const { rows } = await db().query(
            `SELECT count(DISTINCT key)::int AS n FROM idempotency_keys WHERE key = ANY($1::text[])`,
            [sent.map((request) => request.key)],
          );
          expect(rows[0].n).toBe(new Set(sent.map((request) => request.key)).size);
        },
        { timeoutMs: 20_000, intervalMs: 50 },
      );
      // Claimed; let them pass the look-ups and queue. (How many queue in time changes no
      // outcome, only how many share a transaction.)
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await holder.query('SELECT pg_advisory_unlock(hashtext($1))', [holdContent]);
      expect((await first).status).toBe(201);
      const answered = await Promise.all(responses);
      return new Map(sent.map((request, i) => [request.what, answered[i]]));
    } finally {
      await holder.query('SELECT pg_advisory_unlock_all()');
      holder.release();
    }
  }

  it('messages queued behind a running one commit together, each key and source_id exactly once', async () => {
    const [held, keyed, sourced] = await Promise.all(Array.from({ length: 3 }, openConversation));
    const keys = Array.from({ length: 4 }, () => randomUUID());
    const sourceIds = Array.from({ length: 3 }, () => unique('src'));
    const answers = await behindABusyLane(held, [
      ...keys.map((key, i) => ({
        what: `keyed ${i}`,
        conversation: keyed,
        body: { content: `keyed ${i}` },
        key,
      })),
      ...sourceIds.map((sourceId, i) => ({
        what: `sourced ${i}`,
        conversation: sourced,
        body: { content: `sourced ${i}`, source_id: sourceId },
      })),
      // The same source_id twice in one batch: one message, both answered with it.
      {
        what: 'sourced again',
        conversation: sourced,
        body: { content: 'sourced 0', source_id: sourceIds[0] },
      },
    ]);

    for (const [what, response] of answers) expect([what, response.status]).toEqual([what, 201]);
    expect(answers.get('sourced again')!.body.id).toBe(answers.get('sourced 0')!.body.id);
    const keyedEvents = await messageEvents(keyed);
    expect(keyedEvents.map((e) => String(e.message_id)).sort()).toEqual(
      keys.map((_, i) => String(answers.get(`keyed ${i}`)!.body.id)).sort(),
    );
    expect(await messageEvents(sourced)).toHaveLength(sourceIds.length);
    // A replay answers the committed message and writes nothing.
    const replay = await post(keyed, { content: 'keyed 0' }, keys[0]);
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(answers.get('keyed 0')!.body.id);
    expect(await messageEvents(keyed)).toHaveLength(keys.length);

    // Batched: some transaction committed several of these messages.
    const perTransaction = new Map<string, number>();
    for (const conversation of [keyed, sourced])
      for (const event of await messageEvents(conversation))
        perTransaction.set(event.tx_id, (perTransaction.get(event.tx_id) ?? 0) + 1);
    expect(Math.max(...perTransaction.values())).toBeGreaterThan(1);
    for (const conversation of [held, keyed, sourced]) await expectGapFreeStream(conversation);
  });

  it('a refused message and a taken source_id fail alone with their own errors; their batch-mates commit', async () => {
    const [held, fine, resolved, taken, owner] = await Promise.all(
      Array.from({ length: 5 }, openConversation),
    );
    await db().query(`UPDATE conversations SET status = 'resolved' WHERE id = $1`, [resolved.id]);
    const takenSourceId = unique('wamid');
    expect((await post(owner, { content: 'Owner', source_id: takenSourceId })).status).toBe(201);
    const keys = { before: randomUUID(), refused: randomUUID(), taken: randomUUID() };

    const answers = await behindABusyLane(held, [
      { what: 'before', conversation: fine, body: { content: 'Before' }, key: keys.before },
      { what: 'refused', conversation: resolved, body: { content: 'Too late' }, key: keys.refused },
      { what: 'between', conversation: fine, body: { content: 'Between' } },
      {
        what: 'taken',
        conversation: taken,
        body: { content: 'Taken', source_id: takenSourceId },
        key: keys.taken,
      },
      { what: 'after', conversation: fine, body: { content: 'After' } },
    ]);

    expect(['before', 'between', 'after'].map((what) => answers.get(what)!.status)).toEqual([
      201, 201, 201,
    ]);
    expectProblem(answers.get('refused')!, 422, 'conversation_resolved');
    expectProblem(answers.get('taken')!, 409, 'source_id_taken');
    expect(await messageEvents(fine)).toHaveLength(3);
    expect(await messageEvents(resolved)).toHaveLength(0);
    expect(await messageEvents(taken)).toHaveLength(0);
    const { rows } = await db().query(
      `SELECT key, applied_at IS NOT NULL AS applied FROM idempotency_keys WHERE key = ANY($1::text[])`,
      [Object.values(keys)],
    );
    // The failed requests' keys were released (a retry runs again); only the commit's is marked.
    expect(Object.fromEntries(rows.map((row) => [row.key, row.applied]))).toEqual({
      [keys.before]: true,
    });
    for (const conversation of [held, fine, resolved, taken, owner])
      await expectGapFreeStream(conversation);
  });

  it('concurrent creates into the same and different conversations keep each conversation in order, with gap-free sequences', async () => {
    const conversations = await Promise.all(Array.from({ length: 3 }, openConversation));
    const perConversation = 12;
    const responses = await Promise.all(
      conversations.flatMap((conversation, c) =>
        Array.from({ length: perConversation }, (_, i) =>
          post(conversation, { content: `c${c} m${i}`, source_id: `c${c}-${i}-${randomUUID()}` }),
        ),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(responses.length).fill(201));
    for (const conversation of conversations) {
      const events = await messageEvents(conversation);
      expect(events).toHaveLength(perConversation);
      // Sequence order is commit order is message order.
      const ids = events.map((event) => Number(event.message_id));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      await expectGapFreeStream(conversation);
      const { rows } = await db().query(
        `SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1`,
        [conversation.id],
      );
      expect(rows[0].n).toBe(perConversation);
    }
  });
});
