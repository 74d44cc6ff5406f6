import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import {
  accountPath,
  createInbox,
  createPublicContact,
  createPublicConversation,
  postPublicMessage,
  publicPath,
  unique,
} from './support/api-channel.js';
import type { TestContact, TestInbox } from './support/api-channel.js';
import { testDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { createAccount } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { deleteRedisKeys } from './support/redis.js';
import { startServerProcess } from './support/server-process.js';
import type { ServerProcess } from './support/server-process.js';
import { startServer } from './support/server.js';
import type { TestServer } from './support/server.js';
import {
  conversationOf,
  createWebhook,
  FAST_WEBHOOKS,
  getDelivery,
  isolate,
  listDeliveries,
  Receiver,
  redisKeys,
  startWorker,
  verifies,
} from './support/webhooks.js';
import type { Isolation, Received, TestWorker } from './support/webhooks.js';

/**
 * Delivery guarantees that only show with real processes: order per conversation while one
 * conversation fails, crashes between commit and enqueue, Redis losing its data, and several
 * worker processes sharing one queue. Each block has its own database and Redis prefix (see
 * isolate()), and a local receiver.
 */

/** Successful (2xx) requests about one conversation, in arrival order. */
function deliveredFor(receiver: Receiver, conversationId: number): Received[] {
  return receiver.requests.filter(
    (request) => conversationOf(request) === conversationId && request.answered === 200,
  );
}

/** Asserts strictly increasing sequences: every event once, in order. */
function expectInOrder(requests: Received[]): void {
  const sequences = requests.map((request) => request.body.sequence as number);
  const sorted = [...new Set(sequences)].sort((x, y) => x - y);
  expect(sequences).toEqual(sorted);
}

/** An inbox whose webhook is the receiver, with `count` contacts each in a conversation. */
async function inboxWithConversations(
  server: TestServer,
  admin: TestAccount,
  receiver: Receiver,
  count: number,
) {
  const inbox = await createInbox(server.http, admin, { webhook_url: receiver.url() });
  const contacts: TestContact[] = [];
  const conversations: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const contact = await createPublicContact(server.http, inbox, {
      identifier: unique('crm'),
      name: `Contact ${index}`,
    });
    contacts.push(contact);
    conversations.push(await createPublicConversation(server.http, inbox, contact));
  }
  return { inbox, contacts, conversations };
}

/** The stored events of an inbox's conversations, straight from the outbox table. */
async function storedEvents(
  inboxId: number,
): Promise<{ event_id: string; stream: string; sequence: number }[]> {
  const { rows } = await testDatabase().query(
    `SELECT event_id, stream, sequence FROM domain_events WHERE inbox_id = $1 AND conversation_id IS NOT NULL ORDER BY id`,
    [inboxId],
  );
  return rows;
}

