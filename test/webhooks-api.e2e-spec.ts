import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  accountPath,
  createInbox,
  createPublicContact,
  createPublicConversation,
  postPublicMessage,
  unique,
} from './support/api-channel.js';
import type { TestInbox } from './support/api-channel.js';
import { testDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { createAccount, createAgent } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { expectProblem } from './support/problems.js';
import { startServer } from './support/server.js';
import type { TestServer } from './support/server.js';
import {
  awaitDelivery,
  conversationOf,
  createWebhook,
  FAST_WEBHOOKS,
  getDelivery,
  getWebhook,
  isolate,
  listDeliveries,
  Receiver,
  verifies,
} from './support/webhooks.js';
import type { Delivery, Isolation, Received } from './support/webhooks.js';

/** A public address, so saving it needs no allowlist and no DNS; nothing is ever sent there here. */
const PUBLIC_URL = 'http://93.184.216.34/hook';

/** A new conversation in `inbox` (a new contact); answers its display id. */
async function newConversation(server: TestServer, inbox: TestInbox): Promise<number> {
  const contact = await createPublicContact(server.http, inbox, {
    identifier: unique('crm'),
    name: 'Casey Contact',
  });
  return createPublicConversation(server.http, inbox, contact);
}

/** The first request received for a webhook-id, once it arrived. */
async function arrival(
  receiver: Receiver,
  predicate: (request: Received) => boolean,
): Promise<Received> {
  return eventually(() => {
    const found = receiver.requests.find(predicate);
    expect(found).toBeDefined();
    return found!;
  });
}

/** Signatures in a webhook-signature header (several during a secret rotation). */
const signatureCount = (request: Received) =>
  request.headers['webhook-signature'].split(' ').length;

describe('SSRF protection', () => {
  /** Targets the rules refuse; each one reaches the machine itself or its private network. */
  const REFUSED = [
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.8/hook',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://0x7f000001/hook',
    'http://0.0.0.0/hook',
    'http://100.64.0.1/hook',
    'http://192.168.1.10/hook',
    'https://172.16.0.1/hook',
    'http://[fd00::1]/hook',
    'http://[fe80::1]/hook',
  ];
  /** The allowlist of the `open` server, and what it opens. */
  const ALLOWLIST = '127.0.0.0/8,::1,10.0.0.0/8,169.254.169.254';
  const OPENED = REFUSED.slice(0, 7);

  let isolation: Isolation;
  let strict: TestServer;
  let open: TestServer;
  let receiver: Receiver;

  beforeAll(async () => {
    isolation = await isolate('wh_ssrf');
    // One after the other: the first start creates and migrates the database.
    strict = await startServer({ ...FAST_WEBHOOKS, WEBHOOK_ALLOWED_TARGETS: '' });
    open = await startServer({ ...FAST_WEBHOOKS, WEBHOOK_ALLOWED_TARGETS: ALLOWLIST });
    receiver = await Receiver.start();
  }, 240_000);
  afterAll(async () => {
    await open?.stop();
    await strict?.stop();
    await receiver?.close();
    await isolation?.release();
  });

  it.each(REFUSED)(
    'refuses %s at save: account webhooks and inbox webhook_url, created or changed',
    async (url) => {
      const admin = await createAccount('SSRF');
      const as = (request: ReturnType<typeof strict.http.post>) =>
        request.set('api_access_token', admin.token);
      const webhook = await createWebhook(strict.http, admin, {
        url: PUBLIC_URL,
        subscriptions: ['contact_created'],
      });
      const inbox = await createInbox(strict.http, admin, { webhook_url: PUBLIC_URL });

      const created = expectProblem(
        await as(strict.http.post(`${accountPath(admin)}/webhooks`)).send({
          url,
          subscriptions: ['message_created'],
        }),
        422,
        'webhook_url_not_allowed',
      );
      expect(created.errors).toEqual([{ field: 'url', messages: [expect.any(String)] }]);
      expect(created.detail).toMatch(/WEBHOOK_ALLOWED_TARGETS/);
      expectProblem(
        await as(strict.http.patch(`${accountPath(admin)}/webhooks/${webhook.id}`)).send({ url }),
        422,
        'webhook_url_not_allowed',
      );
      const inboxCreated = expectProblem(
        await as(strict.http.post(`${accountPath(admin)}/inboxes`)).send({
          name: unique('Inbox'),
          channel: { type: 'api', webhook_url: url },
        }),
        422,
        'webhook_url_not_allowed',
      );
      expect(inboxCreated.errors).toEqual([
        { field: 'channel.webhook_url', messages: [expect.any(String)] },
      ]);
      expectProblem(
        await as(strict.http.patch(`${accountPath(admin)}/inboxes/${inbox.id}`)).send({
          channel: { webhook_url: url },
        }),
        422,
        'webhook_url_not_allowed',
      );

      // Nothing was stored.
      const webhooks = await as(strict.http.get(`${accountPath(admin)}/webhooks`)).expect(200);
      expect(webhooks.body.payload.webhooks.map((item: { url: string }) => item.url)).toEqual([
        PUBLIC_URL,
      ]);
      const inboxes = await as(strict.http.get(`${accountPath(admin)}/inboxes`)).expect(200);
      const inboxList = inboxes.body.payload ?? inboxes.body;
      expect(inboxList.map((item: { webhook_url: string }) => item.webhook_url)).toEqual([
        PUBLIC_URL,
      ]);
    },
  );

  it('reads the numeric form http://2130706433/ as 127.0.0.1: refused, unless the allowlist opens it', async () => {
    const admin = await createAccount('SSRF');
    const send = (server: typeof strict) =>
      server.http
        .post(`${accountPath(admin)}/webhooks`)
        .set('api_access_token', admin.token)
        .send({ url: 'http://2130706433/hook', subscriptions: ['message_created'] });
    expectProblem(await send(strict), 422, 'webhook_url_not_allowed');
    expect((await send(open)).status).toBe(201);
  });

  it('WEBHOOK_ALLOWED_TARGETS opens the hosts and ranges it names, and only those', async () => {
    const admin = await createAccount('Allowlisted');
    for (const url of OPENED) {
      // No deliveries follow: nobody creates contacts in this account.
      await createWebhook(open.http, admin, { url, subscriptions: ['contact_created'] });
      await createInbox(open.http, admin, { webhook_url: url });
    }
    const saved = await open.http
      .get(`${accountPath(admin)}/webhooks`)
      .set('api_access_token', admin.token)
      .expect(200);
    expect(saved.body.payload.webhooks.map((item: { url: string }) => item.url)).toEqual(OPENED);
    for (const url of REFUSED.slice(OPENED.length)) {
      const response = await open.http
        .post(`${accountPath(admin)}/webhooks`)
        .set('api_access_token', admin.token)
        .send({ url, subscriptions: ['contact_created'] });
      expectProblem(response, 422, 'webhook_url_not_allowed');
    }
  });

  it('checks again when delivering: URLs saved under an allowlist are refused by a server without it', async () => {
    const admin = await createAccount('Rebinding');
    // Saved while loopback was allowed: an address, and a name that resolves to loopback.
    const inbox = await createInbox(open.http, admin, { webhook_url: receiver.url('/inbox') });
    const byName = await createWebhook(open.http, admin, {
      url: `http://localhost:${receiver.port}/by-name`,
      subscriptions: ['conversation_created'],
    });
    await open.stop();

    // Only the server without an allowlist is left to deliver.
    const conversationId = await newConversation(strict, inbox);
    const {
      rows: [event],
    } = await testDatabase().query(
      `SELECT event_id FROM domain_events WHERE account_id = $1 AND name = 'conversation_created'`,
      [admin.accountId],
    );
    const viaAddress = await awaitDelivery(
      strict.http,
      admin,
      `inboxes/${inbox.id}/webhook`,
      event.event_id,
      (item) => item.status === 'failed',
    );
    const viaName = await awaitDelivery(
      strict.http,
      admin,
      `webhooks/${byName.id}`,
      event.event_id,
      (item) => item.status === 'failed',
    );

    expect(viaAddress).toMatchObject({ conversation_id: conversationId, attempts: 4 });
    for (const attempt of viaAddress.attempt_log!) {
      expect(attempt).toMatchObject({
        status_code: null,
        error: expect.stringMatching(/^Refused: 127\.0\.0\.1 is in a loopback range/),
      });
    }
    // The name passes the literal-address check; the HTTP client's DNS lookup refuses it.
    expect(viaName.attempts).toBe(4);
    for (const attempt of viaName.attempt_log!) {
      expect(attempt).toMatchObject({
        status_code: null,
        error: expect.stringMatching(/Refused to connect to localhost: .*loopback/),
      });
    }
    expect(receiver.requests).toEqual([]);
  });
});

describe('endpoint controls', () => {
  let isolation: Isolation;
  let server: TestServer;
  let receiver: Receiver;
  let admin: TestAccount;

  beforeAll(async () => {
    isolation = await isolate('wh_api');
    server = await startServer(FAST_WEBHOOKS);
  });
  afterAll(async () => {
    await server?.stop();
    await isolation?.release();
  });
  // A fresh account per test, so no test's webhooks hear another test's events.
  beforeEach(async () => {
    receiver = await Receiver.start();
    admin = await createAccount('Controls');
  });
  afterEach(async () => {
    await receiver?.close();
  });

  const path = (suffix: string) => `${accountPath(admin)}/${suffix}`;

  it('account webhooks: create, read, update, delete; administrators only; validated', async () => {
    const inbox = await createInbox(server.http, admin);
    const webhook = await createWebhook(server.http, admin, {
      url: receiver.url(),
      name: 'CRM',
      subscriptions: ['message_created'],
      inbox_id: inbox.id,
    });
    expect(webhook).toMatchObject({
      id: expect.any(Number),
      name: 'CRM',
      url: receiver.url(),
      subscriptions: ['message_created'],
      inbox_id: inbox.id,
      secret: expect.stringMatching(/^whsec_/),
      enabled: true,
      disabled_at: null,
      disabled_reason: null,
      failing_since: null,
    });
    expect(await getWebhook(server.http, admin, webhook.id)).toEqual(webhook);

    const updated = await server.http
      .patch(path(`webhooks/${webhook.id}`))
      .set('api_access_token', admin.token)
      .send({
        name: 'CRM 2',
        subscriptions: ['conversation_created', 'message_created'],
        inbox_id: null,
      })
      .expect(200);
    expect(updated.body.payload.webhook).toMatchObject({
      name: 'CRM 2',
      subscriptions: ['conversation_created', 'message_created'],
      inbox_id: null,
      secret: webhook.secret,
    });

    const invalid = await server.http
      .post(path('webhooks'))
      .set('api_access_token', admin.token)
      .send({ url: 'ftp://example.com/x', subscriptions: ['nothing_happened'] });
    expect(invalid.status).toBe(422);
    expect(invalid.body.code).toBe('validation_failed');
    expect(invalid.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'subscriptions',
      'url',
    ]);

    const other = await createAccount('Other');
    const otherInbox = await createInbox(server.http, other);
    const foreign = await server.http
      .post(path('webhooks'))
      .set('api_access_token', admin.token)
      .send({ url: receiver.url(), subscriptions: ['message_created'], inbox_id: otherInbox.id });
    expect(foreign.status).toBe(404);
    expectProblem(
      await server.http
        .get(`${accountPath(other)}/webhooks/${webhook.id}`)
        .set('api_access_token', other.token),
      404,
      'webhook_not_found',
    );

    const agent = await createAgent(server.http, admin);
    for (const request of [
      server.http.get(path('webhooks')),
      server.http.get(path(`webhooks/${webhook.id}`)),
      server.http.post(path(`webhooks/${webhook.id}/test`)),
      server.http.get(path(`inboxes/${inbox.id}/webhook`)),
      server.http.get(path('events')),
    ]) {
      expect((await request.set('api_access_token', agent.token)).status).toBe(403);
    }

    await server.http
      .delete(path(`webhooks/${webhook.id}`))
      .set('api_access_token', admin.token)
      .expect(200);
    expectProblem(
      await server.http.get(path(`webhooks/${webhook.id}`)).set('api_access_token', admin.token),
      404,
      'webhook_not_found',
    );
  });

  it('POST /webhooks/{id}/test sends a signed webhook_test to that webhook only', async () => {
    const webhook = await createWebhook(server.http, admin, {
      url: receiver.url('/tested'),
      subscriptions: ['message_created'],
    });
    await createWebhook(server.http, admin, {
      url: receiver.url('/bystander'),
      subscriptions: ['message_created', 'conversation_created'],
    });

    const response = await server.http
      .post(path(`webhooks/${webhook.id}/test`))
      .set('api_access_token', admin.token)
      .expect(202);
    expect(response.body).toEqual({ delivery_id: expect.any(Number) });
    const request = await arrival(receiver, (item) => item.path === '/tested');
    expect(request.body).toMatchObject({
      event: 'webhook_test',
      event_id: request.headers['webhook-id'],
      sequence: 1,
      occurred_at: expect.any(String),
      webhook: { id: webhook.id, kind: 'account' },
      account: { id: admin.accountId },
    });
    expect(verifies(webhook.secret, request)).toBe(true);
    const delivery = await awaitDelivery(
      server.http,
      admin,
      `webhooks/${webhook.id}`,
      request.headers['webhook-id'],
      (item) => item.status === 'delivered',
    );
    expect(delivery).toMatchObject({ id: response.body.delivery_id, event: 'webhook_test' });
    expect(receiver.at('/bystander')).toEqual([]);
  });

  it('POST /webhook_deliveries/{id}/redeliver sends a delivered event again, same webhook-id and body', async () => {
    const webhook = await createWebhook(server.http, admin, {
      url: receiver.url(),
      subscriptions: ['conversation_created'],
    });
    await newConversation(server, await createInbox(server.http, admin));
    const first = await arrival(receiver, () => true);
    const delivered = await awaitDelivery(
      server.http,
      admin,
      `webhooks/${webhook.id}`,
      first.headers['webhook-id'],
      (item) => item.status === 'delivered',
    );

    const response = await server.http
      .post(path(`webhook_deliveries/${delivered.id}/redeliver`))
      .set('api_access_token', admin.token)
      .expect(202);
    expect(response.body).toMatchObject({ id: delivered.id, event_id: delivered.event_id });
    await eventually(() => expect(receiver.requests).toHaveLength(2));
    const [again] = receiver.requests.slice(1);
    expect(again.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(again.raw).toBe(first.raw);
    expect(verifies(webhook.secret, again)).toBe(true);
    const log = await awaitDelivery(
      server.http,
      admin,
      `webhooks/${webhook.id}`,
      delivered.event_id,
      (item) => item.attempt_log!.length === 2,
    );
    expect(log).toMatchObject({ status: 'delivered' });

    const other = await createAccount('Other');
    expectProblem(
      await server.http
        .post(`${accountPath(other)}/webhook_deliveries/${delivered.id}/redeliver`)
        .set('api_access_token', other.token),
      404,
      'delivery_not_found',
    );
    expectProblem(
      await server.http
        .get(`${accountPath(other)}/webhook_deliveries/${delivered.id}`)
        .set('api_access_token', other.token),
      404,
      'delivery_not_found',
    );
  });

  it('POST /webhooks/{id}/recover re-sends the failed deliveries created since the given time', async () => {
    let down = true;
    receiver.responder = () => (down ? { status: 500 } : undefined);
    const webhook = await createWebhook(server.http, admin, {
      url: receiver.url(),
      subscriptions: ['conversation_created'],
    });
    const inbox = await createInbox(server.http, admin);
    const failedDeliveries = async (count: number) =>
      eventually(
        async () => {
          const failed = await listDeliveries(server.http, admin, `webhooks/${webhook.id}`, {
            status: 'failed',
          });
          expect(failed).toHaveLength(count);
          return failed;
        },
        { timeoutMs: 10_000, intervalMs: 100 },
      );

    await newConversation(server, inbox);
    const [old] = await failedDeliveries(1);
    const since = new Date(Date.parse(old.created_at) + 1).toISOString();
    await newConversation(server, inbox);
    await newConversation(server, inbox);
    const failed = await failedDeliveries(3);
    const recent = failed.filter((delivery) => delivery.id !== old.id);

    down = false;
    const recovered = await server.http
      .post(path(`webhooks/${webhook.id}/recover`))
      .set('api_access_token', admin.token)
      .send({ since })
      .expect(200);
    expect(recovered.body).toEqual({ recovered: 2 });
    for (const delivery of recent) {
      await awaitDelivery(
        server.http,
        admin,
        `webhooks/${webhook.id}`,
        delivery.event_id,
        (item) => item.status === 'delivered',
      );
    }
    expect((await getDelivery(server.http, admin, old.id)).status).toBe('failed');
    expect(
      receiver.requests
        .filter((request) => request.answered === 200)
        .map((request) => request.headers['webhook-id'])
        .sort(),
    ).toEqual(recent.map((delivery) => delivery.event_id).sort());

    const everything = await server.http
      .post(path(`webhooks/${webhook.id}/recover`))
      .set('api_access_token', admin.token)
      .send({ since: '2000-01-01T00:00:00Z' })
      .expect(200);
    expect(everything.body).toEqual({ recovered: 1 });
    await awaitDelivery(
      server.http,
      admin,
      `webhooks/${webhook.id}`,
      old.event_id,
      (item) => item.status === 'delivered',
    );

    const invalid = await server.http
      .post(path(`webhooks/${webhook.id}/recover`))
      .set('api_access_token', admin.token)
      .send({ since: 'yesterday' });
    expect(invalid.status).toBe(422);
  });

  it('POST /webhooks/{id}/recover also sends the events that happened while the webhook was disabled', async () => {
    const webhook = await createWebhook(server.http, admin, {
      url: receiver.url('/recover-disabled'),
      subscriptions: ['conversation_created'],
    });
    const inbox = await createInbox(server.http, admin);
    const since = new Date().toISOString();
    await server.http
      .patch(path(`webhooks/${webhook.id}`))
      .set('api_access_token', admin.token)
      .send({ enabled: false })
      .expect(200);
    const missed = await newConversation(server, inbox);
    await server.http
      .patch(path(`webhooks/${webhook.id}`))
      .set('api_access_token', admin.token)
      .send({ enabled: true })
      .expect(200);
    // Nothing was queued for it while disabled.
    expect(await listDeliveries(server.http, admin, `webhooks/${webhook.id}`)).toEqual([]);

    const recovered = await server.http
      .post(path(`webhooks/${webhook.id}/recover`))
      .set('api_access_token', admin.token)
      .send({ since })
      .expect(200);
    expect(recovered.body).toEqual({ recovered: 1 });
    const arrived = await eventually(
      () => {
        const found = receiver.requests.filter(
          (request) =>
            request.path === '/recover-disabled' &&
            request.body.event === 'conversation_created' &&
            request.body.id === missed,
        );
        expect(found).toHaveLength(1);
        return found[0];
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(verifies(webhook.secret, arrived)).toBe(true);

    // Recovering again sends nothing twice.
    const again = await server.http
      .post(path(`webhooks/${webhook.id}/recover`))
      .set('api_access_token', admin.token)
      .send({ since })
      .expect(200);
    expect(again.body).toEqual({ recovered: 0 });
  });

  it('after rotate_secret, both the old and the new secret verify the same request during the overlap', async () => {
    const webhook = await createWebhook(server.http, admin, {
      url: receiver.url('/account'),
      subscriptions: ['message_created'],
    });
    const rotated = await server.http
      .post(path(`webhooks/${webhook.id}/rotate_secret`))
      .set('api_access_token', admin.token)
      .expect(200);
    const { secret, previous_secret_expires_at: expiresAt } = rotated.body.payload.webhook;
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(webhook.secret);
    // WEBHOOK_SECRET_OVERLAP_MS defaults to 24 h.
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(23 * 3_600_000);

    await server.http
      .post(path(`webhooks/${webhook.id}/test`))
      .set('api_access_token', admin.token)
      .expect(202);
    const request = await arrival(receiver, (item) => item.path === '/account');
    expect(signatureCount(request)).toBe(2);
    expect(verifies(secret, request)).toBe(true);
    expect(verifies(webhook.secret, request)).toBe(true);

    // The same for an inbox's own webhook.
    const inbox = await createInbox(server.http, admin, { webhook_url: receiver.url('/inbox') });
    const oldSecret = inbox.body.webhook_secret as string;
    const inboxRotated = await server.http
      .post(path(`inboxes/${inbox.id}/webhook/rotate_secret`))
      .set('api_access_token', admin.token)
      .expect(200);
    expect(inboxRotated.body).toMatchObject({
      inbox_id: inbox.id,
      previous_secret_active: true,
      secret: expect.stringMatching(/^whsec_/),
    });
    expect(inboxRotated.body.secret).not.toBe(oldSecret);
    await server.http
      .post(path(`inboxes/${inbox.id}/webhook/test`))
      .set('api_access_token', admin.token)
      .expect(202);
    const inboxRequest = await arrival(
      receiver,
      (item) => item.path === '/inbox' && item.body.event === 'webhook_test',
    );
    expect(verifies(inboxRotated.body.secret, inboxRequest)).toBe(true);
    expect(verifies(oldSecret, inboxRequest)).toBe(true);
  });

  it("an inbox's own webhook has the same controls under /inboxes/{id}/webhook", async () => {
    const plain = await createInbox(server.http, admin);
    expectProblem(
      await server.http
        .get(path(`inboxes/${plain.id}/webhook`))
        .set('api_access_token', admin.token),
      422,
      'inbox_webhook_not_set',
    );

    const inbox = await createInbox(server.http, admin, { webhook_url: receiver.url() });
    const shown = await server.http
      .get(path(`inboxes/${inbox.id}/webhook`))
      .set('api_access_token', admin.token)
      .expect(200);
    expect(shown.body).toEqual({
      inbox_id: inbox.id,
      url: receiver.url(),
      secret: inbox.body.webhook_secret,
      previous_secret_active: false,
      enabled: true,
      disabled_at: null,
      disabled_reason: null,
      failing_since: null,
    });

    // Disabled by an administrator: events meanwhile are not delivered to it.
    const disabled = await server.http
      .patch(path(`inboxes/${inbox.id}/webhook`))
      .set('api_access_token', admin.token)
      .send({ enabled: false })
      .expect(200);
    expect(disabled.body).toMatchObject({
      enabled: false,
      disabled_at: expect.any(String),
      disabled_reason: expect.any(String),
    });
    const quiet = await newConversation(server, inbox);
    await eventually(async () => {
      const { rows } = await testDatabase().query(
        `SELECT dispatched_at FROM domain_events WHERE account_id = $1 AND name = 'conversation_created'`,
        [admin.accountId],
      );
      expect(rows.map((row: { dispatched_at: Date | null }) => row.dispatched_at !== null)).toEqual(
        [true],
      );
    });
    expect(await listDeliveries(server.http, admin, `inboxes/${inbox.id}/webhook`)).toEqual([]);

    const enabled = await server.http
      .patch(path(`inboxes/${inbox.id}/webhook`))
      .set('api_access_token', admin.token)
      .send({ enabled: true })
      .expect(200);
    expect(enabled.body).toMatchObject({ enabled: true, disabled_at: null, disabled_reason: null });

    // Test event, failures, recover.
    await server.http
      .post(path(`inboxes/${inbox.id}/webhook/test`))
      .set('api_access_token', admin.token)
      .expect(202);
    const test = await arrival(receiver, (item) => item.body.event === 'webhook_test');
    expect(test.body.webhook).toMatchObject({ kind: 'inbox', inbox_id: inbox.id });
    expect(verifies(inbox.body.webhook_secret as string, test)).toBe(true);

    let down = true;
    receiver.responder = () => (down ? { status: 503 } : undefined);
    // After the quiet conversation: recover would send it too (it missed the disabled webhook).
    const since = new Date().toISOString();
    const loud = await newConversation(server, inbox);
    const failed = await eventually(
      async () => {
        const found = await listDeliveries(server.http, admin, `inboxes/${inbox.id}/webhook`, {
          status: 'failed',
        });
        expect(found.map((delivery) => delivery.conversation_id)).toContain(loud);
        return found;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    down = false;
    const recovered = await server.http
      .post(path(`inboxes/${inbox.id}/webhook/recover`))
      .set('api_access_token', admin.token)
      .send({ since })
      .expect(200);
    expect(recovered.body.recovered).toBe(failed.length);
    for (const delivery of failed) {
      await awaitDelivery(
        server.http,
        admin,
        `inboxes/${inbox.id}/webhook`,
        delivery.event_id,
        (item) => item.status === 'delivered',
      );
    }
    expect(receiver.requests.some((request) => conversationOf(request) === quiet)).toBe(false);
  });

  it('lists deliveries newest first with cursor pagination and a status filter', async () => {
    const webhook = await createWebhook(server.http, admin, {
      url: receiver.url(),
      subscriptions: ['conversation_created'],
    });
    // The receiver refuses the conversation of one contact, deciding by the body.
    receiver.responder = (request) =>
      request.body.meta?.sender?.name === 'Refused' ? { status: 500 } : undefined;
    const inbox = await createInbox(server.http, admin);
    const conversations: number[] = [];
    for (const name of ['One', 'Two', 'Three', 'Refused', 'Five']) {
      const contact = await createPublicContact(server.http, inbox, {
        identifier: unique('crm'),
        name,
      });
      conversations.push(await createPublicConversation(server.http, inbox, contact));
    }

    const all = await eventually(
      async () => {
        const items = await listDeliveries(server.http, admin, `webhooks/${webhook.id}`);
        expect(items.map((item) => item.status).filter((status) => status === 'pending')).toEqual(
          [],
        );
        expect(items).toHaveLength(5);
        return items;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    const ids = all.map((item) => item.id);
    expect(ids).toEqual([...ids].sort((x, y) => y - x));
    expect(all.map((item) => item.conversation_id)).toEqual([...conversations].reverse());

    const pages: Delivery[][] = [];
    let cursor: string | undefined;
    for (;;) {
      const response = await server.http
        .get(path(`webhooks/${webhook.id}/deliveries`))
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set('api_access_token', admin.token)
        .expect(200);
      pages.push(response.body.payload);
      expect(response.body.meta.has_more).toBe(response.body.meta.next_cursor !== null);
      if (!response.body.meta.has_more) break;
      cursor = response.body.meta.next_cursor;
    }
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat().map((item) => item.id)).toEqual(ids);

    const failed = await server.http
      .get(path(`webhooks/${webhook.id}/deliveries`))
      .query({ status: 'failed' })
      .set('api_access_token', admin.token)
      .expect(200);
    expect(failed.body.payload.map((item: Delivery) => item.conversation_id)).toEqual([
      conversations[3],
    ]);

    expectProblem(
      await server.http
        .get(path(`webhooks/${webhook.id}/deliveries`))
        .query({ cursor: 'not-a-cursor' })
        .set('api_access_token', admin.token),
      422,
      'invalid_cursor',
    );
    expect(
      (
        await server.http
          .get(path(`webhooks/${webhook.id}/deliveries`))
          .query({ limit: 101 })
          .set('api_access_token', admin.token)
      ).status,
    ).toBe(422);
  });

  it('GET /events returns the same event ids, sequences and bodies as the webhooks, with a cursor and filters', async () => {
    const inboxX = await createInbox(server.http, admin, { webhook_url: receiver.url('/x') });
    const inboxY = await createInbox(server.http, admin, { webhook_url: receiver.url('/y') });
    const conversations: number[] = [];
    for (const inbox of [inboxX, inboxY, inboxX]) {
      const contact = await createPublicContact(server.http, inbox, { identifier: unique('crm') });
      const conversationId = await createPublicConversation(server.http, inbox, contact);
      await postPublicMessage(server.http, inbox, contact, conversationId, {
        content: `hello from ${conversationId}`,
      });
      conversations.push(conversationId);
    }
    const stored = await eventually(async () => {
      const { rows } = await testDatabase().query(
        `SELECT event_id, inbox_id, conversation_id, dispatched_at FROM domain_events WHERE account_id = $1 ORDER BY id`,
        [admin.accountId],
      );
      expect(
        rows.filter((row: { dispatched_at: Date | null }) => row.dispatched_at === null),
      ).toEqual([]);
      return rows as {
        event_id: string;
        inbox_id: number | null;
        conversation_id: number | null;
      }[];
    });
    const webhookEvents = stored.filter((event) => event.conversation_id !== null);
    await eventually(() =>
      expect(receiver.requests.filter((request) => request.answered === 200)).toHaveLength(
        webhookEvents.length,
      ),
    );

    /** Every page of the feed with these filters, 2 events at a time. */
    const feed = async (query: Record<string, number | string> = {}) => {
      const items: Record<string, unknown>[] = [];
      let after: string | undefined;
      for (;;) {
        const response = await server.http
          .get(path('events'))
          .query({ ...query, limit: 2, ...(after ? { after } : {}) })
          .set('api_access_token', admin.token)
          .expect(200);
        items.push(...response.body.payload);
        after = response.body.meta.next_cursor;
        if (!response.body.meta.has_more) return { items, cursor: after };
      }
    };

    // The feed hands out an event once every transaction older than it has ended, cluster-wide
    // (pg_snapshot_xmin): a long transaction elsewhere on the server delays it, so poll.
    const everything = await eventually(
      async () => {
        const page = await feed();
        expect(page.items.map((item) => item.event_id)).toEqual(
          stored.map((event) => event.event_id),
        );
        return page;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    for (const request of receiver.requests) {
      const item = everything.items.find(
        (candidate) => candidate.event_id === request.headers['webhook-id'],
      );
      expect(item).toEqual(JSON.parse(request.raw));
    }

    // Polling from the last cursor: nothing new, the cursor stays; then exactly the new event.
    const idle = await server.http
      .get(path('events'))
      .query({ after: everything.cursor! })
      .set('api_access_token', admin.token)
      .expect(200);
    expect(idle.body).toEqual({
      payload: [],
      meta: { next_cursor: everything.cursor, has_more: false },
    });
    await server.http
      .post(path(`conversations/${conversations[1]}/messages`))
      .set('api_access_token', admin.token)
      .send({ content: 'one more' })
      .expect(201);
    const next = await eventually(
      async () => {
        const response = await server.http
          .get(path('events'))
          .query({ after: everything.cursor! })
          .set('api_access_token', admin.token)
          .expect(200);
        expect(response.body.payload.map((item: { content?: string }) => item.content)).toContain(
          'one more',
        );
        return response.body.payload as { event_id: string }[];
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(
      next.every((item) => !everything.items.some((old) => old.event_id === item.event_id)),
    ).toBe(true);

    const { rows: xRows } = await testDatabase().query(
      `SELECT event_id FROM domain_events WHERE account_id = $1 AND inbox_id = $2 ORDER BY id`,
      [admin.accountId, inboxX.id],
    );
    const x = await eventually(
      async () => {
        const page = await feed({ inbox_id: inboxX.id });
        expect(page.items.map((item) => item.event_id)).toEqual(
          xRows.map((row: { event_id: string }) => row.event_id),
        );
        return page;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(x.items.length).toBeGreaterThan(0);

    const first = await feed({ conversation_id: conversations[0] });
    const delivered = receiver.requests.filter(
      (request) => conversationOf(request) === conversations[0],
    );
    expect(first.items.map((item) => item.event_id)).toEqual(
      delivered.map((request) => request.headers['webhook-id']),
    );
    expect(first.items.map((item) => item.sequence)).toEqual(
      delivered.map((request) => request.body.sequence),
    );

    // Another account sees none of it.
    const other = await createAccount('Other');
    const foreign = await server.http
      .get(`${accountPath(other)}/events`)
      .set('api_access_token', other.token)
      .expect(200);
    expect(foreign.body.payload).toEqual([]);
    expectProblem(
      await server.http
        .get(path('events'))
        .query({ after: 'garbage' })
        .set('api_access_token', admin.token),
      422,
      'invalid_cursor',
    );
  });

  it('/health includes a webhooks indicator with the delivery backlog', async () => {
    const response = await server.http.get('/health').expect(200);
    expect(response.body.info.webhooks).toEqual({
      status: 'up',
      pending: expect.any(Number),
      oldest_overdue_ms: expect.any(Number),
    });
  });
});

describe('endpoint health and secret overlap settings', () => {
  let isolation: Isolation;
  let server: TestServer;
  let receiver: Receiver;
  let admin: TestAccount;

  beforeAll(async () => {
    isolation = await isolate('wh_health');
    server = await startServer({
      ...FAST_WEBHOOKS,
      // Retries every ~300 ms for 3 s; an endpoint failing for 1 s is disabled before they run out.
      WEBHOOK_RETRY_SCHEDULE_MS: Array(10).fill(300).join(','),
      WEBHOOK_DISABLE_AFTER_MS: '1000',
      WEBHOOK_SECRET_OVERLAP_MS: '0',
    });
  });
  afterAll(async () => {
    await server?.stop();
    await isolation?.release();
  });
  beforeEach(async () => {
    receiver = await Receiver.start();
    admin = await createAccount('Health');
  });
  afterEach(async () => {
    await receiver?.close();
  });

  const path = (suffix: string) => `${accountPath(admin)}/${suffix}`;

  it('with WEBHOOK_SECRET_OVERLAP_MS=0 only the new secret signs after a rotation', async () => {
    const webhook = await createWebhook(server.http, admin, {
      url: receiver.url('/account'),
      subscriptions: ['message_created'],
    });
    const rotated = await server.http
      .post(path(`webhooks/${webhook.id}/rotate_secret`))
      .set('api_access_token', admin.token)
      .expect(200);
    const { secret } = rotated.body.payload.webhook;
    expect(secret).not.toBe(webhook.secret);
    expect(rotated.body.payload.webhook.previous_secret_expires_at).toBeNull();
    await server.http
      .post(path(`webhooks/${webhook.id}/test`))
      .set('api_access_token', admin.token)
      .expect(202);
    const request = await arrival(receiver, (item) => item.path === '/account');
    expect(signatureCount(request)).toBe(1);
    expect(verifies(secret, request)).toBe(true);
    expect(verifies(webhook.secret, request)).toBe(false);

    const inbox = await createInbox(server.http, admin, { webhook_url: receiver.url('/inbox') });
    const inboxRotated = await server.http
      .post(path(`inboxes/${inbox.id}/webhook/rotate_secret`))
      .set('api_access_token', admin.token)
      .expect(200);
    expect(inboxRotated.body.previous_secret_active).toBe(false);
    await server.http
      .post(path(`inboxes/${inbox.id}/webhook/test`))
      .set('api_access_token', admin.token)
      .expect(202);
    const inboxRequest = await arrival(
      receiver,
      (item) => item.path === '/inbox' && item.body.event === 'webhook_test',
    );
    expect(verifies(inboxRotated.body.secret, inboxRequest)).toBe(true);
    expect(verifies(inbox.body.webhook_secret as string, inboxRequest)).toBe(false);
  });

  it('an account webhook failing for WEBHOOK_DISABLE_AFTER_MS is disabled with the reason; re-enabling resumes its deliveries', async () => {
    let down = true;
    receiver.responder = () => (down ? { status: 500 } : undefined);
    const webhook = await createWebhook(server.http, admin, {
      url: receiver.url(),
      subscriptions: ['conversation_created'],
    });
    await newConversation(server, await createInbox(server.http, admin));

    const disabled = await eventually(
      async () => {
        const found = await getWebhook(server.http, admin, webhook.id);
        expect(found.enabled).toBe(false);
        return found;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(disabled).toMatchObject({
      disabled_at: expect.any(String),
      disabled_reason: expect.stringMatching(
        /^Deliveries failed continuously since \d{4}-\d\d-\d\dT/,
      ),
      failing_since: expect.any(String),
    });
    expect(
      Date.parse(disabled.disabled_at!) - Date.parse(disabled.failing_since!),
    ).toBeGreaterThanOrEqual(1_000);
    // Stopped mid-schedule: the delivery is kept, not given up.
    const [waiting] = await listDeliveries(server.http, admin, `webhooks/${webhook.id}`);
    expect(waiting.status).toBe('pending');
    const attemptsWhenDisabled = receiver.requests.length;

    down = false;
    await server.http
      .patch(path(`webhooks/${webhook.id}`))
      .set('api_access_token', admin.token)
      .send({ enabled: true })
      .expect(200);
    const delivered = await awaitDelivery(
      server.http,
      admin,
      `webhooks/${webhook.id}`,
      waiting.event_id,
      (item) => item.status === 'delivered',
    );
    expect(delivered.attempt_log!.at(-1)).toMatchObject({ status_code: 200 });
    expect(receiver.requests.filter((request) => request.answered === 200)).toHaveLength(1);
    expect(receiver.requests.length).toBe(attemptsWhenDisabled + 1);
    expect(await getWebhook(server.http, admin, webhook.id)).toMatchObject({
      enabled: true,
      failing_since: null,
    });
  });

  it('an inbox webhook failing for WEBHOOK_DISABLE_AFTER_MS is disabled too, and re-enabled under /inboxes/{id}/webhook', async () => {
    let down = true;
    receiver.responder = () => (down ? { status: 500 } : undefined);
    const inbox = await createInbox(server.http, admin, { webhook_url: receiver.url() });
    const conversationId = await newConversation(server, inbox);

    const disabled = await eventually(
      async () => {
        const response = await server.http
          .get(path(`inboxes/${inbox.id}/webhook`))
          .set('api_access_token', admin.token)
          .expect(200);
        expect(response.body.enabled).toBe(false);
        return response.body;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(disabled.disabled_reason).toMatch(/^Deliveries failed continuously since/);

    down = false;
    await server.http
      .patch(path(`inboxes/${inbox.id}/webhook`))
      .set('api_access_token', admin.token)
      .send({ enabled: true })
      .expect(200);
    await eventually(
      () =>
        expect(
          receiver.requests.filter(
            (request) => request.answered === 200 && conversationOf(request) === conversationId,
          ).length,
        ).toBeGreaterThan(0),
      { timeoutMs: 10_000 },
    );
  });
});
