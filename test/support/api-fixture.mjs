// A realistic account for the fuzz suite and the cross-account spec: an administrator and an
// agent with tokens, an API inbox the agent belongs to, a contact with a conversation, messages
// and a label, a team, an automation rule, an account webhook and one of its deliveries, and a
// custom attribute definition.
// Users and tokens are written straight to the database (as the tests' factories do); the rest
// goes through the API, so every row is what the application itself would store.
import { randomBytes } from 'node:crypto';
import { request } from 'undici';

const CREDENTIALS_MODULE = new URL('../../dist/src/accounts/credentials.js', import.meta.url);

/** The fixture's users sign in with this (the fuzz sends it now and then, to reach a 200). */
export const FIXTURE_PASSWORD = 'correct horse battery';

/** A webhook target that passes the URL policy and never answers (the name does not resolve). */
const HOOK_URL = 'https://hooks.conversa-fuzz.invalid/conversa';

/** JSON over HTTP; never throws on a status. */
export async function api(baseUrl, method, path, { token, body, headers = {} } = {}) {
  const response = await request(`${baseUrl}${path}`, {
    method: method.toUpperCase(),
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { api_access_token: token } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.body.text();
  let parsed = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: response.statusCode, body: parsed, headers: response.headers };
}

async function expectCreated(promise, what, expected = [200, 201]) {
  const response = await promise;
  if (!expected.includes(response.status)) {
    throw new Error(
      `fixture: ${what} answered ${response.status}: ${JSON.stringify(response.body).slice(0, 400)}`,
    );
  }
  return response.body;
}

let credentials;
async function credentialsModule() {
  credentials ??= await import(CREDENTIALS_MODULE.href);
  return credentials;
}

function unique(label) {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

/**
 * One account's rows, created through `Fixture.create`. `value(kind)` answers the id (or
 * identifier) of the row of a kind, as named by openapi-walk's kinds; `repair()` re-creates
 * whatever requests deleted, revoked or demoted since.
 */
export class Fixture {
  constructor(baseUrl, db, label) {
    this.baseUrl = baseUrl;
    this.db = db;
    this.label = label;
    this.ids = {};
    this.repairs = 0;
  }

  static async create(baseUrl, db, label = 'Fuzz') {
    const fixture = new Fixture(baseUrl, db, label);
    await fixture.createAccount();
    await fixture.createAgent();
    await fixture.createSpareToken();
    await fixture.createInbox();
    await fixture.createConversation();
    await fixture.createTeam();
    await fixture.createRule();
    await fixture.createWebhook();
    await fixture.createDelivery();
    await fixture.createInvitation();
    await fixture.createAccountResources();
    await fixture.createAgentBot();
    await fixture.createAttributeDefinition();
    return fixture;
  }

  get accountId() {
    return this.ids.account;
  }

  get adminToken() {
    return this.admin.token;
  }

  get agentToken() {
    return this.agent.token;
  }

  /** The value a path parameter or body field of this kind takes for this account. */
  value(kind) {
    if (!(kind in this.ids)) throw new Error(`The fixture has no row of kind "${kind}"`);
    return this.ids[kind];
  }

  call(method, path, body, token = this.admin.token) {
    return api(this.baseUrl, method, path, { token, body });
  }

  get base() {
    return `/api/v1/accounts/${this.ids.account}`;
  }

  async issueToken(userId, name) {
    const { issueToken } = await credentialsModule();
    const issued = issueToken();
    const {
      rows: [row],
    } = await this.db.query(
      `INSERT INTO access_tokens (user_id, name, kind, token_hash, hint)
       VALUES ($1, $2, 'personal', $3, $4) RETURNING id`,
      [userId, name, issued.hash, issued.hint],
    );
    return { id: row.id, token: issued.token };
  }

  async createUser(role, name) {
    const { hashPassword } = await credentialsModule();
    const email = `${unique(role)}@fuzz.test`;
    const {
      rows: [row],
    } = await this.db.query(
      `WITH member AS (INSERT INTO users (name, email, password_hash) VALUES ($2, $3, $4) RETURNING id)
       INSERT INTO account_users (account_id, user_id, role, availability)
       SELECT $1, member.id, $5, 'online' FROM member RETURNING user_id`,
      [this.ids.account, name, email, await hashPassword(FIXTURE_PASSWORD, 10), role],
    );
    const token = await this.issueToken(row.user_id, 'fuzz');
    return { userId: row.user_id, email, token: token.token, tokenId: token.id };
  }

  async createAccount() {
    const {
      rows: [row],
    } = await this.db.query(`INSERT INTO accounts (name) VALUES ($1) RETURNING id`, [
      `${this.label} account`,
    ]);
    this.ids.account = row.id;
    this.admin = await this.createUser('administrator', `${this.label} Admin`);
    this.ids.adminEmail = this.admin.email;
  }

  async createAgent() {
    this.agent = await this.createUser('agent', `${this.label} Agent`);
    this.ids.agent = this.agent.userId;
  }

  async createSpareToken() {
    this.ids.accessToken = (await this.issueToken(this.admin.userId, 'spare')).id;
  }

  async createInbox() {
    const inbox = await expectCreated(
      this.call('post', `${this.base}/inboxes`, {
        name: unique(`${this.label} API`),
        channel: { type: 'api', webhook_url: HOOK_URL },
      }),
      'create inbox',
    );
    this.ids.inbox = inbox.id;
    this.ids.inboxIdentifier = inbox.inbox_identifier;
    await this.addInboxMember();
  }

  async addInboxMember() {
    await expectCreated(
      this.call('post', `${this.base}/inbox_members`, {
        inbox_id: this.ids.inbox,
        user_ids: [this.agent.userId],
      }),
      'add inbox member',
    );
  }

  /** A contact of the inbox with a conversation: a contact message, a reply and a label. */
  async createConversation() {
    const publicBase = `/public/api/v1/inboxes/${this.ids.inboxIdentifier}`;
    const identifier = unique('crm');
    const contact = await expectCreated(
      api(this.baseUrl, 'post', `${publicBase}/contacts`, {
        body: { identifier, name: 'Casey Contact', email: `${identifier}@customer.test` },
      }),
      'create contact',
    );
    this.ids.contact = contact.id;
    this.ids.contactSource = contact.source_id;
    const conversation = await expectCreated(
      api(this.baseUrl, 'post', `${publicBase}/contacts/${contact.source_id}/conversations`, {
        body: {},
      }),
      'create conversation',
    );
    this.ids.conversation = conversation.id;
    await expectCreated(
      api(
        this.baseUrl,
        'post',
        `${publicBase}/contacts/${contact.source_id}/conversations/${conversation.id}/messages`,
        { body: { content: 'My order has not arrived' } },
      ),
      'post contact message',
    );
    await this.createMessage();
    await expectCreated(
      this.call('post', `${this.base}/conversations/${conversation.id}/labels`, {
        labels: ['billing'],
      }),
      'label conversation',
    );
  }

  async createMessage() {
    const message = await expectCreated(
      this.call('post', `${this.base}/conversations/${this.ids.conversation}/messages`, {
        content: 'Sorry! Checking now.',
      }),
      'reply',
    );
    this.ids.message = message.id;
  }

  async createTeam() {
    const team = await expectCreated(
      this.call('post', `${this.base}/teams`, { name: unique(`${this.label} team`) }),
      'create team',
    );
    this.ids.team = team.id;
    await this.addTeamMember();
  }

  async addTeamMember() {
    await expectCreated(
      this.call('post', `${this.base}/teams/${this.ids.team}/team_members`, {
        user_ids: [this.agent.userId],
      }),
      'add team member',
    );
  }

  async createRule() {
    const rule = await expectCreated(
      this.call('post', `${this.base}/automation_rules`, {
        name: unique('Refunds'),
        event_name: 'message_created',
        conditions: [
          {
            attribute_key: 'content',
            filter_operator: 'contains',
            values: ['refund'],
            query_operator: null,
          },
        ],
        actions: [{ action_name: 'add_label', action_params: ['refund'] }],
      }),
      'create automation rule',
    );
    this.ids.rule = rule.payload?.id ?? rule.id;
  }

  async createWebhook() {
    const created = await expectCreated(
      this.call('post', `${this.base}/webhooks`, {
        url: `${HOOK_URL}/account`,
        subscriptions: ['message_created', 'conversation_created', 'conversation_updated'],
      }),
      'create webhook',
    );
    this.ids.webhook = created.payload.webhook.id;
  }

  /** A message after the webhook exists, so that the webhook has a delivery row. */
  async createDelivery() {
    await this.createMessage();
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { rows } = await this.db.query(
        `SELECT id FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY id LIMIT 1`,
        [this.ids.webhook],
      );
      if (rows[0]) {
        this.ids.delivery = Number(rows[0].id);
        return;
      }
      if (Date.now() > deadline) throw new Error('fixture: the webhook got no delivery in 15 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** A pending invitation of a user who belongs to no account yet (an existing user is invited). */
  async createInvitation() {
    const email = `${unique('invitee')}@fuzz.test`;
    await this.db.query(`INSERT INTO users (name, email) VALUES ('Ivy Invitee', $1)`, [email]);
    const invitation = await expectCreated(
      this.call('post', `${this.base}/agents`, { name: 'Ivy Invitee', email, role: 'agent' }),
      'invite an existing user',
      [200, 201, 202],
    );
    this.ids.invitation = invitation.id;
  }

  /** An account label, a canned response and the administrator's custom filter. */
  async createAccountResources() {
    await this.createLabel();
    await this.createCannedResponse();
    await this.createCustomFilter();
  }

  async createLabel() {
    const label = await expectCreated(
      this.call('post', `${this.base}/labels`, { title: unique('billing') }),
      'create label',
    );
    this.ids.label = label.id;
  }

  async createCannedResponse() {
    const canned = await expectCreated(
      this.call('post', `${this.base}/canned_responses`, {
        short_code: unique('thanks'),
        content: 'Thank you for waiting!',
      }),
      'create canned response',
    );
    this.ids.cannedResponse = canned.id;
  }

  async createCustomFilter() {
    const filter = await expectCreated(
      this.call('post', `${this.base}/custom_filters`, {
        name: 'Open',
        filter_type: 'conversation',
        query: {
          payload: [{ attribute_key: 'status', filter_operator: 'equal_to', values: ['open'] }],
        },
      }),
      'create custom filter',
    );
    this.ids.customFilter = filter.id;
  }

  /** An agent bot (not attached to the inbox, so conversations keep starting open). */
  async createAgentBot() {
    const bot = await expectCreated(
      this.call('post', `${this.base}/agent_bots`, {
        name: unique(`${this.label} bot`),
        outgoing_url: `${HOOK_URL}/bot`,
      }),
      'create agent bot',
    );
    this.ids.agentBot = bot.id;
  }

  /** A contact list attribute: writes of `tier` on contacts are checked against its options. */
  async createAttributeDefinition() {
    const definition = await expectCreated(
      this.call('post', `${this.base}/custom_attribute_definitions`, {
        attribute_display_name: 'Tier',
        attribute_key: unique('tier'),
        attribute_display_type: 'list',
        attribute_model: 'contact_attribute',
        attribute_values: ['bronze', 'silver', 'gold'],
      }),
      'create custom attribute definition',
    );
    this.ids.attributeDefinition = definition.id;
  }

  /** Which parts of the fixture still stand, in one query. */
  async health() {
    const { rows } = await this.db.query(
      `SELECT
         EXISTS (SELECT 1 FROM access_tokens WHERE id = $2 AND revoked_at IS NULL
                   AND (expires_at IS NULL OR expires_at > now())) AS admin_token,
         EXISTS (SELECT 1 FROM account_users WHERE account_id = $1 AND user_id = $3
                   AND role = 'administrator') AS admin_role,
         EXISTS (SELECT 1 FROM account_users WHERE account_id = $1 AND user_id = $4) AS agent,
         EXISTS (SELECT 1 FROM account_users WHERE account_id = $1 AND user_id = $4
                   AND role = 'agent') AS agent_role,
         EXISTS (SELECT 1 FROM access_tokens WHERE id = $5 AND revoked_at IS NULL
                   AND (expires_at IS NULL OR expires_at > now())) AS agent_token,
         EXISTS (SELECT 1 FROM access_tokens WHERE id = $6 AND revoked_at IS NULL) AS spare_token,
         EXISTS (SELECT 1 FROM inboxes WHERE id = $7 AND deleted_at IS NULL) AS inbox,
         EXISTS (SELECT 1 FROM inboxes WHERE id = $7 AND NOT hmac_mandatory) AS inbox_open,
         EXISTS (SELECT 1 FROM inbox_members WHERE inbox_id = $7 AND user_id = $4) AS inbox_member,
         EXISTS (SELECT 1 FROM contact_inboxes WHERE inbox_id = $7 AND contact_id = $8
                   AND source_id = $9) AS contact,
         EXISTS (SELECT 1 FROM conversations WHERE account_id = $1 AND display_id = $10
                   AND contact_id = $8) AS conversation,
         EXISTS (SELECT 1 FROM messages m JOIN conversations c ON c.id = m.conversation_id
                   WHERE m.id = $11 AND c.display_id = $10 AND c.account_id = $1) AS message,
         EXISTS (SELECT 1 FROM teams WHERE id = $12) AS team,
         EXISTS (SELECT 1 FROM team_members WHERE team_id = $12 AND user_id = $4) AS team_member,
         EXISTS (SELECT 1 FROM automation_rules WHERE id = $13) AS rule,
         EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = $14) AS webhook,
         EXISTS (SELECT 1 FROM webhook_deliveries WHERE id = $15) AS delivery,
         EXISTS (SELECT 1 FROM account_invitations WHERE id = $16) AS invitation,
         EXISTS (SELECT 1 FROM labels WHERE id = $17) AS label,
         EXISTS (SELECT 1 FROM canned_responses WHERE id = $18) AS canned_response,
         EXISTS (SELECT 1 FROM custom_filters WHERE id = $19 AND user_id = $3) AS custom_filter,
         EXISTS (SELECT 1 FROM agent_bots WHERE id = $20) AS agent_bot,
         EXISTS (SELECT 1 FROM custom_attribute_definitions WHERE id = $21) AS attribute_definition`,
      [
        this.ids.account,
        this.admin.tokenId,
        this.admin.userId,
        this.agent.userId,
        this.agent.tokenId,
        this.ids.accessToken,
        this.ids.inbox,
        this.ids.contact,
        this.ids.contactSource,
        this.ids.conversation,
        this.ids.message,
        this.ids.team,
        this.ids.rule,
        this.ids.webhook,
        this.ids.delivery,
        this.ids.invitation,
        this.ids.label,
        this.ids.cannedResponse,
        this.ids.customFilter,
        this.ids.agentBot,
        this.ids.attributeDefinition,
      ],
    );
    return rows[0];
  }

  /**
   * Re-creates what the requests since the last call deleted, revoked or changed so that most
   * requests would be refused (a demoted administrator, an inbox now demanding HMAC).
   * Answers the names of the repaired parts (empty when all stood).
   */
  async repair() {
    const health = await this.health();
    const broken = Object.keys(health).filter((key) => !health[key]);
    if (broken.length === 0) return broken;
    this.repairs++;
    const is = (name) => broken.includes(name);
    if (is('admin_role')) {
      await this.db.query(
        `UPDATE account_users SET role = 'administrator' WHERE account_id = $1 AND user_id = $2`,
        [this.ids.account, this.admin.userId],
      );
    }
    if (is('admin_token')) {
      const token = await this.issueToken(this.admin.userId, 'fuzz');
      Object.assign(this.admin, { token: token.token, tokenId: token.id });
    }
    const newAgent = is('agent');
    if (newAgent) await this.createAgent();
    else if (is('agent_role')) {
      await this.db.query(
        `UPDATE account_users SET role = 'agent' WHERE account_id = $1 AND user_id = $2`,
        [this.ids.account, this.agent.userId],
      );
    }
    if (!newAgent && is('agent_token')) {
      const token = await this.issueToken(this.agent.userId, 'fuzz');
      Object.assign(this.agent, { token: token.token, tokenId: token.id });
    }
    if (is('spare_token')) await this.createSpareToken();
    const newInbox = is('inbox');
    if (newInbox) await this.createInbox();
    else {
      if (is('inbox_open')) {
        await expectCreated(
          this.call('patch', `${this.base}/inboxes/${this.ids.inbox}`, {
            channel: { hmac_mandatory: false },
          }),
          'reopen inbox',
        );
      }
      if (newAgent || is('inbox_member')) await this.addInboxMember();
    }
    if (newInbox || is('contact') || is('conversation')) await this.createConversation();
    else if (is('message')) await this.createMessage();
    const newTeam = is('team');
    if (newTeam) await this.createTeam();
    else if (newAgent || is('team_member')) await this.addTeamMember();
    if (is('rule')) await this.createRule();
    if (is('webhook')) await this.createWebhook();
    if (is('webhook') || is('delivery')) await this.createDelivery();
    if (is('invitation')) await this.createInvitation();
    if (is('label')) await this.createLabel();
    if (is('canned_response')) await this.createCannedResponse();
    if (is('custom_filter')) await this.createCustomFilter();
    if (is('agent_bot')) await this.createAgentBot();
    if (is('attribute_definition')) await this.createAttributeDefinition();
    return broken;
  }
}
