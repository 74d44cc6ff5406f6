import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  accountPath,
  createPublicConversation,
  postPublicMessage,
  seedConversation,
} from './support/api-channel.js';
import { testDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { createAccount } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { startServer } from './support/server.js';
import type { TestServer } from './support/server.js';
import { createWebhook, FAST_WEBHOOKS, isolate, Receiver } from './support/webhooks.js';
import type { Isolation } from './support/webhooks.js';

/** Deliveries and the purge follow the response; give a loaded machine time. */
function soon<T>(assertion: () => T | Promise<T>): Promise<T> {
  return eventually(assertion, { timeoutMs: 20_000, intervalMs: 100 });
}

/**
 * conversation_deleted, which the webhooks section of the OpenAPI document lists: sent for each
 * conversation a contact deletion or an inbox deletion removes, with the conversation as it was.
 */
describe('conversation_deleted', () => {
  let isolation: Isolation;
  let server: TestServer;
  let receiver: Receiver;
  let admin: TestAccount;

  /** The display ids of the conversations whose conversation_deleted reached the receiver. */
  const deletedIds = () =>
    receiver
      .events('conversation_deleted', '/deleted')
      .map((request) => request.body.id as number)
      .sort((a, b) => a - b);

  async function conversationCount(column: 'contact_id' | 'inbox_id', id: number) {
    const { rows } = await testDatabase().query(
      `SELECT count(*)::int AS n FROM conversations WHERE ${column} = $1`,
      [id],
    );
    return rows[0].n;
  }

  beforeAll(async () => {
    isolation = await isolate('conversation_deleted');
    server = await startServer(FAST_WEBHOOKS);
    receiver = await Receiver.start();
    admin = await createAccount('Deleters');
    await createWebhook(server.http, admin, {
      url: receiver.url('/deleted'),
      subscriptions: ['conversation_deleted', 'contact_deleted'],
    });
  });
  afterAll(async () => {
    await receiver?.close();
    await server?.stop();
    await isolation?.release();
  });

  it('is sent for each conversation of a deleted contact, with contact_deleted', async () => {
    const { inbox, contact, conversationId } = await seedConversation(server.http, admin);
    const second = await createPublicConversation(server.http, inbox, contact);
    await postPublicMessage(server.http, inbox, contact, second, { content: 'Second' });
    // Another contact's conversation in the same inbox stays.
    const other = await seedConversation(server.http, admin);

    await server.http
      .delete(`${accountPath(admin)}/contacts/${contact.id}`)
      .set('api_access_token', admin.token)
      .expect(200);

    expect(await conversationCount('contact_id', contact.id)).toBe(0);
    await soon(() => {
      expect(deletedIds()).toEqual([conversationId, second].sort((a, b) => a - b));
      expect(receiver.events('contact_deleted', '/deleted')).toHaveLength(1);
    });
    const [event] = receiver
      .events('conversation_deleted', '/deleted')
      .filter((request) => request.body.id === conversationId);
    expect(event.body).toMatchObject({
      event: 'conversation_deleted',
      id: conversationId,
      status: 'open',
      inbox: { id: inbox.id },
      account: { id: admin.accountId },
      meta: { sender: { id: contact.id } },
    });
    expect(await conversationCount('inbox_id', other.inbox.id)).toBe(1);
    expect(deletedIds()).not.toContain(other.conversationId);
  });

  it('is sent for each conversation of a deleted inbox, as its purge removes them', async () => {
    const { inbox, contact, conversationId } = await seedConversation(server.http, admin);
    const second = await createPublicConversation(server.http, inbox, contact);
    const before = deletedIds();

    await server.http
      .delete(`${accountPath(admin)}/inboxes/${inbox.id}`)
      .set('api_access_token', admin.token)
      .expect(200);

    await soon(async () => {
      expect(await conversationCount('inbox_id', inbox.id)).toBe(0);
      expect(deletedIds()).toEqual([...before, conversationId, second].sort((a, b) => a - b));
    });
  });
});
