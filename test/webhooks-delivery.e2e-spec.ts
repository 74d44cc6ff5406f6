import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import {
  accountPath,
  addInboxMembers,
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
import { freePort, startServer } from './support/server.js';
import type { TestServer } from './support/server.js';
import {
  awaitDelivery,
  createWebhook,
  FAST_WEBHOOKS,
  getWebhook,
  isolate,
  listDeliveries,
  Receiver,
  reply,
  verifies,
} from './support/webhooks.js';
import type { Delivery, Isolation, Received } from './support/webhooks.js';

/**
 * Delivery to a real receiver on 127.0.0.1: what is sent and signed, who gets what, and each
 * way an attempt can fail. One server (retries after 100, 200 and 300 ms, 1 s timeout) on its
 * own database; a fresh account and receiver per test.
 */
describe('webhook delivery', () => {
  let isolation: Isolation;
  let server: TestServer;
  let receiver: Receiver;
  let admin: TestAccount;

  beforeAll(async () => {
    isolation = await isolate('wh_delivery');
    server = await startServer(FAST_WEBHOOKS);
  });
  afterAll(async () => {
    await server?.stop();
    await isolation?.release();
  });
  // A fresh account per test, so no test's webhooks hear another test's events.
  beforeEach(async () => {
    receiver = await Receiver.start();
    admin = await createAccount('Webhooks');
  });
  afterEach(async () => {
    await receiver?.close();
  });

  /** A new conversation in `inbox` (a new contact); answers its display id. */
  async function newConversation(inbox: TestInbox): Promise<number> {
    const contact = await createPublicContact(server.http, inbox, {
      identifier: unique('crm'),
      name: 'Casey Contact',
    });
    return createPublicConversation(server.http, inbox, contact);
  }

  /** An account webhook for conversation_created only, and the event of one new conversation. */
  async function oneEvent(path = '/hook') {
    const webhook = await createWebhook(server.http, admin, {
      url: receiver.url(path),
      subscriptions: ['conversation_created'],
    });
    const inbox = await createInbox(server.http, admin);
    const conversationId = await newConversation(inbox);
    const first = await eventually(() => {
      const [request] = receiver.at(path);
      expect(request).toBeDefined();
      return request;
    });
    expect(first.body).toMatchObject({ event: 'conversation_created', id: conversationId });
    return { webhook, eventId: first.headers['webhook-id'], conversationId };
  }

  const statuses = (delivery: Delivery) =>
    delivery.attempt_log!.map((attempt) => attempt.status_code);

  it('an agent reply reaches the inbox webhook signed per Standard Webhooks, with the event envelope', async () => {
    const agent = await createAgent(server.http, admin);
    const inbox = await createInbox(server.http, admin, { webhook_url: receiver.url() });
    const secret = inbox.body.webhook_secret as string;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    await addInboxMembers(server.http, admin, inbox.id, [agent.userId]);
    const contact = await createPublicContact(server.http, inbox, {
      identifier: unique('crm'),
      name: 'Casey Contact',
    });
    const conversationId = await createPublicConversation(server.http, inbox, contact);
    await postPublicMessage(server.http, inbox, contact, conversationId, {
      content: 'Where is my order?',
    });
    const message = await reply(server.http, admin, agent, conversationId, 'It ships today.');

    const request = await eventually(() => {
      const [found] = receiver.requests.filter(
        (item) => item.body.event === 'message_created' && item.body.id === message.id,
      );
      expect(found).toBeDefined();
      return found;
    });

    expect(request.headers).toMatchObject({
      'webhook-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
      'webhook-timestamp': expect.stringMatching(/^\d{10}$/),
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]+=*$/),
      'content-type': 'application/json',
      'user-agent': expect.stringMatching(/^Conversa-Webhooks\/\d+\.\d+\.\d+$/),
    });
    expect(Math.abs(Number(request.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(
      300,
    );
    expect(verifies(secret, request)).toBe(true);
    expect(verifies(`whsec_${randomBytes(24).toString('base64')}`, request)).toBe(false);
    expect(
      verifies(secret, {
        ...request,
        raw: request.raw.replace('It ships today.', 'It ships never.'),
      }),
    ).toBe(false);

    expect(request.body).toMatchObject({
      event: 'message_created',
      event_id: request.headers['webhook-id'],
      sequence: expect.any(Number),
      occurred_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      id: message.id,
      content: 'It ships today.',
      message_type: 'outgoing',
      private: false,
      conversation: { id: conversationId, inbox_id: inbox.id },
      inbox: { id: inbox.id },
      account: { id: admin.accountId, name: 'Webhooks' },
      sender: { id: agent.userId, type: 'user' },
    });

    // The conversation's events before it came first, in sequence order, all verifiable.
    const conversationEvents = receiver.requests.filter(
      (item) => (item.body.conversation?.id ?? item.body.id) === conversationId,
    );
    expect(conversationEvents.map((item) => item.body.event)).toEqual(
      expect.arrayContaining(['conversation_created', 'message_created', 'message_created']),
    );
    const sequences = conversationEvents.map((item) => item.body.sequence);
    expect(sequences).toEqual([...sequences].sort((x, y) => x - y));
    expect(conversationEvents.every((item) => verifies(secret, item))).toBe(true);

    // The delivery record names the same event.
    const deliveries = await listDeliveries(server.http, admin, `inboxes/${inbox.id}/webhook`);
    expect(
      deliveries.find((delivery) => delivery.event_id === request.headers['webhook-id']),
    ).toMatchObject({
      event: 'message_created',
      conversation_id: conversationId,
      sequence: request.body.sequence,
      status: 'delivered',
      attempts: 1,
      last_status_code: 200,
    });
  });

  it('account webhooks get exactly the events they subscribe to, of their inbox only when filtered', async () => {
    const inboxX = await createInbox(server.http, admin);
    const inboxY = await createInbox(server.http, admin);
    const all = await createWebhook(server.http, admin, {
      url: receiver.url('/all'),
      subscriptions: ['conversation_created', 'message_created', 'conversation_status_changed'],
    });
    const xMessages = await createWebhook(server.http, admin, {
      url: receiver.url('/x-messages'),
      subscriptions: ['message_created'],
      inbox_id: inboxX.id,
    });
    const statusChanges = await createWebhook(server.http, admin, {
      url: receiver.url('/status'),
      subscriptions: ['conversation_status_changed'],
    });
    expect(xMessages).toMatchObject({
      inbox_id: inboxX.id,
      subscriptions: ['message_created'],
      enabled: true,
    });

    for (const inbox of [inboxX, inboxY]) {
      const contact = await createPublicContact(server.http, inbox, { identifier: unique('crm') });
      const conversationId = await createPublicConversation(server.http, inbox, contact);
      await postPublicMessage(server.http, inbox, contact, conversationId, {
        content: `hello ${inbox.id}`,
      });
      await reply(server.http, admin, admin, conversationId, `reply ${inbox.id}`);
      await server.http
        .post(`${accountPath(admin)}/conversations/${conversationId}/toggle_status`)
        .set('api_access_token', admin.token)
        .send({ status: 'resolved' })
        .expect(200);
    }

    // What each webhook should get, from the stored events once all are fanned out.
    const events = await eventually(async () => {
      const { rows } = await testDatabase().query(
        `SELECT event_id, name, inbox_id, dispatched_at FROM domain_events WHERE account_id = $1 ORDER BY id`,
        [admin.accountId],
      );
      expect(
        rows.filter((row: { dispatched_at: Date | null }) => row.dispatched_at === null),
      ).toEqual([]);
      return rows as { event_id: string; name: string; inbox_id: number | null }[];
    });
    const expected = (names: string[], inboxId?: number) =>
      events
        .filter(
          (event) =>
            names.includes(event.name) && (inboxId === undefined || event.inbox_id === inboxId),
        )
        .map((event) => event.event_id)
        .sort();
    const wants = {
      '/all': expected(all.subscriptions),
      '/x-messages': expected(['message_created'], inboxX.id),
      '/status': expected(['conversation_status_changed']),
    };
    expect(wants['/x-messages'].length).toBeGreaterThanOrEqual(2);
    expect(wants['/status']).toHaveLength(2);
    expect(events.some((event) => event.name === 'contact_created')).toBe(true);

    await eventually(() => {
      for (const [path, ids] of Object.entries(wants)) {
        expect({
          path,
          ids: receiver
            .at(path)
            .map((request) => request.headers['webhook-id'])
            .sort(),
        }).toEqual({ path, ids });
      }
    });
    // Nothing else was even queued for them.
    for (const [webhook, path] of [
      [all, '/all'],
      [xMessages, '/x-messages'],
      [statusChanges, '/status'],
    ] as const) {
      const deliveries = await listDeliveries(server.http, admin, `webhooks/${webhook.id}`);
      expect(deliveries.map((delivery) => delivery.event_id).sort()).toEqual(wants[path]);
    }
    for (const request of receiver.at('/x-messages')) expect(request.body.inbox.id).toBe(inboxX.id);
    expect(
      receiver.requests.every((request) =>
        verifies(
          [all, xMessages, statusChanges].find(
            (webhook) => webhook.url === receiver.url(request.path),
          )!.secret,
          request,
        ),
      ),
    ).toBe(true);
  });

  it('a receiver failing 3 times then answering 200 gets one success, with every attempt logged under one webhook-id', async () => {
    // The third answer is long: only its first 4 KiB are kept.
    const long = `failure 3 ${'x'.repeat(10_000)}`;
    receiver.responder = (_request, earlier) =>
      earlier.length < 3
        ? { status: 500, body: earlier.length === 2 ? long : `failure ${earlier.length + 1}` }
        : undefined;
    const { webhook, eventId } = await oneEvent();
    const delivery = await awaitDelivery(
      server.http,
      admin,
      `webhooks/${webhook.id}`,
      eventId,
      (item) => item.status === 'delivered',
    );

    expect(delivery).toMatchObject({
      status: 'delivered',
      attempts: 4,
      last_status_code: 200,
      last_error: null,
      delivered_at: expect.any(String),
    });
    expect(delivery.attempt_log).toEqual([
      {
        attempted_at: expect.any(String),
        status_code: 500,
        duration_ms: expect.any(Number),
        response_excerpt: 'failure 1',
        error: 'answered 500',
      },
      {
        attempted_at: expect.any(String),
        status_code: 500,
        duration_ms: expect.any(Number),
        response_excerpt: 'failure 2',
        error: 'answered 500',
      },
      {
        attempted_at: expect.any(String),
        status_code: 500,
        duration_ms: expect.any(Number),
        response_excerpt: long.slice(0, 4_096),
        error: 'answered 500',
      },
      {
        attempted_at: expect.any(String),
        status_code: 200,
        duration_ms: expect.any(Number),
        response_excerpt: 'ok',
        error: null,
      },
    ]);
    expect(receiver.requests.map((request) => request.headers['webhook-id'])).toEqual([
      eventId,
      eventId,
      eventId,
      eventId,
    ]);
    expect(receiver.requests.map((request) => request.answered)).toEqual([500, 500, 500, 200]);
    // The same body every time (recorded once, not rebuilt), freshly signed each time.
    expect(new Set(receiver.requests.map((request) => request.raw)).size).toBe(1);
    expect(receiver.requests.every((request) => verifies(webhook.secret, request))).toBe(true);
  });

  it('a receiver slower than WEBHOOK_TIMEOUT_MS counts as a failed attempt (timeout), then retried', async () => {
    receiver.responder = (_request, earlier) =>
      earlier.length === 0 ? { delayMs: 3_000 } : undefined;
    const { webhook, eventId } = await oneEvent();
    const delivery = await awaitDelivery(
      server.http,
      admin,
      `webhooks/${webhook.id}`,
      eventId,
      (item) => item.status === 'delivered',
    );

    expect(delivery.attempts).toBe(2);
    expect(delivery.attempt_log![0]).toMatchObject({
      status_code: null,
      error: expect.stringMatching(/timed out after 1000 ms/),
    });
    expect(delivery.attempt_log![1]).toMatchObject({ status_code: 200, error: null });
    expect(receiver.requests.map((request) => request.headers['webhook-id'])).toEqual([
      eventId,
      eventId,
    ]);
  });

  it('connection refused on every attempt: the delivery fails, the outgoing message is marked failed, and it can be redelivered', async () => {
    const port = await freePort(); // nothing listens there
    const inbox = await createInbox(server.http, admin, {
      webhook_url: `http://127.0.0.1:${port}/hook`,
    });
    const conversationId = await newConversation(inbox);
    const message = await reply(server.http, admin, admin, conversationId, 'Nobody will hear this');

    const {
      rows: [event],
    } = await testDatabase().query(
      `SELECT event_id FROM domain_events WHERE account_id = $1 AND name = 'message_created' AND (payload->>'id')::int = $2`,
      [admin.accountId, message.id],
    );
    const delivery = await awaitDelivery(
      server.http,
      admin,
      `inboxes/${inbox.id}/webhook`,
      event.event_id,
      (item) => item.status === 'failed',
    );
    // First try and the 3 retries of the schedule, each refused.
    expect(delivery).toMatchObject({
      status: 'failed',
      attempts: 4,
      failed_at: expect.any(String),
      next_attempt_at: null,
    });
    expect(delivery.attempt_log).toHaveLength(4);
    for (const attempt of delivery.attempt_log!) {
      expect(attempt).toMatchObject({
        status_code: null,
        error: expect.stringContaining('ECONNREFUSED'),
      });
    }
    expect(delivery.last_error).toContain('ECONNREFUSED');

    // The agent sees that the reply did not reach the integrator's system, and why.
    const failedReply = await eventually(async () => {
      const response = await server.http
        .get(`${accountPath(admin)}/conversations/${conversationId}/messages`)
        .set('api_access_token', admin.token)
        .expect(200);
      const found = response.body.payload.find((item: { id: number }) => item.id === message.id);
      expect(found.status).toBe('failed');
      return found;
    });
    expect(failedReply.content_attributes.external_error).toEqual(
      expect.stringContaining('ECONNREFUSED'),
    );

    // Once the receiver is up, the failed delivery can be sent again, same webhook-id.
    const revived = await Receiver.start(port);
    try {
      const response = await server.http
        .post(`${accountPath(admin)}/webhook_deliveries/${delivery.id}/redeliver`)
        .set('api_access_token', admin.token)
        .expect(202);
      expect(response.body).toMatchObject({ id: delivery.id, event_id: delivery.event_id });
      const redelivered = await awaitDelivery(
        server.http,
        admin,
        `inboxes/${inbox.id}/webhook`,
        delivery.event_id,
        (item) => item.status === 'delivered',
      );
      expect(redelivered.attempt_log!.map((attempt) => attempt.status_code)).toEqual([
        null,
        null,
        null,
        null,
        200,
      ]);
      const arrived = revived.requests.filter(
        (request) => request.headers['webhook-id'] === delivery.event_id,
      );
      expect(arrived).toHaveLength(1);
      // The body as recorded when the message was sent (status sent), not the message now (failed).
      expect(arrived[0].body).toMatchObject({
        event: 'message_created',
        id: message.id,
        content: 'Nobody will hear this',
        status: 'sent',
      });
      expect(arrived[0].body.content_attributes.external_error).toBeUndefined();
      expect(verifies(inbox.body.webhook_secret as string, arrived[0])).toBe(true);
    } finally {
      await revived.close();
    }
  });

  it('410 Gone disables the endpoint at once, with the reason shown; PATCH enabled:true turns it back on', async () => {
    receiver.responder = () => ({ status: 410, body: 'gone for good' });
    const { webhook, eventId } = await oneEvent();
    const failed = await awaitDelivery(
      server.http,
      admin,
      `webhooks/${webhook.id}`,
      eventId,
      (item) => item.status === 'failed',
    );
    expect(failed).toMatchObject({ attempts: 1, last_status_code: 410 });
    expect(statuses(failed)).toEqual([410]);
    expect(receiver.requests).toHaveLength(1);

    const disabled = await getWebhook(server.http, admin, webhook.id);
    expect(disabled).toMatchObject({
      enabled: false,
      disabled_at: expect.any(String),
      disabled_reason: expect.stringContaining('410'),
    });

    receiver.responder = () => undefined;
    const enabled = await server.http
      .patch(`${accountPath(admin)}/webhooks/${webhook.id}`)
      .set('api_access_token', admin.token)
      .send({ enabled: true })
      .expect(200);
    expect(enabled.body.payload.webhook).toMatchObject({
      enabled: true,
      disabled_at: null,
      disabled_reason: null,
    });
    expect(await getWebhook(server.http, admin, webhook.id)).toMatchObject({
      enabled: true,
      disabled_at: null,
    });

    // New events flow again, and the refused one can be redelivered.
    const inbox = await createInbox(server.http, admin);
    const conversationId = await newConversation(inbox);
    await eventually(() =>
      expect(
        receiver.requests.filter(
          (request) => request.body.id === conversationId && request.answered === 200,
        ),
      ).toHaveLength(1),
    );
    await server.http
      .post(`${accountPath(admin)}/webhook_deliveries/${failed.id}/redeliver`)
      .set('api_access_token', admin.token)
      .expect(202);
    await awaitDelivery(
      server.http,
      admin,
      `webhooks/${webhook.id}`,
      eventId,
      (item) => item.status === 'delivered',
    );
    expect(
      receiver.requests
        .filter((request) => request.headers['webhook-id'] === eventId)
        .map((request) => request.answered),
    ).toEqual([410, 200]);
  });

  it('429 and 503 with Retry-After: the next attempt waits at least as long as asked', async () => {
    receiver.responder = (_request, earlier) => {
      if (earlier.length === 0) return { status: 429, headers: { 'retry-after': '2' } };
      if (earlier.length === 1) return { status: 503, headers: { 'retry-after': '1' } };
      return undefined;
    };
    const { webhook, eventId } = await oneEvent();
    const delivery = await awaitDelivery(
      server.http,
      admin,
      `webhooks/${webhook.id}`,
      eventId,
      (item) => item.status === 'delivered',
    );

    expect(statuses(delivery)).toEqual([429, 503, 200]);
    const [first, second, third] = delivery.attempt_log!.map((attempt) =>
      Date.parse(attempt.attempted_at),
    );
    // The schedule alone would retry after ~100 and ~200 ms.
    expect(second - first).toBeGreaterThanOrEqual(2_000);
    expect(third - second).toBeGreaterThanOrEqual(1_000);
    expect(receiver.requests[1].at - receiver.requests[0].at).toBeGreaterThanOrEqual(1_900);
  });

  it('a redirect, even to a private address, is not followed: it is a failed attempt', async () => {
    receiver.responder = (_request, earlier) => {
      if (earlier.length === 0)
        return { status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } };
      if (earlier.length === 1)
        return { status: 307, headers: { location: receiver.url('/trap') } };
      return undefined;
    };
    const { webhook, eventId } = await oneEvent();
    const delivery = await awaitDelivery(
      server.http,
      admin,
      `webhooks/${webhook.id}`,
      eventId,
      (item) => item.status === 'delivered',
    );

    expect(statuses(delivery)).toEqual([302, 307, 200]);
    expect(delivery.attempt_log![0].error).toMatch(/302.*redirects are not followed/);
    expect(delivery.attempt_log![1].error).toMatch(/307.*redirects are not followed/);
    expect(receiver.at('/trap')).toHaveLength(0);
    expect(receiver.requests.map((request: Received) => request.path)).toEqual([
      '/hook',
      '/hook',
      '/hook',
    ]);
  });
});
