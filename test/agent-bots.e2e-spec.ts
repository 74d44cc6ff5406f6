import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type TestAgent from 'supertest/lib/agent.js';
import {
  accountPath,
  addInboxMembers,
  createInbox,
  createPublicContact,
  createPublicConversation,
  postPublicMessage,
  unique,
} from './support/api-channel.js';
import type { TestContact, TestInbox } from './support/api-channel.js';
import { eventually } from './support/eventually.js';
import { createAccount, createAgent } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { expectProblem } from './support/problems.js';
import { startServer } from './support/server.js';
import type { TestServer } from './support/server.js';
import { FAST_WEBHOOKS, isolate, Receiver, verifies } from './support/webhooks.js';
import type { Isolation, Received } from './support/webhooks.js';

/** Reactions (deliveries, assignment, handoffs) follow the response; give a loaded machine time. */
function soon<T>(assertion: () => T | Promise<T>): Promise<T> {
  return eventually(assertion, { timeoutMs: 20_000, intervalMs: 100 });
}

interface TestMessage {
  message_type: number;
  content: string;
  sender?: { id: number; type: string };
}

interface TestBot {
  id: number;
  access_token: string;
  secret: string;
  name: string;
}

async function createBot(
  http: TestAgent,
  admin: TestAccount,
  body: Record<string, unknown>,
): Promise<TestBot> {
  const response = await http
    .post(`${accountPath(admin)}/agent_bots`)
    .set('api_access_token', admin.token)
    .send({ name: unique('Bot'), ...body });
  expect({ status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return response.body;
}

async function attachBot(
  http: TestAgent,
  admin: TestAccount,
  inboxId: number,
  botId: number | null,
) {
  await http
    .post(`${accountPath(admin)}/inboxes/${inboxId}/set_agent_bot`)
    .set('api_access_token', admin.token)
    .send({ agent_bot: botId })
    .expect(204);
}

async function conversation(http: TestAgent, admin: TestAccount, displayId: number) {
  const response = await http
    .get(`${accountPath(admin)}/conversations/${displayId}`)
    .set('api_access_token', admin.token)
    .expect(200);
  return response.body;
}

async function messages(http: TestAgent, admin: TestAccount, displayId: number) {
  const response = await http
    .get(`${accountPath(admin)}/conversations/${displayId}/messages`)
    .set('api_access_token', admin.token)
    .expect(200);
  return response.body.payload as TestMessage[];
}

/** A contact of the inbox with a new conversation and one message from them. */
async function contactWrites(http: TestAgent, inbox: TestInbox, content: string) {
  const contact: TestContact = await createPublicContact(http, inbox, {
    identifier: unique('crm'),
    name: 'Casey Contact',
  });
  const displayId = await createPublicConversation(http, inbox, contact);
  await postPublicMessage(http, inbox, contact, displayId, { content });
  return { contact, displayId };
}

function activities(list: TestMessage[]): string[] {
  return list.filter((message) => message.message_type === 2).map((message) => message.content);
}

/**
 * Agent bots (issue 14) against a real server and real receivers on 127.0.0.1: the bot API, the
 * bot token, the conversation lifecycle with a bot, the handoff, and an in-process bot. Retries
 * after 100, 200 and 300 ms; a 1 s request timeout; the bot reply timeout stays at its default.
 */
describe('agent bots', () => {
  let isolation: Isolation;
  let server: TestServer;
  let receiver: Receiver;
  let admin: TestAccount;

  beforeAll(async () => {
    isolation = await isolate('agent_bots');
    server = await startServer(FAST_WEBHOOKS);
  });
  afterAll(async () => {
    await server?.stop();
    await isolation?.release();
  });
  beforeEach(async () => {
    receiver = await Receiver.start();
    admin = await createAccount('Bots');
  });
  afterEach(async () => {
    await receiver?.close();
  });

  describe('the bot API', () => {
    it('creates, shows, lists, updates, resets the token of and deletes a bot in Chatwoot shapes', async () => {
      const bot = await createBot(server.http, admin, {
        name: 'Order bot',
        description: 'Where is my order',
        outgoing_url: receiver.url('/bot'),
        bot_type: 0,
        bot_config: { tone: 'friendly' },
      });
      expect(bot).toMatchObject({
        name: 'Order bot',
        description: 'Where is my order',
        outgoing_url: receiver.url('/bot'),
        bot_type: 'webhook',
        bot_config: { tone: 'friendly' },
        account_id: admin.accountId,
        system_bot: false,
      });
      expect(bot.access_token).toMatch(/^cvb_[A-Za-z0-9_-]{43}$/);
      expect(bot.secret).toMatch(/^whsec_/);

      const shown = await server.http
        .get(`${accountPath(admin)}/agent_bots/${bot.id}`)
        .set('api_access_token', admin.token)
        .expect(200);
      // The token is shown once.
      expect(shown.body.access_token).toBeUndefined();
      expect(shown.body.access_token_hint).toBe(bot.access_token.slice(0, 8));

      const list = await server.http
        .get(`${accountPath(admin)}/agent_bots`)
        .set('api_access_token', admin.token)
        .expect(200);
      expect(list.body.map((item: TestBot) => item.id)).toEqual([bot.id]);

      const updated = await server.http
        .patch(`${accountPath(admin)}/agent_bots/${bot.id}`)
        .set('api_access_token', admin.token)
        .send({ name: 'Orders', outgoing_url: null })
        .expect(200);
      expect(updated.body).toMatchObject({ name: 'Orders', outgoing_url: null });

      const reset = await server.http
        .post(`${accountPath(admin)}/agent_bots/${bot.id}/reset_access_token`)
        .set('api_access_token', admin.token)
        .expect(200);
      expect(reset.body.access_token).toMatch(/^cvb_/);
      expect(reset.body.access_token).not.toBe(bot.access_token);
      // The old token stops working at once; the new one works.
      const inbox = await createInbox(server.http, admin);
      await attachBot(server.http, admin, inbox.id, bot.id);
      const old = await server.http
        .post(`${accountPath(admin)}/conversations/1/toggle_status`)
        .set('api_access_token', bot.access_token)
        .send({ status: 'open' });
      expectProblem(old, 401, 'invalid_token');
      const fresh = await server.http
        .post(`${accountPath(admin)}/conversations/999999/toggle_status`)
        .set('api_access_token', reset.body.access_token)
        .send({ status: 'open' });
      expectProblem(fresh, 404, 'conversation_not_found');

      await server.http
        .delete(`${accountPath(admin)}/agent_bots/${bot.id}`)
        .set('api_access_token', admin.token)
        .expect(200);
      const gone = await server.http
        .get(`${accountPath(admin)}/agent_bots/${bot.id}`)
        .set('api_access_token', admin.token);
      expectProblem(gone, 404, 'agent_bot_not_found');
      const inboxBot = await server.http
        .get(`${accountPath(admin)}/inboxes/${inbox.id}/agent_bot`)
        .set('api_access_token', admin.token)
        .expect(200);
      expect(inboxBot.body).toEqual({ agent_bot: {} });
    });

    it('takes bot_type 0 as Rails form text, and keeps JSON typed', async () => {
      const form = (method: 'post' | 'patch', path: string, body: string) =>
        server.http[method](`${accountPath(admin)}${path}`)
          .set('api_access_token', admin.token)
          .type('form')
          .send(body);
      const created = await form('post', '/agent_bots', 'name=Form+bot&bot_type=0').expect(201);
      expect(created.body).toMatchObject({ name: 'Form bot', bot_type: 'webhook' });
      const updated = await form(
        'patch',
        `/agent_bots/${created.body.id}`,
        'name=Form+bot+2&bot_type=0',
      ).expect(200);
      expect(updated.body).toMatchObject({ name: 'Form bot 2', bot_type: 'webhook' });
      // In JSON, "0" is text, not the code 0.
      const text = await server.http
        .patch(`${accountPath(admin)}/agent_bots/${created.body.id}`)
        .set('api_access_token', admin.token)
        .send({ bot_type: '0' });
      expectProblem(text, 422, 'validation_failed');
    });

    it('attaches a bot to an inbox and detaches it', async () => {
      const bot = await createBot(server.http, admin, { outgoing_url: receiver.url() });
      const inbox = await createInbox(server.http, admin);
      const none = await server.http
        .get(`${accountPath(admin)}/inboxes/${inbox.id}/agent_bot`)
        .set('api_access_token', admin.token)
        .expect(200);
      expect(none.body).toEqual({ agent_bot: {} });
      await attachBot(server.http, admin, inbox.id, bot.id);
      const shown = await server.http
        .get(`${accountPath(admin)}/inboxes/${inbox.id}/agent_bot`)
        .set('api_access_token', admin.token)
        .expect(200);
      expect(shown.body.agent_bot).toMatchObject({ id: bot.id, name: bot.name });
      const { displayId } = await contactWrites(server.http, inbox, 'Hello bot');
      expect((await conversation(server.http, admin, displayId)).status).toBe('pending');
      await attachBot(server.http, admin, inbox.id, null);
      // Nothing would answer its pending conversations any more: they go to people.
      expect((await conversation(server.http, admin, displayId)).status).toBe('open');
      expect(activities(await messages(server.http, admin, displayId))).toContain(
        'Conversation was handed off to people by the system: the bot was detached from the inbox',
      );
      const detached = await server.http
        .get(`${accountPath(admin)}/inboxes/${inbox.id}/agent_bot`)
        .set('api_access_token', admin.token)
        .expect(200);
      expect(detached.body).toEqual({ agent_bot: {} });
    });

    it('refuses what is wrong with a problem that says so', async () => {
      const privateUrl = await server.http
        .post(`${accountPath(admin)}/agent_bots`)
        .set('api_access_token', admin.token)
        .send({ name: 'Bot', outgoing_url: 'http://10.1.2.3/hook' });
      expectProblem(privateUrl, 422, 'webhook_url_not_allowed');
      const unknownInProcess = await server.http
        .post(`${accountPath(admin)}/agent_bots`)
        .set('api_access_token', admin.token)
        .send({ name: 'Bot', bot_config: { in_process: 'nobody' } });
      expect(expectProblem(unknownInProcess, 422, 'unknown_in_process_bot').detail).toContain(
        'faq',
      );
      const noName = await server.http
        .post(`${accountPath(admin)}/agent_bots`)
        .set('api_access_token', admin.token)
        .send({});
      expectProblem(noName, 422, 'validation_failed');
      const inbox = await createInbox(server.http, admin);
      const unknownBot = await server.http
        .post(`${accountPath(admin)}/inboxes/${inbox.id}/set_agent_bot`)
        .set('api_access_token', admin.token)
        .send({ agent_bot: 999999 });
      expectProblem(unknownBot, 404, 'agent_bot_not_found');
      const agent = await createAgent(server.http, admin);
      const asAgent = await server.http
        .get(`${accountPath(admin)}/agent_bots`)
        .set('api_access_token', agent.token);
      expectProblem(asAgent, 403, 'administrator_required');
    });
  });

  describe('a bot built like a Chatwoot bot connector', () => {
    it('receives signed events, replies with its token, and hands off by opening the conversation', async () => {
      const bot = await createBot(server.http, admin, {
        name: 'Connector bot',
        outgoing_url: receiver.url('/bot'),
      });
      const inbox = await createInbox(server.http, admin);
      await addInboxMembers(server.http, admin, inbox.id, [admin.userId]);
      await attachBot(server.http, admin, inbox.id, bot.id);

      const { displayId } = await contactWrites(server.http, inbox, 'Where is my order?');
      // Pending and not auto-assigned while the bot talks.
      const waiting = await conversation(server.http, admin, displayId);
      expect(waiting).toMatchObject({ status: 'pending', assignee_id: null });

      const incoming = await soon(() => {
        const [event] = receiver
          .events('message_created', '/bot')
          .filter((request) => request.body.message_type === 'incoming');
        expect(event).toBeDefined();
        return event;
      });
      expect(verifies(bot.secret, incoming)).toBe(true);
      expect(incoming.headers['webhook-id']).toBe(incoming.body.event_id);
      expect(incoming.body).toMatchObject({
        content: 'Where is my order?',
        conversation: { id: displayId, status: 'pending' },
      });
      expect(receiver.events('conversation_created', '/bot')).toHaveLength(1);

      // The bot answers through the Application API with its own token.
      const reply = await server.http
        .post(`${accountPath(admin)}/conversations/${displayId}/messages`)
        .set('api_access_token', bot.access_token)
        .send({ content: 'Your order ships tomorrow.' });
      expect(reply.status).toBe(201);
      expect(reply.body.sender).toMatchObject({ id: bot.id, type: 'agent_bot' });
      await soon(() =>
        expect(
          receiver
            .events('message_created', '/bot')
            .some((request) => request.body.message_type === 'outgoing'),
        ).toBe(true),
      );

      // Anything a bot does not need is a 403 problem, other accounts a 404.
      const list = await server.http
        .get(`${accountPath(admin)}/conversations`)
        .set('api_access_token', bot.access_token);
      expectProblem(list, 403, 'agent_bot_not_allowed');
      const other = await createAccount('Other');
      const foreign = await server.http
        .post(`${accountPath(other)}/conversations/${displayId}/messages`)
        .set('api_access_token', bot.access_token)
        .send({ content: 'hello' });
      expectProblem(foreign, 404, 'account_not_found');
      // Inboxes it is not attached to do not exist for it.
      const elsewhere = await createInbox(server.http, admin);
      const outside = await contactWrites(server.http, elsewhere, 'Hi');
      const hidden = await server.http
        .post(`${accountPath(admin)}/conversations/${outside.displayId}/messages`)
        .set('api_access_token', bot.access_token)
        .send({ content: 'hello' });
      expectProblem(hidden, 404, 'conversation_not_found');

      // Handoff: the bot opens the conversation; the assignment saga takes over.
      const handoff = await server.http
        .post(`${accountPath(admin)}/conversations/${displayId}/toggle_status`)
        .set('api_access_token', bot.access_token)
        .send({ status: 'open' });
      expect(handoff.status).toBe(200);
      await soon(async () =>
        expect(await conversation(server.http, admin, displayId)).toMatchObject({
          status: 'open',
          assignee_id: admin.userId,
        }),
      );
      expect(activities(await messages(server.http, admin, displayId))).toContain(
        'Conversation was handed off to people by Connector bot',
      );
      const updated = await soon(() => {
        const event = receiver
          .events('conversation_updated', '/bot')
          .find((request) =>
            request.body.changed_attributes.some((change: object) => 'handoff' in change),
          );
        expect(event).toBeDefined();
        return event!;
      });
      expect(updated.body.changed_attributes).toContainEqual({
        handoff: {
          previous_value: null,
          current_value: {
            by: 'Connector bot',
            actor_type: 'agent_bot',
            actor_id: bot.id,
            reason: null,
          },
        },
      });
      await soon(() => expect(receiver.events('conversation_opened', '/bot')).toHaveLength(1));
      // One conversation's events reach the bot in order.
      const sequences = receiver.requests
        .filter(
          (request: Received) =>
            request.body.conversation?.id === displayId || request.body.id === displayId,
        )
        .map((request) => request.body.sequence);
      expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    });

    it('is assigned a conversation with assignee_type AgentBot, and a person taking over replaces it', async () => {
      const bot = await createBot(server.http, admin, { outgoing_url: receiver.url('/bot') });
      const inbox = await createInbox(server.http, admin, {}, { enable_auto_assignment: false });
      const { displayId } = await contactWrites(server.http, inbox, 'Hello');
      const assigned = await server.http
        .post(`${accountPath(admin)}/conversations/${displayId}/assignments`)
        .set('api_access_token', admin.token)
        .send({ assignee_id: bot.id, assignee_type: 'AgentBot' })
        .expect(200);
      expect(assigned.body).toMatchObject({
        id: bot.id,
        name: bot.name,
        assignee_type: 'AgentBot',
      });
      expect(await conversation(server.http, admin, displayId)).toMatchObject({
        status: 'pending',
        assignee_id: null,
        assignee_agent_bot_id: bot.id,
      });
      // The assigned bot hears the conversation though its inbox has no bot.
      await server.http
        .post(`${accountPath(admin)}/conversations/${displayId}/messages`)
        .set('api_access_token', admin.token)
        .send({ content: 'A person writes', private: false })
        .expect(201);
      await soon(() =>
        expect(receiver.events('message_created', '/bot').length).toBeGreaterThan(0),
      );

      const unknown = await server.http
        .post(`${accountPath(admin)}/conversations/${displayId}/assignments`)
        .set('api_access_token', admin.token)
        .send({ assignee_id: 999999, assignee_type: 'AgentBot' });
      expectProblem(unknown, 422, 'agent_bot_not_found');

      await server.http
        .post(`${accountPath(admin)}/conversations/${displayId}/assignments`)
        .set('api_access_token', admin.token)
        .send({ assignee_id: admin.userId })
        .expect(200);
      expect(await conversation(server.http, admin, displayId)).toMatchObject({
        assignee_id: admin.userId,
        assignee_agent_bot_id: null,
      });
    });
  });

  describe('automation', () => {
    it('assigns a bot with assign_agent_bot, and a rule conditioned on the bot hands off', async () => {
      const bot = await createBot(server.http, admin, {
        name: 'Rule bot',
        outgoing_url: receiver.url('/rules'),
      });
      const inbox = await createInbox(server.http, admin);
      await addInboxMembers(server.http, admin, inbox.id, [admin.userId]);
      const rule = (body: Record<string, unknown>) =>
        server.http
          .post(`${accountPath(admin)}/automation_rules`)
          .set('api_access_token', admin.token)
          .send({ name: unique('Rule'), ...body });
      await rule({
        event_name: 'conversation_created',
        conditions: [
          { attribute_key: 'inbox_id', filter_operator: 'equal_to', values: [inbox.id] },
        ],
        actions: [{ action_name: 'assign_agent_bot', action_params: [bot.id] }],
      }).expect(201);
      await rule({
        event_name: 'message_created',
        conditions: [
          {
            attribute_key: 'assignee_agent_bot_id',
            filter_operator: 'is_present',
            values: [],
            query_operator: 'and',
          },
          { attribute_key: 'content', filter_operator: 'contains', values: ['human'] },
        ],
        actions: [{ action_name: 'open_conversation', action_params: [] }],
      }).expect(201);
      const refused = await rule({
        event_name: 'conversation_created',
        conditions: [],
        actions: [{ action_name: 'assign_agent_bot', action_params: ['not a bot'] }],
      });
      expectProblem(refused, 422, 'validation_failed');

      const contact = await createPublicContact(server.http, inbox, { name: 'Robin' });
      const displayId = await createPublicConversation(server.http, inbox, contact);
      await soon(async () =>
        expect(await conversation(server.http, admin, displayId)).toMatchObject({
          status: 'pending',
          assignee_agent_bot_id: bot.id,
          assignee_id: null,
        }),
      );
      await postPublicMessage(server.http, inbox, contact, displayId, {
        content: 'I want a human please',
      });
      await soon(async () =>
        expect(await conversation(server.http, admin, displayId)).toMatchObject({
          status: 'open',
          assignee_agent_bot_id: null,
          assignee_id: admin.userId,
        }),
      );
      expect(activities(await messages(server.http, admin, displayId))).toEqual(
        expect.arrayContaining([
          'Assigned to Rule bot by an automation rule',
          'Conversation was handed off to people by an automation rule',
        ]),
      );
    });
  });

  describe('a bot that fails never strands a contact', () => {
    it('hands the conversation to people when the delivery of a message fails for good', async () => {
      receiver.responder = () => ({ status: 500 });
      const bot = await createBot(server.http, admin, { outgoing_url: receiver.url('/down') });
      const inbox = await createInbox(server.http, admin);
      await addInboxMembers(server.http, admin, inbox.id, [admin.userId]);
      await attachBot(server.http, admin, inbox.id, bot.id);
      const { displayId } = await contactWrites(server.http, inbox, 'Anyone there?');

      await soon(async () =>
        expect(await conversation(server.http, admin, displayId)).toMatchObject({
          status: 'open',
          assignee_id: admin.userId,
        }),
      );
      const [text] = activities(await messages(server.http, admin, displayId)).filter((content) =>
        content.startsWith('Conversation was handed off'),
      );
      expect(text).toBe(
        'Conversation was handed off to people by the system: the bot could not be reached (answered 500)',
      );
      // The message was attempted as often as a webhook's (1 + 3 retries), not dropped at once.
      expect(
        receiver.at('/down').filter((request) => request.body.event === 'message_created'),
      ).toHaveLength(4);

      // The bot's later answer is still accepted.
      receiver.responder = () => undefined;
      const late = await server.http
        .post(`${accountPath(admin)}/conversations/${displayId}/messages`)
        .set('api_access_token', bot.access_token)
        .send({ content: 'Sorry, I was down.' });
      expect(late.status).toBe(201);
    });

    it('does not hand off when a request is merely slow: it is retried and the bot answers', async () => {
      // The first attempt outlasts the 1 s request timeout; the retry gets through.
      receiver.responder = (_request, earlier) =>
        earlier.some((request) => request.body.event === 'message_created')
          ? undefined
          : _request.body.event === 'message_created'
            ? { delayMs: 1_500 }
            : undefined;
      const bot = await createBot(server.http, admin, { outgoing_url: receiver.url('/slow') });
      const inbox = await createInbox(server.http, admin);
      await attachBot(server.http, admin, inbox.id, bot.id);
      const { displayId } = await contactWrites(server.http, inbox, 'Hello?');
      await soon(() =>
        expect(
          receiver.events('message_created', '/slow').filter((request) => request.answered === 200),
        ).toHaveLength(1),
      );
      expect(receiver.events('message_created', '/slow').length).toBeGreaterThanOrEqual(2);
      await server.http
        .post(`${accountPath(admin)}/conversations/${displayId}/messages`)
        .set('api_access_token', bot.access_token)
        .send({ content: 'Hi! How can I help?' })
        .expect(201);
      const now = await conversation(server.http, admin, displayId);
      expect(now.status).toBe('pending');
      expect(activities(await messages(server.http, admin, displayId))).toEqual([]);
    });
  });

  describe('a bot inside the process', () => {
    it('the FAQ bot answers from its answers, and hands off when it has none', async () => {
      const bot = await createBot(server.http, admin, {
        name: 'FAQ bot',
        bot_config: {
          in_process: 'faq',
          answers: { 'opening hours': 'We are open 9:00-17:00, Monday to Friday.' },
        },
      });
      const inbox = await createInbox(server.http, admin);
      await addInboxMembers(server.http, admin, inbox.id, [admin.userId]);
      await attachBot(server.http, admin, inbox.id, bot.id);

      const { contact, displayId } = await contactWrites(
        server.http,
        inbox,
        'What are your opening hours?',
      );
      await soon(async () => {
        const answers = (await messages(server.http, admin, displayId)).filter(
          (message) => message.message_type === 1,
        );
        expect(answers).toEqual([
          expect.objectContaining({
            content: 'We are open 9:00-17:00, Monday to Friday.',
            sender: expect.objectContaining({ id: bot.id, type: 'agent_bot' }),
          }),
        ]);
      });
      expect((await conversation(server.http, admin, displayId)).status).toBe('pending');

      // The account's canned responses answer too (short code as the keyword).
      await server.http
        .post(`${accountPath(admin)}/canned_responses`)
        .set('api_access_token', admin.token)
        .send({ short_code: 'refund_policy', content: 'Refunds take 5 working days.' })
        .expect(201);
      await postPublicMessage(server.http, inbox, contact, displayId, {
        content: 'What is your refund policy?',
      });
      await soon(async () =>
        expect(
          (await messages(server.http, admin, displayId))
            .filter((message) => message.message_type === 1)
            .map((message) => message.content),
        ).toContain('Refunds take 5 working days.'),
      );

      await postPublicMessage(server.http, inbox, contact, displayId, {
        content: 'Do you ship to Mars?',
      });
      await soon(async () =>
        expect(await conversation(server.http, admin, displayId)).toMatchObject({
          status: 'open',
          assignee_id: admin.userId,
        }),
      );
      const all = await messages(server.http, admin, displayId);
      expect(all.filter((message) => message.message_type === 1).map((m) => m.content)).toEqual([
        'We are open 9:00-17:00, Monday to Friday.',
        'Refunds take 5 working days.',
        "I don't have an answer to that. A person will reply here shortly.",
      ]);
      expect(activities(all)).toContain(
        'Conversation was handed off to people by FAQ bot: the FAQ bot had no answer',
      );
    });
  });
});

/**
 * The reply timeout and the per-bot rate limit, on a server where both are short: a bot whose
 * endpoint takes every event but never answers the contact hands the conversation to people.
 */
describe('agent bots: reply timeout and rate limit', () => {
  let isolation: Isolation;
  let server: TestServer;
  let receiver: Receiver;
  let admin: TestAccount;

  beforeAll(async () => {
    isolation = await isolate('agent_bots_timeout');
    server = await startServer({
      ...FAST_WEBHOOKS,
      AGENT_BOT_REPLY_TIMEOUT_MS: '2000',
      AGENT_BOT_SWEEP_INTERVAL_MS: '200',
      RATE_LIMIT_PER_AGENT_BOT: '5',
    });
    receiver = await Receiver.start();
    admin = await createAccount('Slow bots');
  });
  afterAll(async () => {
    await receiver?.close();
    await server?.stop();
    await isolation?.release();
  });

  it('hands off a conversation whose contact waited too long, and still takes the late answer', async () => {
    const bot = await createBot(server.http, admin, { outgoing_url: receiver.url('/mute') });
    const inbox = await createInbox(server.http, admin);
    await addInboxMembers(server.http, admin, inbox.id, [admin.userId]);
    await attachBot(server.http, admin, inbox.id, bot.id);
    const { displayId } = await contactWrites(server.http, inbox, 'Hello?');
    await soon(async () =>
      expect(await conversation(server.http, admin, displayId)).toMatchObject({
        status: 'open',
        assignee_id: admin.userId,
      }),
    );
    expect(activities(await messages(server.http, admin, displayId))).toContain(
      'Conversation was handed off to people by the system: the bot did not answer within 2 seconds',
    );
    // Every event reached the bot: the handoff was about the answer, not the delivery.
    expect(receiver.events('message_created', '/mute').every((r) => r.answered === 200)).toBe(true);
    await server.http
      .post(`${accountPath(admin)}/conversations/${displayId}/messages`)
      .set('api_access_token', bot.access_token)
      .send({ content: 'Sorry for the wait!' })
      .expect(201);
  });

  it('limits the requests of each bot on its own counter', async () => {
    const bot = await createBot(server.http, admin, { outgoing_url: receiver.url('/limited') });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await server.http
        .post(`${accountPath(admin)}/conversations/999999/toggle_status`)
        .set('api_access_token', bot.access_token)
        .send({ status: 'open' });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([404, 404, 404, 404, 404, 429]);
    // A person's token has its own counter.
    await server.http
      .get(`${accountPath(admin)}/agent_bots`)
      .set('api_access_token', admin.token)
      .expect(200);
  });
});
