import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import {
  accountPath,
  createInbox,
  createPublicContact,
  createPublicConversation,
  unique,
} from './support/api-channel.js';
import type { TestInbox } from './support/api-channel.js';
import { closeTestDatabase, testDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { createAccount } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { expectInvalidFields, messagesOf } from './support/problems.js';
import { startServer, TestServer } from './support/server.js';

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

interface Run {
  conversation_id: number;
  matched: boolean;
  reason: string;
  actions: string[];
  errors: unknown[];
}

/**
 * The example extension (src/extensions/vip-routing) over HTTP: its condition attribute
 * contact_email_domain and its action mark_vip are used by rules like built-in ones.
 */
describe('Example extension: VIP routing', () => {
  let server: TestServer;
  let admin: TestAccount;
  let inbox: TestInbox;
  let ruleId: number;

  const rulesPath = () => `${accountPath(admin)}/automation_rules`;
  const vipRule = {
    name: 'VIP customers',
    event_name: 'conversation_created',
    conditions: [
      {
        attribute_key: 'contact_email_domain',
        filter_operator: 'equal_to',
        values: ['vip.example'],
      },
    ],
    actions: [{ action_name: 'mark_vip', action_params: [] }],
  };

  beforeAll(async () => {
    server = await startServer();
    admin = await createAccount('Extension');
    inbox = await createInbox(server.http, admin);
    const created = await server.http
      .post(rulesPath())
      .set('api_access_token', admin.token)
      .send(vipRule);
    expect({ status: created.status, body: created.body }).toMatchObject({
      status: 201,
      body: { payload: { ...vipRule, active: true } },
    });
    ruleId = created.body.payload.id;
  });
  afterAll(async () => {
    await server?.stop();
    await closeTestDatabase();
  });

  /** A contact with this email domain and a new conversation of theirs; answers its display id. */
  async function conversationFrom(domain: string): Promise<number> {
    const email = `customer-${randomBytes(4).toString('hex')}@${domain}`;
    const contact = await createPublicContact(server.http, inbox, {
      name: unique('Customer'),
      email,
    });
    return createPublicConversation(server.http, inbox, contact);
  }

  async function getConversation(displayId: number) {
    const response = await server.http
      .get(`${accountPath(admin)}/conversations/${displayId}`)
      .set('api_access_token', admin.token);
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 200 });
    return response.body as { labels: string[]; priority: string | null };
  }

  async function runsFor(displayId: number): Promise<Run[]> {
    const response = await server.http
      .get(`${rulesPath()}/${ruleId}/runs`)
      .set('api_access_token', admin.token)
      .expect(200);
    return (response.body.payload as Run[]).filter((run) => run.conversation_id === displayId);
  }

  it('marks a conversation from a VIP domain: label vip and priority urgent', async () => {
    const displayId = await conversationFrom('vip.example');
    await soon(async () =>
      expect(await getConversation(displayId)).toMatchObject({
        labels: ['vip'],
        priority: 'urgent',
      }),
    );
    const [run] = await soon(async () => {
      const runs = await runsFor(displayId);
      expect(runs).toHaveLength(1);
      return runs;
    });
    expect(run).toMatchObject({ matched: true, actions: ['mark_vip'], errors: [] });
    expect(run.reason).toContain(
      'contact_email_domain equal_to ["vip.example"] was true (value "vip.example")',
    );

    const labels = await server.http
      .get(`${accountPath(admin)}/conversations/${displayId}/labels`)
      .set('api_access_token', admin.token)
      .expect(200);
    expect(labels.body.payload).toEqual(['vip']);

    // The change is the rule's, so it triggers no rule itself.
    const { rows } = await testDatabase().query(
      `SELECT e.actor_type, e.actor_id, e.payload->'changed_attributes' AS changed
         FROM domain_events e JOIN conversations c ON c.id = e.conversation_id
        WHERE c.account_id = $1 AND c.display_id = $2 AND e.name = 'conversation_updated'`,
      [admin.accountId, displayId],
    );
    expect(rows).toEqual([
      {
        actor_type: 'automation_rule',
        actor_id: ruleId,
        changed: expect.arrayContaining([
          { labels: { previous_value: [], current_value: ['vip'] } },
          { priority: { previous_value: null, current_value: 'urgent' } },
        ]),
      },
    ]);
  });

  it('leaves a conversation from another domain alone', async () => {
    const displayId = await conversationFrom('other.example');
    const [run] = await soon(async () => {
      const runs = await runsFor(displayId);
      expect(runs).toHaveLength(1);
      return runs;
    });
    expect(run).toMatchObject({ matched: false, actions: [], errors: [] });
    expect(run.reason).toBe(
      'contact_email_domain equal_to ["vip.example"] was false (value "other.example")',
    );
    expect(await getConversation(displayId)).toMatchObject({ labels: [], priority: null });
  });

  it('dry-runs with the custom attribute like a built-in one', async () => {
    const vip = await conversationFrom('vip.example');
    const other = await conversationFrom('sub.vip.example');
    const dryRun = (displayId: number) =>
      server.http
        .post(`${rulesPath()}/${ruleId}/dry_run`)
        .set('api_access_token', admin.token)
        .send({ conversation_id: displayId })
        .expect(200);
    expect((await dryRun(vip)).body).toMatchObject({ matched: true, actions: vipRule.actions });
    expect((await dryRun(other)).body).toMatchObject({ matched: false, actions: [] });
  });

  it('refuses mark_vip with params, naming the action, and an attribute nobody registered', async () => {
    const response = await server.http
      .post(rulesPath())
      .set('api_access_token', admin.token)
      .send({
        ...vipRule,
        name: 'Bad VIP rule',
        conditions: [
          ...vipRule.conditions,
          { attribute_key: 'contact_email_tld', filter_operator: 'equal_to', values: ['example'] },
        ],
        actions: [{ action_name: 'mark_vip', action_params: ['x'] }],
      });
    const problem = expectInvalidFields(response, [
      'conditions[1].attribute_key',
      'actions[0].action_params',
    ]);
    expect(messagesOf(problem, 'actions[0].action_params')).toEqual(['mark_vip takes no params']);
    expect(messagesOf(problem, 'conditions[1].attribute_key').join()).toContain(
      'contact_email_tld',
    );

    const patched = await server.http
      .patch(`${rulesPath()}/${ruleId}`)
      .set('api_access_token', admin.token)
      .send({ actions: [{ action_name: 'mark_vip', action_params: ['x'] }] });
    expectInvalidFields(patched, ['actions[0].action_params']);
    const list = await server.http
      .get(rulesPath())
      .set('api_access_token', admin.token)
      .expect(200);
    expect(list.body.payload).toEqual([
      expect.objectContaining({ id: ruleId, actions: vipRule.actions }),
    ]);
  });
});
