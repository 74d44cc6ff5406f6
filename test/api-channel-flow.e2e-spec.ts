import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  accountPath,
  addInboxMembers,
  createInbox,
  createPublicContact,
  createPublicConversation,
  postPublicMessage,
  publicPath,
  seedConversation,
  unique,
} from './support/api-channel.js';
import type { TestContact, TestInbox } from './support/api-channel.js';
import { closeTestDatabase, testDatabase } from './support/database.js';
import { createAccount, createAgent } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { expectProblem } from './support/problems.js';
import { startServer, TestServer } from './support/server.js';

/**
 * The help-center article "API channel for custom integrations", step by step, over HTTP:
 * an administrator creates the inbox, the integrator's system talks to it through the
 * Client API, an agent who is a member replies, and the contact sees the reply.
 */
describe('API channel: the article step by step', () => {
  let server: TestServer;
  let admin: TestAccount;
  let agent: { userId: number; token: string; email: string };
  let agentName: string;
  let inbox: TestInbox;
  let contact: TestContact;
  let conversationId: number;
  let incomingId: number;
  let replyId: number;
  let noteId: number;
  let internalId: number;

  const db = () => testDatabase();
  const contactBase = () => `${publicPath(inbox.identifier)}/contacts/${contact.sourceId}`;
  const conversationBase = () => `${accountPath(admin)}/conversations/${conversationId}`;

  beforeAll(async () => {
    server = await startServer();
    admin = await createAccount('Article');
    agent = await createAgent(server.http, admin);
    const profile = await server.http
      .get('/api/v1/profile')
      .set('api_access_token', agent.token)
      .expect(200);
    agentName = profile.body.available_name;
  });
  afterAll(async () => {
    await server?.stop();
    await closeTestDatabase();
  });

  /** The public messages list of the conversation, as the contact sees it. */
  async function publicMessages() {
    const response = await server.http
      .get(`${contactBase()}/conversations/${conversationId}/messages`)
      .expect(200);
    return response.body as {
      id: number;
      content: string;
      message_type: number;
      private: boolean;
      status: string;
    }[];
  }

  /** Every message of the conversation, as an agent sees it. */
  async function agentMessages() {
    const response = await server.http
      .get(`${conversationBase()}/messages`)
      .set('api_access_token', agent.token)
      .expect(200);
    return response.body.payload as {
      id: number;
      content: string;
      message_type: number;
      private: boolean;
      status: string;
      content_attributes: Record<string, unknown>;
    }[];
  }

  it('steps 1-3: an administrator creates an API inbox with a webhook URL and gets its identifier', async () => {
    const response = await server.http
      .post(`${accountPath(admin)}/inboxes`)
      .set('api_access_token', admin.token)
      .send({
        name: 'Legacy CRM',
        channel: { type: 'api', webhook_url: 'https://crm.example.test/conversa' },
      })
      .expect(201);
    expect(response.body).toMatchObject({
      id: expect.any(Number),
      account_id: admin.accountId,
      name: 'Legacy CRM',
      channel_type: 'Channel::Api',
      webhook_url: 'https://crm.example.test/conversa',
      hmac_mandatory: false,
      enable_auto_assignment: true,
      lock_to_single_conversation: false,
      inbox_identifier: expect.stringMatching(/^[A-Za-z0-9_-]{16,}$/),
      hmac_token: expect.any(String),
      webhook_secret: expect.stringMatching(/^whsec_/),
    });
    inbox = {
      id: response.body.id,
      identifier: response.body.inbox_identifier,
      hmacToken: response.body.hmac_token,
      body: response.body,
    };

    const listed = await server.http
      .get(`${accountPath(admin)}/inboxes`)
      .set('api_access_token', admin.token)
      .expect(200);
    expect(listed.body.payload.map((item: { id: number }) => item.id)).toEqual([inbox.id]);

    const { rows } = await db().query(
      `SELECT i.name, e.url AS webhook_url, i.identifier, i.deleted_at
         FROM inboxes i JOIN webhook_endpoints e ON e.kind = 'inbox' AND e.inbox_id = i.id
        WHERE i.id = $1`,
      [inbox.id],
    );
    expect(rows).toEqual([
      {
        name: 'Legacy CRM',
        webhook_url: 'https://crm.example.test/conversa',
        identifier: inbox.identifier,
        deleted_at: null,
      },
    ]);
    const events = await db().query(
      `SELECT name, actor_type, actor_id, sequence FROM domain_events WHERE stream = $1`,
      [`inbox:${inbox.id}`],
    );
    expect(events.rows).toEqual([
      { name: 'inbox_created', actor_type: 'user', actor_id: admin.userId, sequence: 1 },
    ]);

    // Each new inbox gets its own identifier.
    const other = await createInbox(server.http, admin);
    expect(other.identifier).not.toBe(inbox.identifier);
  });

  it('the Client API describes the inbox by its identifier', async () => {
    const response = await server.http.get(publicPath(inbox.identifier)).expect(200);
    expect(response.body).toMatchObject({
      identifier: inbox.identifier,
      name: 'Legacy CRM',
      identity_validation_enabled: false,
    });
  });

  it('step 5: the administrator configures the webhook URL (agents may not); bad URLs are named', async () => {
    const path = `${accountPath(admin)}/inboxes/${inbox.id}`;
    const updated = await server.http
      .patch(path)
      .set('api_access_token', admin.token)
      .send({ channel: { webhook_url: 'https://crm.example.test/conversa/v2' } })
      .expect(200);
    expect(updated.body).toMatchObject({
      id: inbox.id,
      webhook_url: 'https://crm.example.test/conversa/v2',
      inbox_identifier: inbox.identifier,
    });
    const refused = await server.http
      .patch(path)
      .set('api_access_token', agent.token)
      .send({ channel: { webhook_url: 'https://evil.example.test' } });
    expectProblem(refused, 403, 'administrator_required');
    const invalid = await server.http
      .patch(path)
      .set('api_access_token', admin.token)
      .send({ channel: { webhook_url: 'crm.example.test' } });
    expect(expectProblem(invalid, 422, 'validation_failed').errors).toEqual([
      { field: 'channel.webhook_url', messages: ['must be an http:// or https:// URL'] },
    ]);
    const { rows } = await db().query(
      `SELECT url AS webhook_url FROM webhook_endpoints WHERE kind = 'inbox' AND inbox_id = $1`,
      [inbox.id],
    );
    expect(rows).toEqual([{ webhook_url: 'https://crm.example.test/conversa/v2' }]);
    const events = await db().query(
      `SELECT name, sequence, payload->>'webhook_url' AS url FROM domain_events WHERE stream = $1 ORDER BY sequence`,
      [`inbox:${inbox.id}`],
    );
    expect(events.rows).toEqual([
      { name: 'inbox_created', sequence: 1, url: 'https://crm.example.test/conversa' },
      { name: 'inbox_updated', sequence: 2, url: 'https://crm.example.test/conversa/v2' },
    ]);
  });

  it('step 4: the system creates (and later identifies) the contact through the Client API', async () => {
    const response = await server.http
      .post(`${publicPath(inbox.identifier)}/contacts`)
      .send({
        identifier: 'crm-42',
        name: 'Grace Hopper',
        email: 'Grace@Example.test',
        phone_number: '+14155550100',
      })
      .expect(201);
    expect(response.body).toEqual({
      id: expect.any(Number),
      source_id: expect.any(String),
      pubsub_token: expect.any(String),
      name: 'Grace Hopper',
      email: 'grace@example.test',
      phone_number: '+14155550100',
      identifier: 'crm-42',
      custom_attributes: {},
    });
    contact = { id: response.body.id, sourceId: response.body.source_id, identifier: 'crm-42' };

    // Identify: the same identifier (or source_id) is the same contact, never a duplicate.
    const again = await server.http
      .post(`${publicPath(inbox.identifier)}/contacts`)
      .send({ identifier: 'crm-42', name: 'Grace B. Hopper' })
      .expect(201);
    expect(again.body.id).toBe(contact.id);
    expect(again.body.name).toBe('Grace B. Hopper');
    const bySource = await server.http
      .post(`${publicPath(inbox.identifier)}/contacts`)
      .send({ source_id: contact.sourceId })
      .expect(201);
    expect(bySource.body).toMatchObject({ id: contact.id, source_id: contact.sourceId });
    const byEmail = await server.http
      .post(`${publicPath(inbox.identifier)}/contacts`)
      .send({ email: 'grace@example.test' })
      .expect(201);
    expect(byEmail.body.id).toBe(contact.id);

    const shown = await server.http.get(contactBase()).expect(200);
    expect(shown.body).toMatchObject({
      id: contact.id,
      source_id: contact.sourceId,
      name: 'Grace B. Hopper',
    });

    const { rows } = await db().query(
      `SELECT c.identifier, c.email, count(ci.id)::int AS contact_inboxes
         FROM contacts c LEFT JOIN contact_inboxes ci ON ci.contact_id = c.id
        WHERE c.account_id = $1 GROUP BY c.id`,
      [admin.accountId],
    );
    // Identifying without a source_id gives the same contact a new contact inbox (source_id) each time.
    expect(rows).toEqual([
      { identifier: 'crm-42', email: 'grace@example.test', contact_inboxes: 3 },
    ]);
  });

  it('steps 4 and 6: the system opens a conversation and sends a test message', async () => {
    const created = await server.http
      .post(`${contactBase()}/conversations`)
      .send({ custom_attributes: { order: 'A-1' } })
      .expect(201);
    expect(created.body).toMatchObject({
      id: expect.any(Number),
      inbox_id: inbox.id,
      status: 'open',
      messages: [],
      custom_attributes: { order: 'A-1' },
      contact: expect.objectContaining({ id: contact.id, name: 'Grace B. Hopper' }),
    });
    conversationId = created.body.id;

    const message = await server.http
      .post(`${contactBase()}/conversations/${conversationId}/messages`)
      .send({ content: 'My order has not arrived', echo_id: 'echo-1', source_id: 'crm-msg-1' })
      .expect(201);
    expect(message.body).toMatchObject({
      id: expect.any(Number),
      content: 'My order has not arrived',
      conversation_id: conversationId,
      inbox_id: inbox.id,
      message_type: 0,
      content_type: 'text',
      status: 'sent',
      private: false,
      source_id: 'crm-msg-1',
      echo_id: 'echo-1',
      sender: expect.objectContaining({ id: contact.id, type: 'contact' }),
    });
    incomingId = message.body.id;

    const listed = await server.http.get(`${contactBase()}/conversations`).expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ id: conversationId, status: 'open' })]);
    expect(listed.body[0].messages.map((item: { id: number }) => item.id)).toEqual([incomingId]);

    const { rows } = await db().query(
      `SELECT c.id, c.status, c.display_id, (SELECT count(*)::int FROM messages m WHERE m.conversation_id = c.id) AS messages
         FROM conversations c WHERE c.account_id = $1`,
      [admin.accountId],
    );
    expect(rows).toEqual([
      { id: expect.any(Number), status: 'open', display_id: conversationId, messages: 1 },
    ]);
    internalId = rows[0].id;
  });

  it('an agent who is not yet a member does not see it; once a member, sees it in GET /conversations', async () => {
    const before = await server.http
      .get(`${accountPath(admin)}/conversations`)
      .set('api_access_token', agent.token)
      .expect(200);
    expect(before.body.data.payload).toEqual([]);
    expect(before.body.data.meta).toEqual({
      mine_count: 0,
      assigned_count: 0,
      unassigned_count: 0,
      all_count: 0,
    });

    const members = await server.http
      .post(`${accountPath(admin)}/inbox_members`)
      .set('api_access_token', admin.token)
      .send({ inbox_id: inbox.id, user_ids: [agent.userId] })
      .expect(200);
    expect(members.body.payload).toEqual([
      expect.objectContaining({ id: agent.userId, role: 'agent' }),
    ]);
    const listedMembers = await server.http
      .get(`${accountPath(admin)}/inbox_members/${inbox.id}`)
      .set('api_access_token', agent.token)
      .expect(200);
    expect(listedMembers.body.payload.map((item: { id: number }) => item.id)).toEqual([
      agent.userId,
    ]);

    // The agent sees the inbox, without its secrets.
    const shown = await server.http
      .get(`${accountPath(admin)}/inboxes/${inbox.id}`)
      .set('api_access_token', agent.token)
      .expect(200);
    expect(shown.body.inbox_identifier).toBe(inbox.identifier);
    expect(shown.body).not.toHaveProperty('hmac_token');
    expect(shown.body).not.toHaveProperty('webhook_secret');

    const after = await server.http
      .get(`${accountPath(admin)}/conversations`)
      .set('api_access_token', agent.token)
      .expect(200);
    expect(after.body.data.meta).toEqual({
      mine_count: 0,
      assigned_count: 0,
      unassigned_count: 1,
      all_count: 1,
    });
    expect(after.body.data.payload).toHaveLength(1);
    expect(after.body.data.payload[0]).toMatchObject({
      id: conversationId,
      inbox_id: inbox.id,
      status: 'open',
      assignee_id: null,
      unread_count: 1,
      meta: {
        sender: expect.objectContaining({ id: contact.id, name: 'Grace B. Hopper' }),
        channel: 'Channel::Api',
      },
      messages: [expect.objectContaining({ id: incomingId, content: 'My order has not arrived' })],
    });
  });

  it('the agent replies and writes a private note; the contact sees the reply but never the note', async () => {
    const reply = await server.http
      .post(`${conversationBase()}/messages`)
      .set('api_access_token', agent.token)
      .send({ content: 'Sorry! It ships today.', echo_id: 'agent-echo' })
      .expect(201);
    expect(reply.body).toMatchObject({
      content: 'Sorry! It ships today.',
      message_type: 1,
      private: false,
      status: 'sent',
      echo_id: 'agent-echo',
      sender: expect.objectContaining({ id: agent.userId, type: 'user' }),
    });
    replyId = reply.body.id;

    const note = await server.http
      .post(`${conversationBase()}/messages`)
      .set('api_access_token', agent.token)
      .send({ content: 'Internal: courier is late', private: true })
      .expect(201);
    expect(note.body).toMatchObject({ message_type: 1, private: true });
    noteId = note.body.id;

    const seen = await publicMessages();
    expect(seen.map((item) => item.id)).toEqual([incomingId, replyId]);
    expect(seen[1]).toMatchObject({
      content: 'Sorry! It ships today.',
      message_type: 1,
      status: 'sent',
    });
    const conversation = await server.http
      .get(`${contactBase()}/conversations/${conversationId}`)
      .expect(200);
    expect(conversation.body.messages.map((item: { id: number }) => item.id)).toEqual([
      incomingId,
      replyId,
    ]);
    // Chatwoot renders the contact model here: ISO 8601 times, not unix seconds.
    expect(conversation.body.contact.created_at).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect(typeof conversation.body.contact.last_activity_at).not.toBe('number');

    // The agent sees all three.
    expect((await agentMessages()).map((item) => item.id)).toEqual([incomingId, replyId, noteId]);
  });

  it('update_last_seen by the contact marks the earlier reply read (not the private note)', async () => {
    await server.http
      .post(`${contactBase()}/conversations/${conversationId}/update_last_seen`)
      .expect(200);
    const seen = await publicMessages();
    expect(seen.find((item) => item.id === replyId)!.status).toBe('read');
    const { rows } = await db().query(
      `SELECT id::int, status FROM messages WHERE conversation_id = $1 ORDER BY id`,
      [internalId],
    );
    expect(rows).toEqual([
      { id: incomingId, status: 'sent' },
      { id: replyId, status: 'read' },
      { id: noteId, status: 'sent' },
    ]);
    const conversation = await server.http
      .get(`${contactBase()}/conversations/${conversationId}`)
      .expect(200);
    expect(conversation.body.contact_last_seen_at).toBeGreaterThan(0);
  });

  it('the integrator reports delivery: delivered, read, failed with external_error; read never goes back', async () => {
    const sent = await server.http
      .post(`${conversationBase()}/messages`)
      .set('api_access_token', agent.token)
      .send({ content: 'Tracking number: 123' })
      .expect(201);
    const path = `${conversationBase()}/messages/${sent.body.id}`;

    const delivered = await server.http
      .patch(path)
      .set('api_access_token', admin.token)
      .send({ status: 'delivered' })
      .expect(200);
    expect(delivered.body).toMatchObject({ id: sent.body.id, status: 'delivered' });
    const read = await server.http
      .patch(path)
      .set('api_access_token', admin.token)
      .send({ status: 'read' })
      .expect(200);
    expect(read.body.status).toBe('read');
    const back = await server.http
      .patch(path)
      .set('api_access_token', admin.token)
      .send({ status: 'delivered' });
    const problem = expectProblem(back, 422, 'invalid_status_change');
    expect(problem.detail).toContain('read');
    expect(
      (await db().query(`SELECT status FROM messages WHERE id = $1`, [sent.body.id])).rows,
    ).toEqual([{ status: 'read' }]);

    const failing = await server.http
      .post(`${conversationBase()}/messages`)
      .set('api_access_token', agent.token)
      .send({ content: 'Can you confirm your address?' })
      .expect(201);
    const failed = await server.http
      .patch(`${conversationBase()}/messages/${failing.body.id}`)
      .set('api_access_token', admin.token)
      .send({ status: 'failed', external_error: 'Recipient phone is unreachable' })
      .expect(200);
    expect(failed.body).toMatchObject({
      status: 'failed',
      content_attributes: { external_error: 'Recipient phone is unreachable' },
    });
    const visible = await publicMessages();
    expect(visible.find((item) => item.id === failing.body.id)!.status).toBe('failed');
  });

  it('resolving adds an activity message; an incoming message reopens; activity is never public', async () => {
    const resolved = await server.http
      .post(`${conversationBase()}/toggle_status`)
      .set('api_access_token', agent.token)
      .send({ status: 'resolved' })
      .expect(200);
    expect(resolved.body).toEqual({
      meta: {},
      payload: {
        success: true,
        conversation_id: conversationId,
        current_status: 'resolved',
        snoozed_until: null,
      },
    });
    const open = await server.http
      .get(`${accountPath(admin)}/conversations`)
      .set('api_access_token', agent.token)
      .expect(200);
    expect(open.body.data.payload).toEqual([]);
    const resolvedList = await server.http
      .get(`${accountPath(admin)}/conversations`)
      .query({ status: 'resolved' })
      .set('api_access_token', agent.token)
      .expect(200);
    expect(resolvedList.body.data.payload.map((item: { id: number }) => item.id)).toEqual([
      conversationId,
    ]);

    await postPublicMessage(server.http, inbox, contact, conversationId, {
      content: 'It still has not arrived',
    });
    const shown = await server.http
      .get(conversationBase())
      .set('api_access_token', agent.token)
      .expect(200);
    expect(shown.body.status).toBe('open');

    const all = await agentMessages();
    const activity = all.filter((item) => item.message_type === 2).map((item) => item.content);
    expect(activity).toEqual([
      `Conversation was marked resolved by ${agentName}`,
      'Conversation was reopened by a new message from the contact',
    ]);
    const visible = await publicMessages();
    expect(visible.every((item) => item.message_type !== 2 && !item.private)).toBe(true);
    expect(visible.map((item) => item.id)).not.toContain(noteId);
    expect(visible.at(-1)!.content).toBe('It still has not arrived');
  });

  it('assignment writes "Assigned to <agent> by <administrator>" and counts the conversation as mine', async () => {
    const assigned = await server.http
      .post(`${conversationBase()}/assignments`)
      .set('api_access_token', admin.token)
      .send({ assignee_id: agent.userId })
      .expect(200);
    expect(assigned.body).toMatchObject({ id: agent.userId, available_name: agentName });

    const activity = (await agentMessages())
      .filter((item) => item.message_type === 2)
      .map((item) => item.content);
    expect(activity.at(-1)).toBe(`Assigned to ${agentName} by Ada Admin`);
    expect((await publicMessages()).map((item) => item.content)).not.toContain(
      `Assigned to ${agentName} by Ada Admin`,
    );

    const mine = await server.http
      .get(`${accountPath(admin)}/conversations`)
      .query({ assignee_type: 'me' })
      .set('api_access_token', agent.token)
      .expect(200);
    expect(mine.body.data.meta).toEqual({
      mine_count: 1,
      assigned_count: 1,
      unassigned_count: 0,
      all_count: 1,
    });
    expect(mine.body.data.payload[0]).toMatchObject({
      id: conversationId,
      assignee_id: agent.userId,
      meta: { assignee: { id: agent.userId } },
    });
    const { rows } = await db().query(
      `SELECT assignee_id, status FROM conversations WHERE id = $1`,
      [internalId],
    );
    expect(rows).toEqual([{ assignee_id: agent.userId, status: 'open' }]);
  });

  it('records every change of the conversation in domain_events, in order, with sequence 1..n and the actor', async () => {
    const { rows } = await db().query(
      `SELECT name, sequence, actor_type, actor_id, payload FROM domain_events WHERE conversation_id = $1 ORDER BY id`,
      [internalId],
    );
    expect(rows.map((row) => row.sequence)).toEqual(rows.map((_, index) => index + 1));
    expect(new Set(rows.map((row) => row.payload.account.id))).toEqual(new Set([admin.accountId]));
    expect(rows.map((row) => [row.name, row.actor_type, row.actor_id])).toEqual([
      ['conversation_created', 'contact', contact.id],
      ['message_created', 'contact', contact.id], // the test message
      ['message_created', 'user', agent.userId], // the reply
      ['message_created', 'user', agent.userId], // the private note
      ['message_updated', 'contact', contact.id], // read receipt of the reply
      ['message_created', 'user', agent.userId], // "Tracking number"
      ['message_updated', 'user', admin.userId], // delivered
      ['message_updated', 'user', admin.userId], // read
      ['message_created', 'user', agent.userId], // "confirm your address"
      ['message_updated', 'user', admin.userId], // failed
      ['message_created', 'user', agent.userId], // activity: resolved
      ['conversation_status_changed', 'user', agent.userId],
      ['message_created', 'contact', contact.id], // the message that reopens
      ['message_created', 'contact', contact.id], // activity: reopened
      ['conversation_status_changed', 'contact', contact.id],
      ['message_created', 'user', admin.userId], // activity: assigned
      ['conversation_updated', 'user', admin.userId],
    ]);
    // Payloads are the state at the time: the first message event saw an open, unassigned conversation.
    expect(rows[1].payload).toMatchObject({
      id: incomingId,
      message_type: 'incoming',
      content: 'My order has not arrived',
      conversation: { id: conversationId, status: 'open', assignee_id: null },
      inbox: { id: inbox.id },
    });
    expect(rows[11].payload).toMatchObject({ status: 'resolved', previous_status: 'open' });
    expect(rows[14].payload).toMatchObject({ status: 'open', previous_status: 'resolved' });
    expect(rows[16].payload).toMatchObject({
      assignee_id: agent.userId,
      changed_attributes: [{ assignee_id: { previous_value: null, current_value: agent.userId } }],
    });
  });

  it('an administrator works in every inbox: self-assigns without being a member', async () => {
    const taken = await server.http
      .post(`${conversationBase()}/assignments`)
      .set('api_access_token', admin.token)
      .send({ assignee_id: admin.userId })
      .expect(200);
    expect(taken.body).toMatchObject({ id: admin.userId, role: 'administrator' });
    const activity = (await agentMessages())
      .filter((item) => item.message_type === 2)
      .map((item) => item.content);
    expect(activity.at(-1)).toBe('Ada Admin self-assigned this conversation');
    // Agents are assignable only where they are members.
    const outsider = await createAgent(server.http, admin);
    const refused = await server.http
      .post(`${conversationBase()}/assignments`)
      .set('api_access_token', admin.token)
      .send({ assignee_id: outsider.userId });
    expectProblem(refused, 422, 'assignee_not_in_inbox');
    const { rows } = await db().query(`SELECT assignee_id FROM conversations WHERE id = $1`, [
      internalId,
    ]);
    expect(rows).toEqual([{ assignee_id: admin.userId }]);
  });

  it('snoozed (until unix seconds or an ISO time) and woken by the next incoming message', async () => {
    const until = Math.floor(Date.now() / 1000) + 3_600;
    const snoozed = await server.http
      .post(`${conversationBase()}/toggle_status`)
      .set('api_access_token', agent.token)
      .send({ status: 'snoozed', snoozed_until: until })
      .expect(200);
    // Answered as an ISO time, as Chatwoot's toggle_status view does.
    expect(snoozed.body.payload).toMatchObject({
      current_status: 'snoozed',
      snoozed_until: new Date(until * 1000).toISOString(),
    });
    const listed = await server.http
      .get(`${accountPath(admin)}/conversations`)
      .query({ status: 'snoozed' })
      .set('api_access_token', agent.token)
      .expect(200);
    expect(
      listed.body.data.payload.map((item: { id: number; snoozed_until: string }) => [
        item.id,
        item.snoozed_until,
      ]),
    ).toEqual([[conversationId, new Date(until * 1000).toISOString()]]);
    const iso = new Date((until + 60) * 1000).toISOString();
    const again = await server.http
      .post(`${conversationBase()}/toggle_status`)
      .set('api_access_token', agent.token)
      .send({ status: 'snoozed', snoozed_until: iso })
      .expect(200);
    expect(again.body.payload.snoozed_until).toBe(iso);

    await postPublicMessage(server.http, inbox, contact, conversationId, { content: 'Any news?' });
    const { rows } = await db().query(
      `SELECT status, snoozed_until FROM conversations WHERE id = $1`,
      [internalId],
    );
    expect(rows).toEqual([{ status: 'open', snoozed_until: null }]);
    const activity = (await agentMessages())
      .filter((item) => item.message_type === 2)
      .map((item) => item.content);
    expect(activity.slice(-3)).toEqual([
      `Conversation was snoozed until ${new Date(until * 1000).toISOString()} by ${agentName}`,
      `Conversation was snoozed until ${iso} by ${agentName}`,
      'Conversation was reopened by a new message from the contact',
    ]);

    // A form sends unix seconds as text: read as the number, as Rails does.
    const fromForm = await server.http
      .post(`${conversationBase()}/toggle_status`)
      .set('api_access_token', agent.token)
      .type('form')
      .send(`status=snoozed&snoozed_until=${until}`)
      .expect(200);
    expect(fromForm.body.payload).toMatchObject({
      current_status: 'snoozed',
      snoozed_until: new Date(until * 1000).toISOString(),
    });
    // With another status snoozed_until is ignored, as in Chatwoot (its documented example).
    const opened = await server.http
      .post(`${conversationBase()}/toggle_status`)
      .set('api_access_token', agent.token)
      .send({ status: 'open', snoozed_until: until })
      .expect(200);
    expect(opened.body.payload).toMatchObject({ current_status: 'open', snoozed_until: null });
  });

  it('the agent organises the conversation: labels, priority, custom attributes, and reads it', async () => {
    const as = (request: ReturnType<TestServer['http']['post']>) =>
      request.set('api_access_token', agent.token);
    const labels = await as(server.http.post(`${conversationBase()}/labels`))
      .send({ labels: ['vip', 'billing', 'vip'] })
      .expect(200);
    expect(labels.body).toEqual({ payload: ['billing', 'vip'] });
    expect((await as(server.http.get(`${conversationBase()}/labels`)).expect(200)).body).toEqual({
      payload: ['billing', 'vip'],
    });
    const both = await as(server.http.get(`${accountPath(admin)}/conversations`))
      .query({ 'labels[]': ['vip', 'billing'] })
      .expect(200);
    expect(both.body.data.payload.map((item: { id: number }) => item.id)).toEqual([conversationId]);
    // Any of the labels, as in Chatwoot.
    const either = await as(server.http.get(`${accountPath(admin)}/conversations`))
      .query({ 'labels[]': ['vip', 'sales'] })
      .expect(200);
    expect(either.body.data.payload.map((item: { id: number }) => item.id)).toEqual([
      conversationId,
    ]);
    const none = await as(server.http.get(`${accountPath(admin)}/conversations`))
      .query({ 'labels[]': ['sales'] })
      .expect(200);
    expect(none.body.data.payload).toEqual([]);

    await as(server.http.post(`${conversationBase()}/toggle_priority`))
      .send({ priority: 'urgent' })
      .expect(200);
    const attributes = await as(server.http.post(`${conversationBase()}/custom_attributes`))
      .send({ custom_attributes: { order: 'A-2' } })
      .expect(200);
    expect(attributes.body).toEqual({ custom_attributes: { order: 'A-2' } });

    const unread = await as(server.http.get(conversationBase())).expect(200);
    expect(unread.body.unread_count).toBeGreaterThan(0);
    await as(server.http.post(`${conversationBase()}/update_last_seen`)).expect(200);
    const shown = await as(server.http.get(conversationBase())).expect(200);
    expect(shown.body).toMatchObject({
      priority: 'urgent',
      labels: ['billing', 'vip'],
      custom_attributes: { order: 'A-2' },
      unread_count: 0,
    });
    expect(shown.body.agent_last_seen_at).toBeGreaterThan(0);
    const { rows } = await db().query(
      `SELECT name, payload->'changed_attributes' AS changed FROM domain_events
        WHERE conversation_id = $1 AND name = 'conversation_updated' ORDER BY sequence DESC LIMIT 3`,
      [internalId],
    );
    expect(rows).toEqual([
      {
        name: 'conversation_updated',
        changed: [
          {
            custom_attributes: {
              previous_value: { order: 'A-1' },
              current_value: { order: 'A-2' },
            },
          },
        ],
      },
      {
        name: 'conversation_updated',
        changed: [{ priority: { previous_value: null, current_value: 'urgent' } }],
      },
      {
        name: 'conversation_updated',
        changed: [{ labels: { previous_value: [], current_value: ['billing', 'vip'] } }],
      },
    ]);
  });

  it('troubleshooting "messages don\'t come in": a wrong inbox identifier is a 404 that says so', async () => {
    const wrong = 'not-a-real-inbox-identifier';
    for (const response of [
      await server.http.get(publicPath(wrong)),
      await server.http.post(`${publicPath(wrong)}/contacts`).send({ name: 'Nobody' }),
      await server.http.get(`${publicPath(wrong)}/contacts/${contact.sourceId}`),
      await server.http
        .post(
          `${publicPath(wrong)}/contacts/${contact.sourceId}/conversations/${conversationId}/messages`,
        )
        .send({ content: 'hi' }),
    ]) {
      const problem = expectProblem(response, 404, 'inbox_not_found');
      expect(problem.detail).toContain(`No inbox has the identifier "${wrong}"`);
    }
    // Nothing was written under a wrong identifier.
    const { rows } = await db().query(
      `SELECT count(*)::int AS count FROM contacts WHERE name = 'Nobody'`,
    );
    expect(rows).toEqual([{ count: 0 }]);
  });

  it('troubleshooting: an unknown source_id is a 404 naming it; bad credentials on the Application API are 401', async () => {
    const unknown = unique('no-such-contact');
    for (const response of [
      await server.http.get(`${publicPath(inbox.identifier)}/contacts/${unknown}`),
      await server.http.get(`${publicPath(inbox.identifier)}/contacts/${unknown}/conversations`),
      await server.http
        .post(`${publicPath(inbox.identifier)}/contacts/${unknown}/conversations`)
        .send({}),
      await server.http
        .post(
          `${publicPath(inbox.identifier)}/contacts/${unknown}/conversations/${conversationId}/messages`,
        )
        .send({ content: 'hi' }),
    ]) {
      const problem = expectProblem(response, 404, 'contact_not_found');
      expect(problem.detail).toContain(`No contact has the source_id "${unknown}" in this inbox`);
    }
    const unknownConversation = await server.http.get(`${contactBase()}/conversations/999999`);
    expectProblem(unknownConversation, 404, 'conversation_not_found');

    expectProblem(
      await server.http.get(`${accountPath(admin)}/conversations`),
      401,
      'missing_credentials',
    );
    const badToken = await server.http
      .get(`${accountPath(admin)}/conversations`)
      .set('api_access_token', 'cvs_' + 'x'.repeat(43));
    expectProblem(badToken, 401, 'invalid_token');
  });

  it('a second system can follow the same steps in another inbox without touching the first', async () => {
    const seeded = await seedConversation(server.http, admin);
    const other = await createPublicContact(server.http, seeded.inbox, { identifier: 'crm-42' });
    // Same identifier in the same account: the same contact, reachable in the second inbox too.
    expect(other.id).toBe(contact.id);
    const otherConversation = await createPublicConversation(server.http, seeded.inbox, other);
    expect(otherConversation).not.toBe(conversationId);
    await addInboxMembers(server.http, admin, seeded.inbox.id, [agent.userId]);
    const list = await server.http
      .get(`${accountPath(admin)}/contacts/${contact.id}/conversations`)
      .set('api_access_token', agent.token)
      .expect(200);
    expect(list.body.payload.map((item: { id: number }) => item.id).sort()).toEqual(
      [conversationId, otherConversation].sort(),
    );
  });

  it('the Application API makes a contact reachable in another inbox under a chosen source_id', async () => {
    const third = await createInbox(server.http, admin);
    const base = `${accountPath(admin)}/contacts/${contact.id}`;
    const created = await server.http
      .post(`${base}/contact_inboxes`)
      .set('api_access_token', admin.token)
      .send({ inbox_id: third.id, source_id: 'crm-42-in-third' })
      .expect(201);
    expect(created.body).toMatchObject({
      source_id: 'crm-42-in-third',
      inbox: { id: third.id, inbox_identifier: third.identifier },
    });
    const contactable = await server.http
      .get(`${base}/contactable_inboxes`)
      .set('api_access_token', admin.token)
      .expect(200);
    expect(
      contactable.body.payload.find(
        (item: { inbox: { id: number } }) => item.inbox.id === third.id,
      ),
    ).toMatchObject({
      source_id: 'crm-42-in-third',
    });
    // The Client API of that inbox now knows the contact by it.
    const shown = await server.http
      .get(`${publicPath(third.identifier)}/contacts/crm-42-in-third`)
      .expect(200);
    expect(shown.body).toMatchObject({ id: contact.id, source_id: 'crm-42-in-third' });
    // The same source_id for another contact in that inbox is a conflict naming the holder.
    const other = await server.http
      .post(`${accountPath(admin)}/contacts`)
      .set('api_access_token', admin.token)
      .send({ name: 'Other' })
      .expect(201);
    const taken = await server.http
      .post(`${accountPath(admin)}/contacts/${other.body.payload.contact.id}/contact_inboxes`)
      .set('api_access_token', admin.token)
      .send({ inbox_id: third.id, source_id: 'crm-42-in-third' });
    expect(expectProblem(taken, 409, 'source_id_taken').existing_id).toBe(contact.id);
  });
  it('inbox members: PATCH replaces the set and DELETE removes; agents may not change them', async () => {
    const second = await createAgent(server.http, admin);
    const path = `${accountPath(admin)}/inbox_members`;
    const refused = await server.http
      .post(path)
      .set('api_access_token', agent.token)
      .send({ inbox_id: inbox.id, user_ids: [second.userId] });
    expectProblem(refused, 403, 'administrator_required');
    const replaced = await server.http
      .patch(path)
      .set('api_access_token', admin.token)
      .send({ inbox_id: inbox.id, user_ids: [second.userId] })
      .expect(200);
    expect(replaced.body.payload.map((item: { id: number }) => item.id)).toEqual([second.userId]);
    // The agent who was replaced loses the inbox's conversations at once.
    expectProblem(
      await server.http.get(conversationBase()).set('api_access_token', agent.token),
      404,
      'conversation_not_found',
    );
    await server.http.get(conversationBase()).set('api_access_token', second.token).expect(200);
    const removed = await server.http
      .delete(path)
      .set('api_access_token', admin.token)
      .send({ inbox_id: inbox.id, user_ids: [second.userId] })
      .expect(200);
    expect(removed.body).toEqual({ payload: [] });
    const { rows } = await db().query(
      `SELECT count(*)::int AS n FROM inbox_members WHERE inbox_id = $1`,
      [inbox.id],
    );
    expect(rows).toEqual([{ n: 0 }]);
  });
  it('concurrent messages to one conversation: each event carries the conversation as it was after its own message', async () => {
    const busyInbox = await createInbox(server.http, admin);
    const busy = await createPublicContact(server.http, busyInbox, { identifier: unique('busy') });
    const displayId = await createPublicConversation(server.http, busyInbox, busy);
    await Promise.all(
      Array.from({ length: 12 }, (_, n) =>
        postPublicMessage(server.http, busyInbox, busy, displayId, { content: `burst ${n}` }),
      ),
    );
    const { rows } = await testDatabase().query(
      `SELECT (e.payload -> 'conversation' ->> 'unread_count')::int AS unread
         FROM domain_events e JOIN conversations c ON c.id = e.conversation_id
        WHERE c.inbox_id = $1 AND c.display_id = $2 AND e.name = 'message_created'
        ORDER BY e.sequence`,
      [busyInbox.id, displayId],
    );
    // Unread counts 1, 2, ... (the read model stops at 10): a snapshot read before waiting for
    // the conversation's lock would repeat an older count.
    expect(rows.map((row: { unread: number }) => row.unread)).toEqual(
      Array.from({ length: 12 }, (_, n) => Math.min(10, n + 1)),
    );
  });
});
