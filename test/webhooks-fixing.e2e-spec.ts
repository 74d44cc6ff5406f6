import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  accountPath,
  createInbox,
  createPublicContact,
  createPublicConversation,
  unique,
} from './support/api-channel.js';
import type { TestInbox } from './support/api-channel.js';
import { testDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { createAccount } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { startServer } from './support/server.js';
import type { TestServer } from './support/server.js';
import { startServerProcess } from './support/server-process.js';
import type { ServerProcess } from './support/server-process.js';
import {
  awaitDelivery,
  createWebhook,
  FAST_WEBHOOKS,
  isolate,
  Receiver,
  verifies,
} from './support/webhooks.js';
import type { Delivery, Isolation } from './support/webhooks.js';

/** Far longer than any test: a delivery in backoff is only sent again when something hurries it. */
const BACKOFF_MS = 600_000;
const LOG_INTERVAL_MS = 5_000;

/**
 * Fixing a receiver is felt at once: a new URL, re-enabling the endpoint or a test event makes
 * the deliveries waiting out a retry backoff due now. And the server log says why attempts fail,
 * one line per endpoint per WEBHOOK_FAILURE_LOG_INTERVAL_MS.
 */
describe('fixing a webhook receiver', () => {
  let isolation: Isolation;
  let server: TestServer;
  let receiver: Receiver;
  let admin: TestAccount;

  beforeAll(async () => {
    isolation = await isolate('wh_fixing');
    server = await startServer({
      ...FAST_WEBHOOKS,
      WEBHOOK_RETRY_SCHEDULE_MS: Array(8).fill(BACKOFF_MS).join(','),
      WEBHOOK_FAILURE_LOG_INTERVAL_MS: String(LOG_INTERVAL_MS),
    });
  });
  afterAll(async () => {
    await server?.stop();
    await isolation?.release();
  });
  beforeEach(async () => {
    receiver = await Receiver.start();
    // Everything under /down fails; everything else is accepted.
    receiver.responder = (request) =>
      request.path.startsWith('/down') ? { status: 503 } : undefined;
    admin = await createAccount('Fixing');
  });
  afterEach(async () => {
    await receiver?.close();
  });

  const path = (rest: string) => `${accountPath(admin)}/${rest}`;

  async function newConversation(inbox: TestInbox): Promise<number> {
    const contact = await createPublicContact(server.http, inbox, {
      identifier: unique('crm'),
      name: 'Casey Contact',
    });
    return createPublicConversation(server.http, inbox, contact);
  }

  /** The event id of the account's only conversation_created event. */
  async function createdEventId(): Promise<string> {
    const { rows } = await testDatabase().query(
      `SELECT event_id FROM domain_events WHERE account_id = $1 AND name = 'conversation_created'`,
      [admin.accountId],
    );
    expect(rows).toHaveLength(1);
    return rows[0].event_id;
  }

  /** Waits for the first failed attempt, and checks the delivery now waits out a long backoff. */
  async function waitingDelivery(endpoint: string, eventId: string): Promise<Delivery> {
    const delivery = await awaitDelivery(
      server.http,
      admin,
      endpoint,
      eventId,
      (item) => item.status === 'pending' && item.attempts === 1 && item.last_status_code === 503,
    );
    expect(new Date(delivery.next_attempt_at!).getTime()).toBeGreaterThan(
      Date.now() + BACKOFF_MS / 2,
    );
    return delivery;
  }

  /** The event arrives at `at` within a few seconds (not after the ten-minute backoff). */
  async function arrivesAt(at: string, eventId: string) {
    return eventually(
      () => {
        const arrived = receiver.at(at).find((request) => request.body.event_id === eventId);
        expect(arrived).toBeDefined();
        return arrived!;
      },
      { timeoutMs: 10_000 },
    );
  }

  it('a new URL for an account webhook sends its waiting deliveries now', async () => {
    const webhook = await createWebhook(server.http, admin, {
      url: receiver.url('/down'),
      subscriptions: ['conversation_created'],
    });
    await newConversation(await createInbox(server.http, admin));
    const eventId = await createdEventId();
    await waitingDelivery(`webhooks/${webhook.id}`, eventId);

    await server.http
      .patch(path(`webhooks/${webhook.id}`))
      .set('api_access_token', admin.token)
      .send({ url: receiver.url('/up') })
      .expect(200);
    const arrived = await arrivesAt('/up', eventId);
    expect(verifies(webhook.secret, arrived)).toBe(true);
    const delivered = await awaitDelivery(
      server.http,
      admin,
      `webhooks/${webhook.id}`,
      eventId,
      (item) => item.status === 'delivered',
    );
    expect(delivered.attempts).toBe(2);
  });

  it("a new webhook_url for an inbox (PATCH /inboxes/{id}) sends its webhook's waiting deliveries now", async () => {
    const inbox = await createInbox(server.http, admin, { webhook_url: receiver.url('/down') });
    await newConversation(inbox);
    const eventId = await createdEventId();
    await waitingDelivery(`inboxes/${inbox.id}/webhook`, eventId);

    const updated = await server.http
      .patch(path(`inboxes/${inbox.id}`))
      .set('api_access_token', admin.token)
      .send({ channel: { webhook_url: receiver.url('/up') } })
      .expect(200);
    expect(updated.body).toMatchObject({
      webhook_url: receiver.url('/up'),
      webhook_secret: inbox.body.webhook_secret,
    });
    const arrived = await arrivesAt('/up', eventId);
    expect(verifies(inbox.body.webhook_secret as string, arrived)).toBe(true);
  });

  it('re-enabling an inbox webhook sends its waiting deliveries now', async () => {
    const inbox = await createInbox(server.http, admin, { webhook_url: receiver.url('/down') });
    await newConversation(inbox);
    const eventId = await createdEventId();
    await waitingDelivery(`inboxes/${inbox.id}/webhook`, eventId);

    await server.http
      .patch(path(`inboxes/${inbox.id}/webhook`))
      .set('api_access_token', admin.token)
      .send({ enabled: false })
      .expect(200);
    receiver.responder = () => undefined; // the receiver is fixed
    await server.http
      .patch(path(`inboxes/${inbox.id}/webhook`))
      .set('api_access_token', admin.token)
      .send({ enabled: true })
      .expect(200);
    await arrivesAt('/down', eventId);
  });

  it('a test event is sent at once, and so are the deliveries waiting for a retry', async () => {
    const webhook = await createWebhook(server.http, admin, {
      url: receiver.url('/down'),
      subscriptions: ['conversation_created'],
    });
    await newConversation(await createInbox(server.http, admin));
    const eventId = await createdEventId();
    await waitingDelivery(`webhooks/${webhook.id}`, eventId);

    receiver.responder = () => undefined;
    await server.http
      .post(path(`webhooks/${webhook.id}/test`))
      .set('api_access_token', admin.token)
      .expect(202);
    await arrivesAt('/down', eventId);
    await eventually(() => expect(receiver.events('webhook_test')).toHaveLength(1), {
      timeoutMs: 10_000,
    });
  });
});

/**
 * The log lines of failed attempts, read from what a server process prints (one process, so
 * every attempt of the test's endpoint is made, and logged, by it).
 */
describe('logging failed webhook attempts', () => {
  let isolation: Isolation;
  let server: ServerProcess;
  let receiver: Receiver;
  let admin: TestAccount;

  beforeAll(async () => {
    isolation = await isolate('wh_fail_log');
    server = await startServerProcess({
      ...FAST_WEBHOOKS,
      WEBHOOK_RETRY_SCHEDULE_MS: Array(8).fill(BACKOFF_MS).join(','),
      WEBHOOK_FAILURE_LOG_INTERVAL_MS: String(LOG_INTERVAL_MS),
    });
    receiver = await Receiver.start();
    receiver.responder = () => ({ status: 503 });
    admin = await createAccount('Logging');
  });
  afterAll(async () => {
    await receiver?.close();
    await server?.stop();
    await isolation?.release();
  });

  const path = (rest: string) => `${accountPath(admin)}/${rest}`;

  it('failed attempts are logged with endpoint, host, status and reason, at most once per endpoint per interval', async () => {
    const webhook = await createWebhook(server.http, admin, {
      url: receiver.url('/down/hook?token=receiver-token-not-for-logs'),
      subscriptions: ['conversation_created'],
    });
    interface FailureLine {
      level: number;
      msg: string;
      endpointId: number;
      host: string;
      statusCode: number | null;
      reason: string;
      suppressed: number;
    }
    const lines = (): FailureLine[] =>
      server
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line))
        .filter(
          (entry) =>
            entry.msg === 'Webhook delivery attempt failed' && entry.endpointId === webhook.id,
        );
    const attempts = async (): Promise<number> => {
      const { rows } = await testDatabase().query(
        `SELECT count(*)::int AS n FROM webhook_delivery_attempts a
           JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.endpoint_id = $1`,
        [webhook.id],
      );
      return rows[0].n;
    };
    const test = () =>
      server.http
        .post(path(`webhooks/${webhook.id}/test`))
        .set('api_access_token', admin.token)
        .expect(202);

    // A burst of failures: each test event hurries the one waiting ahead of it.
    for (let i = 0; i < 3; i++) await test();
    await eventually(async () => expect(await attempts()).toBeGreaterThanOrEqual(2), {
      timeoutMs: 10_000,
    });
    expect(lines()).toEqual([
      expect.objectContaining({
        level: 40,
        endpointId: webhook.id,
        host: `127.0.0.1:${receiver.port}`,
        statusCode: 503,
        reason: 'answered 503',
        suppressed: 0,
      }),
    ]);

    // After the interval, the next failure is logged with the count of those left out.
    await new Promise((resolve) => setTimeout(resolve, LOG_INTERVAL_MS + 500));
    const before = await attempts();
    await test();
    await eventually(() => expect(lines()).toHaveLength(2), { timeoutMs: 10_000 });
    expect(lines()[1]).toMatchObject({ statusCode: 503, suppressed: before - 1 });
    expect(server.output()).not.toContain('receiver-token-not-for-logs');
  });
});