describe('with retries 3 s apart', () => {
  let isolation: Isolation;
  let server: TestServer;
  let receiver: Receiver;

  beforeAll(async () => {
    isolation = await isolate('wh_retries');
    // Retries far enough apart that a failed first attempt is still waiting for its retry (in
    // Redis) while the test looks at what else happened.
    server = await startServer({
      ...FAST_WEBHOOKS,
      WEBHOOK_RETRY_SCHEDULE_MS: '3000,3000,3000,3000',
    });
  });
  afterAll(async () => {
    await server?.stop();
    await isolation?.release();
  });
  beforeEach(async () => {
    receiver = await Receiver.start();
  });
  afterEach(async () => {
    await receiver?.close();
  });

  it("order: while conversation A's events fail, B's keep flowing; once A recovers, A's arrive in sequence order", async () => {
    const admin = await createAccount('Order');
    const {
      inbox,
      contacts: [contactA, contactB],
      conversations: [a, b],
    } = await inboxWithConversations(server, admin, receiver, 2);
    await eventually(() => {
      expect(deliveredFor(receiver, a).map((request) => request.body.event)).toContain(
        'conversation_created',
      );
      expect(deliveredFor(receiver, b).map((request) => request.body.event)).toContain(
        'conversation_created',
      );
    });

    // The receiver refuses everything about conversation A, deciding by the body.
    let failing = true;
    receiver.responder = (request) =>
      failing && conversationOf(request) === a ? { status: 500, body: 'A is down' } : undefined;
    const messagesOf = (conversation: number) =>
      receiver.requests.filter(
        (request) =>
          request.body.event === 'message_created' && conversationOf(request) === conversation,
      );

    for (const round of [1, 2, 3]) {
      await postPublicMessage(server.http, inbox, contactA, a, { content: `A${round}` });
      await postPublicMessage(server.http, inbox, contactB, b, { content: `B${round}` });
    }

    await eventually(
      () =>
        expect(
          messagesOf(b)
            .filter((request) => request.answered === 200)
            .map((request) => request.body.content),
        ).toEqual(['B1', 'B2', 'B3']),
      { timeoutMs: 10_000 },
    );
    // Meanwhile A's first message was tried and refused, and A's later ones were held back.
    const refused = messagesOf(a);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.map((request) => [request.body.content, request.answered])).toEqual(
      refused.map(() => ['A1', 500]),
    );
    expect(new Set(refused.map((request) => request.headers['webhook-id'])).size).toBe(1);

    failing = false;
    await eventually(
      () =>
        expect(
          messagesOf(a)
            .filter((request) => request.answered === 200)
            .map((request) => request.body.content),
        ).toEqual(['A1', 'A2', 'A3']),
      { timeoutMs: 15_000 },
    );

    // Every event of both conversations arrived, each answered 200 once, in sequence order.
    await eventually(async () => {
      const stored = await storedEvents(inbox.id);
      const delivered = receiver.requests.filter((request) => request.answered === 200);
      expect(delivered.map((request) => request.headers['webhook-id']).sort()).toEqual(
        stored.map((event) => event.event_id).sort(),
      );
    });
    expectInOrder(deliveredFor(receiver, a));
    expectInOrder(deliveredFor(receiver, b));
  });

  it("retention: when the event a conversation's delivery waits on expires, the conversation's later events still go out, in order", async () => {
    const admin = await createAccount('Expired');
    const {
      inbox,
      contacts: [contact],
      conversations: [conversation],
    } = await inboxWithConversations(server, admin, receiver, 1);
    await eventually(() =>
      expect(deliveredFor(receiver, conversation).map((request) => request.body.event)).toContain(
        'conversation_created',
      ),
    );
    let refusing = true;
    receiver.responder = (request) =>
      refusing && request.body.content === 'expiring' ? { status: 500 } : undefined;
    await postPublicMessage(server.http, inbox, contact, conversation, { content: 'expiring' });
    await eventually(() =>
      expect(receiver.requests.filter((request) => request.answered === 500)).toHaveLength(1),
    );
    for (const content of ['after 1', 'after 2'])
      await postPublicMessage(server.http, inbox, contact, conversation, { content });

    // Retention deletes the event (its delivery goes with it) while the stream waits on it.
    refusing = false;
    await testDatabase().query(
      `DELETE FROM domain_events WHERE inbox_id = $1 AND payload->>'content' = 'expiring'`,
      [inbox.id],
    );

    await eventually(
      () =>
        expect(
          deliveredFor(receiver, conversation)
            .filter((request) => request.body.event === 'message_created')
            .map((request) => request.body.content),
        ).toEqual(['after 1', 'after 2']),
      { timeoutMs: 15_000 },
    );
    expectInOrder(deliveredFor(receiver, conversation));
  });

  it('nothing is lost when Redis loses its data: deliveries waiting for a retry complete after their jobs are wiped', async () => {
    const admin = await createAccount('Flush');
    const webhook = await createWebhook(server.http, admin, {
      url: receiver.url(),
      subscriptions: ['conversation_created'],
    });
    // Each event's first attempt fails, so each waits for a retry job in Redis.
    receiver.responder = (request, earlier) =>
      earlier.some((other) => other.headers['webhook-id'] === request.headers['webhook-id'])
        ? undefined
        : { status: 500 };
    const inbox = await createInbox(server.http, admin);
    for (let index = 0; index < 5; index += 1) {
      const contact = await createPublicContact(server.http, inbox, { identifier: unique('crm') });
      await createPublicConversation(server.http, inbox, contact);
    }
    // Every first attempt has failed; the retries wait in Redis (on a very slow machine the first
    // ones may have run already, which only makes the test weaker, never wrong).
    await eventually(() =>
      expect(receiver.requests.filter((request) => request.answered === 500)).toHaveLength(5),
    );

    // The equivalent of FLUSHALL for this deployment: other test runs share this Redis, so only
    // the keys under this server's REDIS_PREFIX are deleted, rather than everything.
    expect((await redisKeys(`${isolation.redisPrefix}:bull:*`)).length).toBeGreaterThan(0);
    await deleteRedisKeys(isolation.redisPrefix);

    await eventually(
      async () => {
        const deliveries = await listDeliveries(server.http, admin, `webhooks/${webhook.id}`);
        expect(deliveries.map((delivery) => delivery.status)).toEqual(Array(5).fill('delivered'));
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    const ids = receiver.requests.map((request) => request.headers['webhook-id']);
    for (const id of new Set(ids)) {
      expect(
        receiver.requests
          .filter((request) => request.headers['webhook-id'] === id)
          .map((request) => request.answered),
      ).toEqual([500, 200]);
    }
    expect(new Set(ids).size).toBe(5);
  });
});

describe('nothing is lost when the process dies between commit and enqueue', () => {
  let isolation: Isolation;
  let receiver: Receiver;
  let admin: TestAccount;
  let inbox: TestInbox;
  let contact: TestContact;
  let conversationId: number;
  const servers: ServerProcess[] = [];

  async function start(env: Record<string, string> = {}): Promise<ServerProcess> {
    const server = await startServerProcess({ ...FAST_WEBHOOKS, ...env });
    servers.push(server);
    return server;
  }

  beforeAll(async () => {
    isolation = await isolate('wh_crash');
    receiver = await Receiver.start();
    const setup = await start();
    admin = await createAccount('Crash');
    ({
      inbox,
      contacts: [contact],
      conversations: [conversationId],
    } = await inboxWithConversations(setup, admin, receiver, 1));
    await eventually(() => expect(receiver.events('conversation_created')).toHaveLength(1));
    await setup.stop();
  });
  afterAll(async () => {
    for (const server of servers) await server.stop();
    await receiver?.close();
    await isolation?.release();
  });

  /**
   * Posts a contact message to a server that kills itself on the way, and waits for it to die.
   * Answers the HTTP status, or 'failed' when the request got no answer.
   */
  async function postAndCrash(server: ServerProcess, content: string): Promise<number | 'failed'> {
    const path = `${publicPath(inbox.identifier)}/contacts/${encodeURIComponent(contact.sourceId)}/conversations/${conversationId}/messages`;
    const outcome = await server.http
      .post(path)
      .send({ content })
      .then((response) => response.status)
      .catch(() => 'failed' as const);
    await eventually(() => expect(server.process.signalCode).toBe('SIGKILL'));
    return outcome;
  }

  async function storedEvent(content: string) {
    const {
      rows: [row],
    } = await testDatabase().query(
      `SELECT e.event_id, e.dispatched_at, d.status, d.attempts
         FROM domain_events e LEFT JOIN webhook_deliveries d ON d.event_row_id = e.id
        WHERE e.account_id = $1 AND e.name = 'message_created' AND e.payload->>'content' = $2`,
      [admin.accountId, content],
    );
    return row as {
      event_id: string;
      dispatched_at: Date | null;
      status: string | null;
      attempts: number | null;
    };
  }

  async function expectDeliveredAfterRestart(content: string, eventId: string): Promise<void> {
    await start();
    const delivered = await eventually(
      () => {
        const requests = receiver.requests.filter((request) => request.body.content === content);
        expect(
          requests.map((request) => [request.headers['webhook-id'], request.answered]),
        ).toEqual([[eventId, 200]]);
        return requests[0];
      },
      { timeoutMs: 10_000 },
    );
    expect(verifies(inbox.body.webhook_secret as string, delivered)).toBe(true);
    expect(delivered.body).toMatchObject({
      event: 'message_created',
      event_id: eventId,
      message_type: 'incoming',
    });
    await servers[servers.length - 1].stop();
  }

  it('crash right after the write commits: the relay delivers the event, and later events of its conversation wait for it', async () => {
    const crashing = await start({ FAULT_INJECTION: 'crash_after_commit' });
    expect(await postAndCrash(crashing, 'earlier')).toBe('failed');

    // The message and its event were committed, but never turned into a delivery.
    const earlier = await storedEvent('earlier');
    expect(earlier).toMatchObject({ dispatched_at: null, status: null });
    expect(receiver.requests.filter((request) => request.body.content === 'earlier')).toEqual([]);

    // Back up, while another process's relay has claimed that event (as dispatchEvents does)
    // and is slow to commit its fan-out: a later event of the conversation must wait for it.
    const relay = new pg.Client({ connectionString: isolation.databaseUrl });
    await relay.connect();
    try {
      await relay.query('BEGIN');
      await relay.query('SELECT id FROM domain_events WHERE event_id = $1 FOR UPDATE', [
        earlier.event_id,
      ]);
      const server = await start();
      await postPublicMessage(server.http, inbox, contact, conversationId, { content: 'later' });
      await eventually(async () =>
        expect(await storedEvent('later')).toMatchObject({ status: 'pending' }),
      );
      // The other relay's stall: long enough for the later delivery to be attempted if it could.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(
        receiver.requests.filter((request) => ['earlier', 'later'].includes(request.body.content)),
      ).toEqual([]);
    } finally {
      await relay.query('ROLLBACK');
      await relay.end();
    }

    // Then the relay delivers both, in order.
    const arrived = await eventually(
      () => {
        const requests = receiver.requests.filter((request) =>
          ['earlier', 'later'].includes(request.body.content),
        );
        expect(requests.map((request) => [request.body.content, request.answered])).toEqual([
          ['earlier', 200],
          ['later', 200],
        ]);
        return requests;
      },
      { timeoutMs: 10_000 },
    );
    expect(arrived[0].headers['webhook-id']).toBe(earlier.event_id);
    expect(arrived[0].body).toMatchObject({
      event: 'message_created',
      event_id: earlier.event_id,
      message_type: 'incoming',
    });
    expect(arrived[1].body.sequence).toBe(arrived[0].body.sequence + 1);
    expect(arrived.every((request) => verifies(inbox.body.webhook_secret as string, request))).toBe(
      true,
    );
    await servers[servers.length - 1].stop();
  }, 240_000);

  it('crash right after the fan-out commits (before the job is queued): the relay delivers the event', async () => {
    const crashing = await start({ FAULT_INJECTION: 'crash_after_fanout' });
    const content = 'fanned out just before the crash';
    // The fan-out runs right after the commit, racing the answer: the request may or may not fail.
    await postAndCrash(crashing, content);

    // The delivery row exists but was never attempted: no job was queued for it.
    const event = await storedEvent(content);
    expect(event).toMatchObject({
      dispatched_at: expect.any(Date),
      status: 'pending',
      attempts: 0,
    });
    expect(receiver.requests.filter((request) => request.body.content === content)).toHaveLength(0);

    await expectDeliveredAfterRestart(content, event.event_id);
  }, 240_000);
});

