import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  accountPath,
  addInboxMembers,
  createInbox,
  createPublicContact,
  postPublicMessage,
  publicPath,
  unique,
} from './support/api-channel.js';
import type { TestContact, TestInbox } from './support/api-channel.js';
import { testDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { createAccount, createAgent } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { expectInvalidFields, expectProblem, messagesOf } from './support/problems.js';
import { startServer, TestServer } from './support/server.js';
import { isolate, Receiver } from './support/webhooks.js';
import type { Isolation } from './support/webhooks.js';

/**
 * Effects of events (assignments, rule runs) follow the response; on a loaded machine they can
 * take a while, so wait longer than eventually's default.
 */
function soon<T>(
  assertion: () => T | Promise<T>,
  options: { timeoutMs?: number } = {},
): Promise<T> {
  return eventually(assertion, { timeoutMs: 20_000, intervalMs: 100, ...options });
}

type Agent = { userId: number; token: string; email: string };

interface Condition {
  attribute_key: string;
  filter_operator: string;
  values: unknown[];
  query_operator?: string | null;
  custom_attribute_type?: string;
}

interface Action {
  action_name: string;
  action_params: unknown[];
}

interface Rule {
  id: number;
  name: string;
  event_name: string;
  conditions: Condition[];
  actions: Action[];
  active: boolean;
}

interface Run {
  id: number;
  event_name: string;
  event_id: string;
  conversation_id: number;
  matched: boolean;
  reason: string;
  actions: string[];
  errors: { action: string; error: string }[];
  created_at: string;
}

interface Conversation {
  id: number;
  status: string;
  priority: string | null;
  labels: string[];
  muted: boolean;
  snoozed_until: string | null;
  assignee_id: number | null;
  team_id: number | null;
  custom_attributes: Record<string, unknown>;
}

interface Message {
  id: number;
  content: string;
  message_type: number;
  private: boolean;
  content_attributes: Record<string, unknown>;
}

/** Rules in this spec match one conversation each: the one whose custom attribute `case` is theirs. */
const caseIs = (name: string): Condition => ({
  attribute_key: 'case',
  filter_operator: 'equal_to',
  values: [name],
  query_operator: 'AND',
  custom_attribute_type: 'conversation_attribute',
});

/**
 * Issue 5, automation rules over HTTP against the real server: validation at save, every
 * built-in action, every event, loop safety, the per-conversation ceiling on automated
 * messages, dry runs, the run log, cloning and tenancy.
 */
describe('Automation rules', () => {
  let isolation: Isolation;
  let server: TestServer;
  let receiver: Receiver;
  let admin: TestAccount;
  let agent: Agent;
  let outsider: Agent;
  let inbox: TestInbox;
  let teamId: number;

  beforeAll(async () => {
    // Loopback webhook targets are allowed for send_webhook_event: a database of our own, so no
    // other spec's deliveries are relayed by this server (see isolate).
    isolation = await isolate('automation');
    server = await startServer({
      WEBHOOK_ALLOWED_TARGETS: '127.0.0.0/8',
      AUTOMATION_MESSAGES_PER_MINUTE: '2',
    });
    receiver = await Receiver.start();
    admin = await createAccount('Rules');
    agent = await createAgent(server.http, admin);
    outsider = await createAgent(server.http, admin);
    inbox = await createInbox(server.http, admin);
    await addInboxMembers(server.http, admin, inbox.id, [agent.userId]);
    // Rules assign here; the policy must not.
    await server.http
      .patch(`${accountPath(admin)}/inboxes/${inbox.id}/assignment_policy`)
      .set('api_access_token', admin.token)
      .send({ enable_auto_assignment: false })
      .expect(200);
    const team = await server.http
      .post(`${accountPath(admin)}/teams`)
      .set('api_access_token', admin.token)
      .send({ name: unique('Billing'), allow_auto_assign: false })
      .expect(201);
    teamId = team.body.id;
  });
  afterAll(async () => {
    await receiver?.close();
    await server?.stop();
    await isolation?.release();
  });

  const rulesPath = () => `${accountPath(admin)}/automation_rules`;

  async function createRule(body: Partial<Rule> & { name?: string }): Promise<Rule> {
    const response = await server.http
      .post(rulesPath())
      .set('api_access_token', admin.token)
      .send({ name: unique('Rule'), conditions: [], ...body });
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 201 });
    return response.body.payload;
  }

  /** A rule for one case: its conditions are `case` = name, then `more`. */
  function caseRule(name: string, event: string, actions: Action[], more: Condition[] = []) {
    return createRule({
      name: `case ${name}`,
      event_name: event,
      conditions: [caseIs(name), ...more],
      actions,
    });
  }

  /** A contact and a conversation with custom attribute `case`, through the Client API. */
  async function conversationFor(
    name: string,
    target: TestInbox = inbox,
  ): Promise<{ displayId: number; contact: TestContact }> {
    const contact = await createPublicContact(server.http, target, { name: unique('Contact') });
    const response = await server.http
      .post(`${publicPath(target.identifier)}/contacts/${contact.sourceId}/conversations`)
      .send({ custom_attributes: { case: name } });
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 201 });
    return { displayId: response.body.id, contact };
  }

  async function getConversation(displayId: number): Promise<Conversation> {
    const response = await server.http
      .get(`${accountPath(admin)}/conversations/${displayId}`)
      .set('api_access_token', admin.token);
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 200 });
    return response.body;
  }

  async function messagesOfConversation(displayId: number): Promise<Message[]> {
    const response = await server.http
      .get(`${accountPath(admin)}/conversations/${displayId}/messages`)
      .set('api_access_token', admin.token);
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 200 });
    return response.body.payload;
  }

  /** Automated (rule-sent) messages of a conversation. */
  async function automatedMessages(displayId: number): Promise<Message[]> {
    return (await messagesOfConversation(displayId)).filter(
      (message) => message.content_attributes?.automation_rule_id,
    );
  }

  async function runsOf(ruleId: number, conversationId?: number): Promise<Run[]> {
    const response = await server.http
      .get(`${rulesPath()}/${ruleId}/runs`)
      .query({ limit: 100 })
      .set('api_access_token', admin.token);
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 200 });
    const runs: Run[] = response.body.payload;
    return conversationId === undefined
      ? runs
      : runs.filter((run) => run.conversation_id === conversationId);
  }

  async function toggleStatus(displayId: number, status: string) {
    await server.http
      .post(`${accountPath(admin)}/conversations/${displayId}/toggle_status`)
      .set('api_access_token', admin.token)
      .send({ status })
      .expect(200);
  }

  async function reply(displayId: number, content: string, extra: Record<string, unknown> = {}) {
    const response = await server.http
      .post(`${accountPath(admin)}/conversations/${displayId}/messages`)
      .set('api_access_token', admin.token)
      .send({ content, ...extra });
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 201 });
    return response.body as Message;
  }

  /** Waits for the rule's matched run on the conversation and checks it did these actions without errors. */
  async function matchedRun(rule: Rule, displayId: number, actions: string[]) {
    const [run] = await soon(async () => {
      const runs = (await runsOf(rule.id, displayId)).filter((candidate) => candidate.matched);
      expect(runs).toHaveLength(1);
      return runs;
    });
    expect(run).toMatchObject({ matched: true, actions, errors: [] });
    return run;
  }

  describe('validation at save', () => {
    it('names every unknown attribute, operator and action and every bad action_params in one 422', async () => {
      const response = await server.http
        .post(rulesPath())
        .set('api_access_token', admin.token)
        .send({
          name: 'Broken',
          event_name: 'conversation_exploded',
          conditions: [
            { attribute_key: 'shoe_size', filter_operator: 'equal_to', values: ['42'] },
            { attribute_key: 'status', filter_operator: 'resembles', values: ['open'] },
            { attribute_key: 'priority', filter_operator: 'equal_to', values: 'high' },
            {
              attribute_key: 'status',
              filter_operator: 'equal_to',
              values: ['open'],
              query_operator: 'XOR',
            },
          ],
          actions: [
            { action_name: 'launch_rocket', action_params: [] },
            { action_name: 'add_label', action_params: [] },
            { action_name: 'change_priority', action_params: ['extreme'] },
            { action_name: 'assign_agent', action_params: 'someone' },
            { action_name: 'send_webhook_event', action_params: ['ftp://example.test'] },
          ],
        });
      const problem = expectInvalidFields(response, [
        'event_name',
        'conditions[0].attribute_key',
        'conditions[1].filter_operator',
        'conditions[2].values',
        'conditions[3].query_operator',
        'actions[0].action_name',
        'actions[1].action_params',
        'actions[2].action_params',
        'actions[3].action_params',
        'actions[4].action_params',
      ]);
      expect(messagesOf(problem, 'event_name').join()).toContain('conversation_exploded');
      expect(messagesOf(problem, 'conditions[0].attribute_key').join()).toContain('shoe_size');
      expect(messagesOf(problem, 'conditions[1].filter_operator').join()).toContain('resembles');
      expect(messagesOf(problem, 'actions[0].action_name').join()).toContain('launch_rocket');
      expect(messagesOf(problem, 'actions[1].action_params').join()).toContain('add_label');
      expect(messagesOf(problem, 'actions[2].action_params').join()).toContain('change_priority');

      const list = await server.http
        .get(rulesPath())
        .set('api_access_token', admin.token)
        .expect(200);
      expect(list.body.payload.map((rule: Rule) => rule.name)).not.toContain('Broken');
    });

    it('accepts an unknown attribute as a custom attribute only with custom_attribute_type', async () => {
      const bare = await server.http
        .post(rulesPath())
        .set('api_access_token', admin.token)
        .send({
          name: 'Tier',
          event_name: 'conversation_created',
          conditions: [{ attribute_key: 'tier', filter_operator: 'equal_to', values: ['gold'] }],
          actions: [{ action_name: 'add_label', action_params: ['gold'] }],
        });
      expectInvalidFields(bare, ['conditions[0].attribute_key']);
      const rule = await createRule({
        event_name: 'conversation_created',
        conditions: [
          {
            attribute_key: 'tier',
            filter_operator: 'equal_to',
            values: ['gold'],
            custom_attribute_type: 'contact_attribute',
          },
        ],
        actions: [{ action_name: 'add_label', action_params: ['gold'] }],
        active: false,
      });
      expect(rule).toMatchObject({
        active: false,
        conditions: [{ attribute_key: 'tier', custom_attribute_type: 'contact_attribute' }],
      });
    });

    it('requires actions, and validates an update like a new rule without changing it', async () => {
      // An empty list is a rule that does nothing (Chatwoot saves it); a missing one is a mistake.
      expectInvalidFields(
        await server.http.post(rulesPath()).set('api_access_token', admin.token).send({
          name: 'Nothing to do',
          event_name: 'conversation_created',
          conditions: [],
        }),
        ['actions'],
      );
      const rule = await createRule({
        event_name: 'conversation_resolved',
        conditions: [caseIs('never')],
        actions: [{ action_name: 'add_label', action_params: ['x'] }],
      });
      const patched = await server.http
        .patch(`${rulesPath()}/${rule.id}`)
        .set('api_access_token', admin.token)
        .send({
          event_name: 'message_deleted',
          actions: [{ action_name: 'change_status', action_params: ['closed'] }],
        });
      expectInvalidFields(patched, ['event_name', 'actions[0].action_params']);
      const shown = await server.http
        .get(`${rulesPath()}/${rule.id}`)
        .set('api_access_token', admin.token)
        .expect(200);
      expect(shown.body.payload).toMatchObject({
        event_name: 'conversation_resolved',
        actions: rule.actions,
      });

      const renamed = await server.http
        .patch(`${rulesPath()}/${rule.id}`)
        .set('api_access_token', admin.token)
        .send({ name: 'Renamed', active: false })
        .expect(200);
      expect(renamed.body.payload).toMatchObject({
        name: 'Renamed',
        active: false,
        event_name: 'conversation_resolved',
      });
    });
  });

  describe('each action, run by a rule on conversation_created', () => {
    it('assign_agent gives the conversation to the agent, as the rule', async () => {
      const rule = await caseRule('assign_agent', 'conversation_created', [
        { action_name: 'assign_agent', action_params: [agent.userId] },
      ]);
      const { displayId } = await conversationFor('assign_agent');
      await soon(async () =>
        expect((await getConversation(displayId)).assignee_id).toBe(agent.userId),
      );
      await matchedRun(rule, displayId, ['assign_agent']);
      const activity = (await messagesOfConversation(displayId)).filter(
        (message) => message.message_type === 2,
      );
      expect(activity.map((message) => message.content)).toEqual([
        expect.stringMatching(/^Assigned to .+ by an automation rule$/),
      ]);
      const { rows } = await testDatabase().query(
        `SELECT e.actor_type, e.actor_id FROM domain_events e JOIN conversations c ON c.id = e.conversation_id
          WHERE c.account_id = $1 AND c.display_id = $2 AND e.name = 'conversation_updated'`,
        [admin.accountId, displayId],
      );
      expect(rows).toEqual([{ actor_type: 'automation_rule', actor_id: rule.id }]);
    });

    it('assign_team sets the team', async () => {
      const rule = await caseRule('assign_team', 'conversation_created', [
        { action_name: 'assign_team', action_params: [teamId] },
      ]);
      const { displayId } = await conversationFor('assign_team');
      await soon(async () => expect((await getConversation(displayId)).team_id).toBe(teamId));
      await matchedRun(rule, displayId, ['assign_team']);
    });

    it('add_label adds labels', async () => {
      const rule = await caseRule('add_label', 'conversation_created', [
        { action_name: 'add_label', action_params: ['billing', 'priority-support'] },
      ]);
      const { displayId } = await conversationFor('add_label');
      await soon(async () =>
        expect((await getConversation(displayId)).labels).toEqual(['billing', 'priority-support']),
      );
      await matchedRun(rule, displayId, ['add_label']);
    });

    it('remove_label removes labels (on conversation_updated, when the labels contain it)', async () => {
      const rule = await caseRule(
        'remove_label',
        'conversation_updated',
        [{ action_name: 'remove_label', action_params: ['stale'] }],
        [{ attribute_key: 'labels', filter_operator: 'contains', values: ['stale'] }],
      );
      const { displayId } = await conversationFor('remove_label');
      await server.http
        .post(`${accountPath(admin)}/conversations/${displayId}/labels`)
        .set('api_access_token', admin.token)
        .send({ labels: ['keep', 'stale'] })
        .expect(200);
      await soon(async () => expect((await getConversation(displayId)).labels).toEqual(['keep']));
      await matchedRun(rule, displayId, ['remove_label']);
    });

    it('send_message sends an outgoing message the contact sees', async () => {
      const rule = await caseRule('send_message', 'conversation_created', [
        { action_name: 'send_message', action_params: ['Thanks for writing, we are on it.'] },
      ]);
      const { displayId, contact } = await conversationFor('send_message');
      const [message] = await soon(async () => {
        const automated = await automatedMessages(displayId);
        expect(automated).toHaveLength(1);
        return automated;
      });
      expect(message).toMatchObject({
        content: 'Thanks for writing, we are on it.',
        message_type: 1,
        private: false,
        content_attributes: { automation_rule_id: rule.id },
      });
      const seen = await server.http
        .get(
          `${publicPath(inbox.identifier)}/contacts/${contact.sourceId}/conversations/${displayId}/messages`,
        )
        .expect(200);
      expect(seen.body.map((item: Message) => item.content)).toContain(
        'Thanks for writing, we are on it.',
      );
      await matchedRun(rule, displayId, ['send_message']);
    });

    it('add_private_note adds a private note the contact does not see', async () => {
      const rule = await caseRule('add_private_note', 'conversation_created', [
        { action_name: 'add_private_note', action_params: ['Check the invoice first'] },
      ]);
      const { displayId, contact } = await conversationFor('add_private_note');
      const [note] = await soon(async () => {
        const automated = await automatedMessages(displayId);
        expect(automated).toHaveLength(1);
        return automated;
      });
      expect(note).toMatchObject({ content: 'Check the invoice first', private: true });
      const seen = await server.http
        .get(
          `${publicPath(inbox.identifier)}/contacts/${contact.sourceId}/conversations/${displayId}/messages`,
        )
        .expect(200);
      expect(seen.body.map((item: Message) => item.content)).not.toContain(
        'Check the invoice first',
      );
      await matchedRun(rule, displayId, ['add_private_note']);
    });

    it('send_webhook_event posts the triggering event to the URL', async () => {
      const url = receiver.url('/rules');
      const rule = await caseRule('send_webhook_event', 'conversation_created', [
        { action_name: 'send_webhook_event', action_params: [url] },
      ]);
      const { displayId } = await conversationFor('send_webhook_event');
      const [request] = await soon(() => {
        const received = receiver.at('/rules').filter((item) => item.body.id === displayId);
        expect(received).toHaveLength(1);
        return received;
      });
      expect(request.headers['content-type']).toMatch(/^application\/json/);
      expect(request.body).toMatchObject({
        event: 'conversation_created',
        id: displayId,
        custom_attributes: { case: 'send_webhook_event' },
        event_id: expect.any(String),
      });
      const run = await matchedRun(rule, displayId, ['send_webhook_event']);
      expect(run.event_id).toBe(request.body.event_id);
    });

    it('mute_conversation mutes it', async () => {
      const rule = await caseRule('mute_conversation', 'conversation_created', [
        { action_name: 'mute_conversation', action_params: [] },
      ]);
      const { displayId } = await conversationFor('mute_conversation');
      await soon(async () => expect((await getConversation(displayId)).muted).toBe(true));
      await matchedRun(rule, displayId, ['mute_conversation']);
    });

    it('snooze_conversation snoozes it for the given minutes', async () => {
      const rule = await caseRule('snooze_conversation', 'conversation_created', [
        { action_name: 'snooze_conversation', action_params: [30] },
      ]);
      const before = Date.now();
      const { displayId } = await conversationFor('snooze_conversation');
      const conversation = await soon(async () => {
        const current = await getConversation(displayId);
        expect(current.status).toBe('snoozed');
        return current;
      });
      const until = Date.parse(conversation.snoozed_until!);
      expect(until).toBeGreaterThanOrEqual(before + 30 * 60_000 - 1_000);
      expect(until).toBeLessThanOrEqual(Date.now() + 30 * 60_000 + 1_000);
      await matchedRun(rule, displayId, ['snooze_conversation']);
    });

    it('resolve_conversation resolves it', async () => {
      const rule = await caseRule('resolve_conversation', 'conversation_created', [
        { action_name: 'resolve_conversation', action_params: [] },
      ]);
      const { displayId } = await conversationFor('resolve_conversation');
      await soon(async () => expect((await getConversation(displayId)).status).toBe('resolved'));
      await matchedRun(rule, displayId, ['resolve_conversation']);
    });

    it('open_conversation opens a pending one', async () => {
      const rule = await caseRule('open_conversation', 'conversation_created', [
        { action_name: 'open_conversation', action_params: [] },
      ]);
      const contact = await createPublicContact(server.http, inbox, { name: unique('Contact') });
      const created = await server.http
        .post(`${accountPath(admin)}/conversations`)
        .set('api_access_token', admin.token)
        .send({
          inbox_id: inbox.id,
          source_id: contact.sourceId,
          status: 'pending',
          custom_attributes: { case: 'open_conversation' },
        })
        .expect(201);
      const displayId: number = created.body.id;
      await soon(async () => expect((await getConversation(displayId)).status).toBe('open'));
      await matchedRun(rule, displayId, ['open_conversation']);
    });

    it('change_priority sets the priority', async () => {
      const rule = await caseRule('change_priority', 'conversation_created', [
        { action_name: 'change_priority', action_params: ['high'] },
      ]);
      const { displayId } = await conversationFor('change_priority');
      await soon(async () => expect((await getConversation(displayId)).priority).toBe('high'));
      await matchedRun(rule, displayId, ['change_priority']);
    });

    it('set_custom_attribute sets one custom attribute and keeps the others', async () => {
      const rule = await caseRule('set_custom_attribute', 'conversation_created', [
        { action_name: 'set_custom_attribute', action_params: ['tier', 'gold'] },
      ]);
      const { displayId } = await conversationFor('set_custom_attribute');
      await soon(async () =>
        expect((await getConversation(displayId)).custom_attributes).toEqual({
          case: 'set_custom_attribute',
          tier: 'gold',
        }),
      );
      await matchedRun(rule, displayId, ['set_custom_attribute']);
    });

    it('records a failing action in the run log and still runs the others', async () => {
      const failing = receiver.url('/failing');
      receiver.responder = (request) => (request.path === '/failing' ? { status: 500 } : undefined);
      const rule = await caseRule('failures', 'conversation_created', [
        { action_name: 'assign_agent', action_params: [outsider.userId] },
        { action_name: 'send_webhook_event', action_params: [failing] },
        { action_name: 'add_label', action_params: ['after-failures'] },
      ]);
      const { displayId } = await conversationFor('failures');
      const [run] = await soon(async () => {
        const runs = await runsOf(rule.id, displayId);
        expect(runs).toHaveLength(1);
        return runs;
      });
      expect(run).toMatchObject({ matched: true, actions: ['add_label'] });
      expect(run.errors).toEqual([
        { action: 'assign_agent', error: expect.any(String) },
        { action: 'send_webhook_event', error: expect.stringContaining('500') },
      ]);
      expect(await getConversation(displayId)).toMatchObject({
        assignee_id: null,
        labels: ['after-failures'],
      });
    });
  });

  describe('each event', () => {
    it('conversation_updated with attribute_changed on priority', async () => {
      const rule = await caseRule(
        'escalate',
        'conversation_updated',
        [{ action_name: 'add_label', action_params: ['escalated'] }],
        [{ attribute_key: 'priority', filter_operator: 'attribute_changed', values: ['urgent'] }],
      );
      const { displayId } = await conversationFor('escalate');
      const priority = (value: string) =>
        server.http
          .post(`${accountPath(admin)}/conversations/${displayId}/toggle_priority`)
          .set('api_access_token', admin.token)
          .send({ priority: value })
          .expect(200);

      await priority('high');
      const [miss] = await soon(async () => {
        const runs = await runsOf(rule.id, displayId);
        expect(runs).toHaveLength(1);
        return runs;
      });
      expect(miss).toMatchObject({
        event_name: 'conversation_updated',
        matched: false,
        actions: [],
      });
      expect(miss.reason).toContain('priority attribute_changed ["urgent"] was false');

      await priority('urgent');
      await soon(async () =>
        expect((await getConversation(displayId)).labels).toEqual(['escalated']),
      );
      await matchedRun(rule, displayId, ['add_label']);
    });

    it('conversation_opened and conversation_resolved', async () => {
      const opened = await caseRule('status', 'conversation_opened', [
        { action_name: 'add_label', action_params: ['reopened'] },
      ]);
      const resolved = await caseRule('status', 'conversation_resolved', [
        { action_name: 'add_label', action_params: ['was-resolved'] },
      ]);
      const { displayId } = await conversationFor('status');

      await toggleStatus(displayId, 'resolved');
      await soon(async () =>
        expect((await getConversation(displayId)).labels).toEqual(['was-resolved']),
      );
      await matchedRun(resolved, displayId, ['add_label']);
      expect(await runsOf(opened.id, displayId)).toEqual([]);

      await toggleStatus(displayId, 'open');
      await soon(async () =>
        expect((await getConversation(displayId)).labels).toEqual(['reopened', 'was-resolved']),
      );
      await matchedRun(opened, displayId, ['add_label']);
      expect(await runsOf(resolved.id, displayId)).toHaveLength(1);
    });

    it('message_created with content contains, and its own message does not trigger it again', async () => {
      const rule = await caseRule(
        'refund',
        'message_created',
        [{ action_name: 'send_message', action_params: ['Our refund team will reply shortly.'] }],
        [{ attribute_key: 'content', filter_operator: 'contains', values: ['refund'] }],
      );
      const { displayId, contact } = await conversationFor('refund');

      await postPublicMessage(server.http, inbox, contact, displayId, {
        content: 'I want a REFUND please',
      });
      await soon(async () => expect(await automatedMessages(displayId)).toHaveLength(1));
      await matchedRun(rule, displayId, ['send_message']);

      // The automated reply contains "refund" too; had it triggered the rule, it would be logged
      // before the run of a later message.
      await postPublicMessage(server.http, inbox, contact, displayId, { content: 'thanks' });
      const runs = await soon(async () => {
        const current = await runsOf(rule.id, displayId);
        expect(current.some((run) => !run.matched)).toBe(true);
        return current;
      });
      expect(runs.map((run) => run.matched)).toEqual([false, true]);
      expect(runs[0].reason).toContain('content contains ["refund"] was false (value "thanks")');
      const automated = await automatedMessages(displayId);
      expect(automated.map((message) => message.content)).toEqual([
        'Our refund team will reply shortly.',
      ]);
    });

    it('activity messages never trigger rules', async () => {
      const rule = await caseRule(
        'activity',
        'message_created',
        [{ action_name: 'add_label', action_params: ['saw-it'] }],
        [{ attribute_key: 'content', filter_operator: 'contains', values: ['marked resolved'] }],
      );
      const { displayId } = await conversationFor('activity');
      await toggleStatus(displayId, 'resolved');
      const activity = (await messagesOfConversation(displayId)).filter(
        (message) => message.message_type === 2,
      );
      expect(activity.map((message) => message.content)).toEqual([
        expect.stringContaining('marked resolved'),
      ]);

      // An agent's note afterwards is evaluated (a miss), and is logged after anything before it.
      await reply(displayId, 'nothing to see', { private: true });
      const [miss] = await soon(async () => {
        const runs = await runsOf(rule.id, displayId);
        expect(runs).toHaveLength(1);
        return runs;
      });
      expect(miss).toMatchObject({ matched: false });
      expect(miss.reason).toContain('(value "nothing to see")');
      expect((await getConversation(displayId)).labels).toEqual([]);

      // The same words from a person do trigger it.
      await reply(displayId, 'I marked resolved the invoice issue', { private: true });
      await soon(async () => expect((await getConversation(displayId)).labels).toEqual(['saw-it']));
    });

    it('a rule unassigning what the policy assigned does not start a loop with the policy', async () => {
      /** An inbox that auto-assigns, with one online agent. */
      const autoInbox = async () => {
        const created = await createInbox(server.http, admin);
        const worker = await createAgent(server.http, admin);
        await addInboxMembers(server.http, admin, created.id, [worker.userId]);
        await server.http
          .patch(`${accountPath(admin)}/agents/${worker.userId}`)
          .set('api_access_token', admin.token)
          .send({ availability_status: 'online' })
          .expect(200);
        return { inbox: created, worker };
      };
      const assigning = await autoInbox();
      const control = await autoInbox();
      const rule = await caseRule(
        'unassign',
        'conversation_updated',
        [{ action_name: 'assign_agent', action_params: [null] }],
        [{ attribute_key: 'assignee_id', filter_operator: 'is_present', values: [] }],
      );
      const { displayId } = await conversationFor('unassign', assigning.inbox);
      await matchedRun(rule, displayId, ['assign_agent']);
      await soon(async () => expect((await getConversation(displayId)).assignee_id).toBeNull());

      // Assignment work of the account is done in order: once a later conversation is assigned,
      // whatever the unassigning set off has run.
      const later = await conversationFor('control', control.inbox);
      await soon(async () =>
        expect((await getConversation(later.displayId)).assignee_id).toBe(control.worker.userId),
      );
      const { rows } = await testDatabase().query(
        `SELECT e.actor_type, e.payload->'assignee_id' AS assignee_id
           FROM domain_events e JOIN conversations c ON c.id = e.conversation_id
          WHERE c.account_id = $1 AND c.display_id = $2 AND e.name = 'conversation_updated' ORDER BY e.id`,
        [admin.accountId, displayId],
      );
      expect(rows).toEqual([
        { actor_type: 'system', assignee_id: assigning.worker.userId },
        { actor_type: 'automation_rule', assignee_id: null },
      ]);
      expect(await runsOf(rule.id, displayId)).toHaveLength(1);
    });

    it('caps automated messages per conversation per minute and logs the refusal', async () => {
      const rule = await caseRule(
        'ceiling',
        'message_created',
        [{ action_name: 'send_message', action_params: ['pong'] }],
        [{ attribute_key: 'message_type', filter_operator: 'equal_to', values: ['incoming'] }],
      );
      const { displayId, contact } = await conversationFor('ceiling');
      // The ceiling is 2 a minute; at most one minute boundary passes while this runs, so within
      // five messages three land in one minute.
      let refused: Run | undefined;
      for (let sent = 1; sent <= 6 && !refused; sent++) {
        await postPublicMessage(server.http, inbox, contact, displayId, {
          content: `ping ${sent}`,
        });
        const runs = await soon(async () => {
          const current = await runsOf(rule.id, displayId);
          expect(current).toHaveLength(sent);
          return current;
        });
        refused = runs.find((run) => run.errors.length > 0);
      }
      expect(refused).toBeDefined();
      expect(refused).toMatchObject({
        matched: true,
        actions: [],
        errors: [
          {
            action: 'send_message',
            error: expect.stringContaining('ceiling of 2 automated messages per minute'),
          },
        ],
      });
      const runs = await runsOf(rule.id, displayId);
      const automated = await automatedMessages(displayId);
      expect(automated.length).toBe(runs.filter((run) => run.errors.length === 0).length);
      expect(automated.length).toBeLessThan(runs.length);

      // Per conversation: another one is answered as usual.
      const other = await conversationFor('ceiling');
      await postPublicMessage(server.http, inbox, other.contact, other.displayId, {
        content: 'ping',
      });
      await soon(async () => expect(await automatedMessages(other.displayId)).toHaveLength(1));
      await matchedRun(rule, other.displayId, ['send_message']);
    });
  });

  describe('dry run, run log and cloning', () => {
    let rule: Rule;

    beforeAll(async () => {
      rule = await caseRule('dry', 'conversation_resolved', [
        { action_name: 'add_label', action_params: ['dry'] },
        { action_name: 'change_priority', action_params: ['urgent'] },
        { action_name: 'send_message', action_params: ['Would be sent'] },
      ]);
    });

    it('says whether the rule would match and what it would do, and changes nothing', async () => {
      const matching = await conversationFor('dry');
      const other = await conversationFor('not-dry');
      const snapshot = async (displayId: number) => ({
        conversation: await getConversation(displayId),
        messages: await messagesOfConversation(displayId),
        runs: await runsOf(rule.id, displayId),
      });
      const before = [await snapshot(matching.displayId), await snapshot(other.displayId)];

      const yes = await server.http
        .post(`${rulesPath()}/${rule.id}/dry_run`)
        .set('api_access_token', admin.token)
        .send({ conversation_id: matching.displayId })
        .expect(200);
      expect(yes.body).toEqual({
        matched: true,
        reason: expect.any(String),
        actions: rule.actions,
      });
      expect(yes.body.reason).toContain('case equal_to ["dry"] was true (value "dry")');

      const no = await server.http
        .post(`${rulesPath()}/${rule.id}/dry_run`)
        .set('api_access_token', admin.token)
        .send({ conversation_id: other.displayId })
        .expect(200);
      expect(no.body).toEqual({ matched: false, reason: expect.any(String), actions: [] });
      expect(no.body.reason).toContain('case equal_to ["dry"] was false (value "not-dry")');

      const after = [await snapshot(matching.displayId), await snapshot(other.displayId)];
      expect(after).toEqual(before);
      expect(after[0].runs).toEqual([]);

      expectProblem(
        await server.http
          .post(`${rulesPath()}/${rule.id}/dry_run`)
          .set('api_access_token', admin.token)
          .send({ conversation_id: 999_999 }),
        404,
        'conversation_not_found',
      );
      expectInvalidFields(
        await server.http
          .post(`${rulesPath()}/${rule.id}/dry_run`)
          .set('api_access_token', admin.token)
          .send({}),
        ['conversation_id'],
      );
    });

    it('the run log records matches and misses with their reasons, newest first', async () => {
      const matching = await conversationFor('dry');
      const other = await conversationFor('not-dry');
      await toggleStatus(other.displayId, 'resolved');
      await soon(async () => expect(await runsOf(rule.id, other.displayId)).toHaveLength(1));
      await toggleStatus(matching.displayId, 'resolved');
      await soon(async () =>
        expect((await getConversation(matching.displayId)).labels).toEqual(['dry']),
      );
      const runs = await soon(async () => {
        const current = (await runsOf(rule.id)).filter((run) =>
          [matching.displayId, other.displayId].includes(run.conversation_id),
        );
        expect(current).toHaveLength(2);
        return current;
      });
      expect(runs).toEqual([
        {
          id: expect.any(Number),
          event_name: 'conversation_resolved',
          event_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          conversation_id: matching.displayId,
          matched: true,
          reason: expect.stringContaining('case equal_to ["dry"] was true'),
          actions: ['add_label', 'change_priority', 'send_message'],
          errors: [],
          created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
        {
          id: expect.any(Number),
          event_name: 'conversation_resolved',
          event_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          conversation_id: other.displayId,
          matched: false,
          reason: 'case equal_to ["dry"] was false (value "not-dry")',
          actions: [],
          errors: [],
          created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
      ]);
      expect(runs[0].id).toBeGreaterThan(runs[1].id);
      expect(await getConversation(matching.displayId)).toMatchObject({
        priority: 'urgent',
        status: 'resolved',
      });

      const page = await server.http
        .get(`${rulesPath()}/${rule.id}/runs`)
        .query({ limit: 1 })
        .set('api_access_token', admin.token)
        .expect(200);
      expect(page.body.payload).toHaveLength(1);
      expect(page.body.meta).toEqual({ has_more: true });
      const next = await server.http
        .get(`${rulesPath()}/${rule.id}/runs`)
        .query({ limit: 100, before: page.body.payload[0].id })
        .set('api_access_token', admin.token)
        .expect(200);
      expect(next.body.payload.every((run: Run) => run.id < page.body.payload[0].id)).toBe(true);
    });

    it('clones a rule, and deletes the copy', async () => {
      const cloned = await server.http
        .post(`${rulesPath()}/${rule.id}/clone`)
        .set('api_access_token', admin.token)
        .expect(201);
      const copy: Rule = cloned.body.payload;
      expect(copy).toMatchObject({
        name: `${rule.name} (copy)`,
        event_name: rule.event_name,
        conditions: rule.conditions,
        actions: rule.actions,
        active: rule.active,
      });
      expect(copy.id).not.toBe(rule.id);
      const list = await server.http
        .get(rulesPath())
        .set('api_access_token', admin.token)
        .expect(200);
      expect(list.body.payload.map((item: Rule) => item.id)).toEqual(
        expect.arrayContaining([rule.id, copy.id]),
      );
      expect(await runsOf(copy.id)).toEqual([]);

      await server.http
        .delete(`${rulesPath()}/${copy.id}`)
        .set('api_access_token', admin.token)
        .expect(200);
      expectProblem(
        await server.http.get(`${rulesPath()}/${copy.id}`).set('api_access_token', admin.token),
        404,
        'automation_rule_not_found',
      );
      expectProblem(
        await server.http
          .post(`${rulesPath()}/${copy.id}/clone`)
          .set('api_access_token', admin.token),
        404,
        'automation_rule_not_found',
      );
    });
  });

  describe('tenancy and roles', () => {
    it("another account's administrator gets 404 for this account's rules", async () => {
      const rule = await createRule({
        event_name: 'conversation_resolved',
        conditions: [caseIs('never')],
        actions: [{ action_name: 'add_label', action_params: ['x'] }],
      });
      const other = await createAccount('Elsewhere');
      const theirs = `${accountPath(other)}/automation_rules/${rule.id}`;
      const as = (call: ReturnType<TestServer['http']['get']>) =>
        call.set('api_access_token', other.token);
      expectProblem(await as(server.http.get(theirs)), 404, 'automation_rule_not_found');
      expectProblem(
        await as(server.http.patch(theirs).send({ name: 'Mine now' })),
        404,
        'automation_rule_not_found',
      );
      expectProblem(
        await as(server.http.post(`${theirs}/clone`)),
        404,
        'automation_rule_not_found',
      );
      expectProblem(await as(server.http.get(`${theirs}/runs`)), 404, 'automation_rule_not_found');
      expectProblem(
        await as(server.http.post(`${theirs}/dry_run`).send({ conversation_id: 1 })),
        404,
        'automation_rule_not_found',
      );
      expectProblem(await as(server.http.delete(theirs)), 404, 'automation_rule_not_found');
      const list = await as(server.http.get(`${accountPath(other)}/automation_rules`)).expect(200);
      expect(list.body.payload).toEqual([]);
      expectProblem(
        await as(server.http.get(`${rulesPath()}/${rule.id}`)),
        404,
        'account_not_found',
      );
      expectProblem(
        await as(server.http.get(`${accountPath(admin)}/inboxes/${inbox.id}/assignment_policy`)),
        404,
        'account_not_found',
      );

      const still = await server.http
        .get(`${rulesPath()}/${rule.id}`)
        .set('api_access_token', admin.token)
        .expect(200);
      expect(still.body.payload.name).toBe(rule.name);
    });

    it('an agent of the account gets 403', async () => {
      const rule = await createRule({
        event_name: 'conversation_resolved',
        conditions: [caseIs('never')],
        actions: [{ action_name: 'add_label', action_params: ['x'] }],
      });
      const as = (call: ReturnType<TestServer['http']['get']>) =>
        call.set('api_access_token', agent.token);
      const forbidden = 'administrator_required';
      expectProblem(await as(server.http.get(rulesPath())), 403, forbidden);
      expectProblem(
        await as(
          server.http.post(rulesPath()).send({
            name: 'Agent rule',
            event_name: 'conversation_created',
            conditions: [],
            actions: [{ action_name: 'add_label', action_params: ['x'] }],
          }),
        ),
        403,
        forbidden,
      );
      expectProblem(await as(server.http.get(`${rulesPath()}/${rule.id}/runs`)), 403, forbidden);
      expectProblem(
        await as(
          server.http.post(`${rulesPath()}/${rule.id}/dry_run`).send({ conversation_id: 1 }),
        ),
        403,
        forbidden,
      );
      expectProblem(await as(server.http.post(`${rulesPath()}/${rule.id}/clone`)), 403, forbidden);
      expectProblem(await as(server.http.delete(`${rulesPath()}/${rule.id}`)), 403, forbidden);
      expectProblem(
        await as(
          server.http
            .patch(`${accountPath(admin)}/inboxes/${inbox.id}/assignment_policy`)
            .send({ strategy: 'balanced' }),
        ),
        403,
        forbidden,
      );
    });
  });
});
