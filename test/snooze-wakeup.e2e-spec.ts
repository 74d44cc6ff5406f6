import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { accountPath, postPublicMessage, seedConversation } from './support/api-channel.js';
import { eventually } from './support/eventually.js';
import { createAccount } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { startServer } from './support/server.js';
import type { TestServer } from './support/server.js';
import { createWebhook, FAST_WEBHOOKS, isolate, Receiver } from './support/webhooks.js';
import type { Isolation } from './support/webhooks.js';

/** The wake-up runs after the snooze ends; give a loaded machine time. */
function soon<T>(assertion: () => T | Promise<T>): Promise<T> {
  return eventually(assertion, { timeoutMs: 20_000, intervalMs: 100 });
}

/**
 * A conversation snoozed until a time opens by itself when the time passes, on a server whose
 * worker looks every 200 ms: the status, the activity message, the webhook and the
 * conversation_opened automation event, as for an agent's reopen.
 */
describe('snooze wake-up', () => {
  let isolation: Isolation;
  let server: TestServer;
  let receiver: Receiver;
  let admin: TestAccount;

  const conversationPath = (displayId: number) =>
    `${accountPath(admin)}/conversations/${displayId}`;

  async function conversation(displayId: number) {
    const response = await server.http
      .get(conversationPath(displayId))
      .set('api_access_token', admin.token);
    expect({ status: response.status }).toEqual({ status: 200 });
    return response.body;
  }

  async function activities(displayId: number): Promise<string[]> {
    const response = await server.http
      .get(`${conversationPath(displayId)}/messages`)
      .set('api_access_token', admin.token)
      .expect(200);
    return response.body.payload
      .filter((message: { message_type: number }) => message.message_type === 2)
      .map((message: { content: string }) => message.content);
  }

  async function snooze(displayId: number, until: Date | null) {
    const response = await server.http
      .post(`${conversationPath(displayId)}/toggle_status`)
      .set('api_access_token', admin.token)
      .send({ status: 'snoozed', ...(until ? { snoozed_until: until.toISOString() } : {}) });
    expect({ status: response.status, body: response.body }).toMatchObject({
      status: 200,
      body: { payload: { current_status: 'snoozed' } },
    });
  }

  beforeAll(async () => {
    // A database of its own: this server wakes every due conversation of its database.
    isolation = await isolate('snooze_wakeup');
    server = await startServer({ ...FAST_WEBHOOKS, SNOOZE_WAKE_INTERVAL_MS: '200' });
    receiver = await Receiver.start();
    admin = await createAccount('Snoozers');
    await createWebhook(server.http, admin, {
      url: receiver.url('/status'),
      subscriptions: ['conversation_status_changed'],
    });
    const rule = await server.http
      .post(`${accountPath(admin)}/automation_rules`)
      .set('api_access_token', admin.token)
      .send({
        name: 'Tag woken conversations',
        event_name: 'conversation_opened',
        conditions: [],
        actions: [{ action_name: 'add_label', action_params: ['reopened'] }],
      });
    expect({ status: rule.status, body: rule.body }).toMatchObject({ status: 201 });
  });
  afterAll(async () => {
    await receiver?.close();
    await server?.stop();
    await isolation?.release();
  });

  it('reopens a conversation when its snoozed_until passes', async () => {
    const { conversationId } = await seedConversation(server.http, admin);
    await snooze(conversationId, new Date(Date.now() + 3_000));

    await soon(async () =>
      expect(await conversation(conversationId)).toMatchObject({
        status: 'open',
        snoozed_until: null,
        labels: ['reopened'],
      }),
    );
    expect((await activities(conversationId)).at(-1)).toBe(
      'Conversation was reopened as its snooze ended',
    );
    await soon(() =>
      expect(
        receiver
          .events('conversation_status_changed', '/status')
          .filter((request) => request.body.id === conversationId)
          .map((request) => [request.body.status, request.body.previous_status]),
      ).toEqual([
        ['snoozed', 'open'],
        ['open', 'snoozed'],
      ]),
    );
  });

  it('leaves a conversation snoozed without a time until the contact writes', async () => {
    const { inbox, contact, conversationId } = await seedConversation(server.http, admin);
    await snooze(conversationId, null);
    // A conversation snoozed until a moment from now, after this one: once the worker has
    // woken it, it has passed over the one without a time.
    const marker = await seedConversation(server.http, admin);
    await snooze(marker.conversationId, new Date(Date.now() + 2_000));
    await soon(async () =>
      expect(await conversation(marker.conversationId)).toMatchObject({ status: 'open' }),
    );
    expect(await conversation(conversationId)).toMatchObject({
      status: 'snoozed',
      snoozed_until: null,
    });

    await postPublicMessage(server.http, inbox, contact, conversationId, { content: 'Any news?' });
    expect(await conversation(conversationId)).toMatchObject({ status: 'open' });
  });
});