describe('scale-out: two worker processes and an API process share one queue', () => {
  let isolation: Isolation;
  let api: ServerProcess;
  let receiver: Receiver;
  const workers: TestWorker[] = [];
  let admin: TestAccount;
  let inbox: TestInbox;
  let contacts: TestContact[];
  let conversations: number[];

  beforeAll(async () => {
    isolation = await isolate('wh_scale');
    api = await startServerProcess({
      ...FAST_WEBHOOKS,
      PROCESS_ROLE: 'api',
      WEBHOOK_MAX_DELAY_MS: '1000',
    });
    receiver = await Receiver.start();
    // Small random answer times, so the workers' attempts interleave.
    receiver.responder = () => ({ delayMs: Math.floor(Math.random() * 25) });
    admin = await createAccount('Scale');
  });
  afterAll(async () => {
    for (const worker of workers) await worker.stop();
    await api?.stop();
    await receiver?.close();
    await isolation?.release();
  });

  it('an API process alone attempts nothing, and /health reports the overdue backlog', async () => {
    ({ inbox, contacts, conversations } = await inboxWithConversations(api, admin, receiver, 3));
    const health = await eventually(
      async () => {
        const response = await api.http.get('/health');
        expect(response.status).toBe(503);
        return response.body;
      },
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    expect(health.details.webhooks).toMatchObject({
      status: 'down',
      pending: expect.any(Number),
      oldest_overdue_ms: expect.any(Number),
    });
    expect(health.details.webhooks.pending).toBeGreaterThanOrEqual(3);
    expect(health.details.webhooks.oldest_overdue_ms).toBeGreaterThan(1000);
    expect(health.details.webhooks.message).toMatch(/waited/);
    expect(receiver.requests).toHaveLength(0);
  });

  it('two workers deliver every event exactly once, in order per conversation', async () => {
    const env = { ...FAST_WEBHOOKS };
    workers.push(...(await Promise.all([startWorker(env), startWorker(env)])));

    for (let round = 0; round < 10; round += 1) {
      await Promise.all(
        conversations.map((conversation, index) =>
          postPublicMessage(api.http, inbox, contacts[index], conversation, {
            content: `c${index}-m${round}`,
          }),
        ),
      );
    }

    const stored = await eventually(
      async () => {
        const events = await storedEvents(inbox.id);
        expect(events.length).toBeGreaterThanOrEqual(33);
        const delivered = new Set(
          receiver.requests
            .filter((request) => request.answered === 200)
            .map((request) => request.headers['webhook-id']),
        );
        expect(events.filter((event) => !delivered.has(event.event_id))).toEqual([]);
        return events;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );

    // Once each: a webhook-id arrives more than once only when an earlier attempt failed.
    const counts = new Map<string, number>();
    for (const request of receiver.requests)
      counts.set(
        request.headers['webhook-id'],
        (counts.get(request.headers['webhook-id']) ?? 0) + 1,
      );
    expect([...counts.keys()].sort()).toEqual(stored.map((event) => event.event_id).sort());
    const endpoint = await api.http
      .get(`${accountPath(admin)}/inboxes/${inbox.id}/webhook`)
      .set('api_access_token', admin.token)
      .expect(200);
    expect(endpoint.body.enabled).toBe(true);
    for (const [eventId, count] of counts) {
      if (count === 1) continue;
      const delivery = (await listDeliveries(api.http, admin, `inboxes/${inbox.id}/webhook`)).find(
        (item) => item.event_id === eventId,
      )!;
      const log = (await getDelivery(api.http, admin, delivery.id)).attempt_log!;
      expect({
        eventId,
        count,
        attempts: log.length,
        earlier: log.slice(0, -1).filter((attempt) => attempt.status_code === 200),
      }).toEqual({
        eventId,
        count,
        attempts: count,
        earlier: [],
      });
    }

    for (const conversation of conversations) {
      const delivered = deliveredFor(receiver, conversation);
      expect(delivered.filter((request) => request.body.event === 'message_created')).toHaveLength(
        10,
      );
      expectInOrder(delivered);
    }

    const health = await api.http.get('/health').expect(200);
    expect(health.body.info.webhooks).toMatchObject({ status: 'up', pending: 0 });
  }, 240_000);
});

describe('concurrency per receiver: two worker processes together keep to WEBHOOK_ENDPOINT_CONCURRENCY', () => {
  const LIMIT = 3;
  let isolation: Isolation;
  let api: ServerProcess;
  const workers: TestWorker[] = [];
  let slow: Server;
  let inFlight = 0;
  let maxInFlight = 0;
  const delivered = new Set<string>();

  beforeAll(async () => {
    isolation = await isolate('wh_limit');
    // A slow receiver that counts the requests it holds at once.
    slow = createServer((request, response) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      request.resume();
      request.on('end', () =>
        setTimeout(() => {
          inFlight -= 1;
          delivered.add(String(request.headers['webhook-id']));
          response.end('ok');
        }, 150),
      );
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const env = { ...FAST_WEBHOOKS, WEBHOOK_ENDPOINT_CONCURRENCY: String(LIMIT) };
    api = await startServerProcess({ ...env, PROCESS_ROLE: 'api' });
    workers.push(...(await Promise.all([startWorker(env), startWorker(env)])));
  });
  afterAll(async () => {
    for (const worker of workers) await worker.stop();
    await api?.stop();
    slow?.closeAllConnections();
    await new Promise((resolve) => slow?.close(resolve));
    await isolation?.release();
  });

  it('a slow receiver never holds more than the limit, while both workers deliver everything', async () => {
    const admin = await createAccount('Limit');
    const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/hook`;
    const inbox = await createInbox(api.http, admin, { webhook_url: url });
    // Many conversations at once: more streams due together than one worker's share.
    await Promise.all(
      Array.from({ length: 12 }, async (_, index) => {
        const contact = await createPublicContact(api.http, inbox, { identifier: unique('lim') });
        const conversation = await createPublicConversation(api.http, inbox, contact);
        for (const round of [1, 2])
          await postPublicMessage(api.http, inbox, contact, conversation, {
            content: `c${index}-m${round}`,
          });
      }),
    );

    await eventually(
      async () => {
        const stored = await storedEvents(inbox.id);
        expect(stored.length).toBeGreaterThanOrEqual(36);
        expect(stored.filter((event) => !delivered.has(event.event_id))).toEqual([]);
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    // Requests overlapped (the receiver was worked in parallel), and never beyond the limit,
    // although each worker alone may send that many (before, two workers sent up to twice it).
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(LIMIT);
  }, 240_000);
});
