import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  accountPath,
  createInbox,
  createPublicContact,
  createPublicConversation,
  postPublicMessage,
  publicPath,
  unique,
} from './support/api-channel.js';
import { closeTestDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { createAccount } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { expectProblem } from './support/problems.js';
import { startServerProcess } from './support/server-process.js';
import type { ServerProcess } from './support/server-process.js';

// Inboxes and automation rules are cached per process and emptied through the change feed
// (PostgreSQL NOTIFY): a change made through one process must reach another at once.
describe('cached lookups across processes', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let admin: TestAccount;
  // Generous for a loaded machine; the notification itself takes milliseconds.
  const soon = { timeoutMs: 2_000, intervalMs: 20 };

  beforeAll(async () => {
    [a, b] = await Promise.all([startServerProcess(), startServerProcess()]);
    admin = await createAccount('Change feed');
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await closeTestDatabase();
  });

  it('an inbox changed or deleted through one process is seen so by the other', async () => {
    const inbox = await createInbox(a.http, admin);
    const contact = await createPublicContact(b.http, inbox, { identifier: unique('dana') });
    const path = `${publicPath(inbox.identifier)}/contacts/${contact.sourceId}`;
    await b.http.get(path).expect(200); // b now holds the inbox in its cache

    await a.http
      .patch(`${accountPath(admin)}/inboxes/${inbox.id}`)
      .set('api_access_token', admin.token)
      .send({ channel: { hmac_mandatory: true } })
      .expect(200);
    await eventually(async () => {
      expectProblem(await b.http.get(path), 401, 'identity_verification_required');
    }, soon);

    await a.http
      .delete(`${accountPath(admin)}/inboxes/${inbox.id}`)
      .set('api_access_token', admin.token)
      .expect((response) => expect(response.status).toBeLessThan(300));
    await eventually(async () => {
      expect((await b.http.get(path)).status).toBe(404);
    }, soon);
  });

  it('an automation rule created through one process runs in the other', async () => {
    const inbox = await createInbox(a.http, admin);
    const contact = await createPublicContact(b.http, inbox, { identifier: unique('eli') });
    const conversationId = await createPublicConversation(b.http, inbox, contact);
    // b has looked the account's message rules up (none yet).
    await postPublicMessage(b.http, inbox, contact, conversationId, { content: 'before' });

    await a.http
      .post(`${accountPath(admin)}/automation_rules`)
      .set('api_access_token', admin.token)
      .send({
        name: 'Tag every message',
        event_name: 'message_created',
        conditions: [],
        actions: [{ action_name: 'add_label', action_params: ['seen-by-b'] }],
      })
      .expect(201);
    await eventually(async () => {
      await postPublicMessage(b.http, inbox, contact, conversationId, { content: 'after' });
      const conversation = await a.http
        .get(`${accountPath(admin)}/conversations/${conversationId}`)
        .set('api_access_token', admin.token)
        .expect(200);
      expect(conversation.body.labels).toContain('seen-by-b');
    }, soon);
  });
});
