import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  accountPath,
  createInbox,
  publicPath,
  seedConversation,
  unique,
} from './support/api-channel.js';
import { closeTestDatabase, testDatabase } from './support/database.js';
import { createAccount } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { expectInvalidFields, expectProblem, messagesOf } from './support/problems.js';
import { startServer } from './support/server.js';
import type { TestServer } from './support/server.js';

/**
 * Issue 11, item 1: hostile input classes that produced 500s, each refused at its root with a
 * 4xx problem naming the field: JSON shape at parse time, lone surrogates, explicit nulls,
 * lenient path ids, out-of-range numbers, filter values PostgreSQL cannot read, and outbound
 * URLs (private and IPv4-embedding IPv6 targets) wherever one is saved.
 */
describe('input hardening', () => {
  let server: TestServer;
  let admin: TestAccount;
  let seeded: Awaited<ReturnType<typeof seedConversation>>;
  let teamId: number;
  let ruleId: number;

  const db = () => testDatabase();
  const as = (
    method: 'get' | 'post' | 'patch' | 'put' | 'delete',
    path: string,
    body?: unknown,
  ) => {
    const request = server.http[method](path).set('api_access_token', admin.token);
    return body === undefined ? request : request.send(body as object);
  };
  /** Sends `raw` as a JSON body, byte for byte (supertest would re-encode an object). */
  const raw = (method: 'post' | 'patch' | 'put', path: string, text: string, token = true) => {
    const request = server.http[method](path).set('content-type', 'application/json');
    return (token ? request.set('api_access_token', admin.token) : request).send(text);
  };
  const publicContacts = () => `${publicPath(seeded.inbox.identifier)}/contacts`;
  const contactCount = async () =>
    (
      await db().query('SELECT count(*)::int AS n FROM contacts WHERE account_id = $1', [
        admin.accountId,
      ])
    ).rows[0].n as number;

  beforeAll(async () => {
    server = await startServer({ WEBHOOK_ALLOWED_TARGETS: '' });
    admin = await createAccount('Hardening');
    seeded = await seedConversation(server.http, admin);
    teamId = (await as('post', `${accountPath(admin)}/teams`, { name: unique('Team') }).expect(201))
      .body.id;
    const rule = await as('post', `${accountPath(admin)}/automation_rules`, {
      name: 'Mute',
      event_name: 'message_created',
      conditions: [],
      actions: [{ action_name: 'mute_conversation', action_params: [] }],
    }).expect(201);
    ruleId = rule.body.payload.id;
  });
  afterAll(async () => {
    await server?.stop();
    await closeTestDatabase();
  });

  describe('JSON shape is limited at parse time, on every route', () => {
    const nested = (levels: number, inner = '1') => '['.repeat(levels) + inner + ']'.repeat(levels);

    it('refuses a body nested deeper than 32 levels with 400 json_too_deep (sign-in, Client API, Application API)', async () => {
      const deep = `{"email":${nested(3_000)},"password":"x"}`;
      for (const response of [
        await raw('post', '/auth/sign_in', deep, false),
        await raw('post', publicContacts(), `{"custom_attributes":{"a":${nested(40)}}}`, false),
        await raw('post', `${accountPath(admin)}/contacts`, `{"name":${nested(300_000)}}`),
        await raw(
          'patch',
          `${accountPath(admin)}/inboxes/${seeded.inbox.id}`,
          `{"name":${nested(33)}}`,
        ),
      ]) {
        const problem = expectProblem(response, 400, 'json_too_deep');
        expect(problem.detail).toContain('32 levels');
      }
    });

    it('accepts what nests up to the limit', async () => {
      // body (1) > custom_attributes (2) > a (3) > 29 more arrays = 32 levels
      const response = await raw(
        'post',
        `${accountPath(admin)}/contacts`,
        `{"custom_attributes":{"a":${nested(30)}}}`,
      );
      expect(response.status).toBe(201);
    });

    it('refuses bodies of more than 10,000 values or objects of more than 1,000 keys with 400 json_too_complex', async () => {
      const before = await contactCount();
      const wide = JSON.stringify(
        Object.fromEntries(Array.from({ length: 40_000 }, (_, index) => [`k${index}`, 1])),
      );
      const manyArrays = `{"name":[${Array.from({ length: 200_000 }, () => '[]').join(',')}]}`;
      const wideAttributes = JSON.stringify({
        custom_attributes: Object.fromEntries(
          Array.from({ length: 1_001 }, (_, index) => [`k${index}`, 1]),
        ),
      });
      for (const response of [
        await raw('post', '/auth/sign_in', wide, false),
        await raw('post', publicContacts(), manyArrays, false),
        await raw('post', `${accountPath(admin)}/contacts`, wideAttributes),
      ]) {
        expectProblem(response, 400, 'json_too_complex');
      }
      expect(await contactCount()).toBe(before);
    });
  });

  describe('lone UTF-16 surrogates and NUL are refused with 400 invalid_characters naming the field', () => {
    const LONE = '"\\ud800"';

    it.each([
      ['contact name', 'contacts', `{"name":${LONE}}`, 'name'],
      [
        'attribute value',
        'contacts',
        `{"custom_attributes":{"plan":[${LONE}]}}`,
        'custom_attributes.plan[0]',
      ],
      [
        'attribute key',
        'contacts',
        `{"custom_attributes":{${LONE}:"x"}}`,
        'custom_attributes.(a key)',
      ],
      ['team name', 'teams', `{"name":"a\\udc00b"}`, 'name'],
      ['NUL in a name', 'contacts', `{"name":"a\\u0000b"}`, 'name'],
    ])('%s', async (_label, resource, body, field) => {
      const before = await contactCount();
      const problem = expectProblem(
        await raw('post', `${accountPath(admin)}/${resource}`, body),
        400,
        'invalid_characters',
      );
      expect(problem.errors).toEqual([{ field, messages: [expect.any(String)] }]);
      expect(problem.detail).toContain(field);
      expect(await contactCount()).toBe(before);
    });

    it('in the sign-in email and the Client API', async () => {
      expectProblem(
        await raw('post', '/auth/sign_in', `{"email":${LONE},"password":"x"}`, false),
        400,
        'invalid_characters',
      );
      expectProblem(
        await raw(
          'post',
          publicContacts(),
          `{"name":"Ann","custom_attributes":{"a":${LONE}}}`,
          false,
        ),
        400,
        'invalid_characters',
      );
    });

    it('keeps valid surrogate pairs (emoji)', async () => {
      const response = await raw(
        'post',
        `${accountPath(admin)}/contacts`,
        '{"name":"Ann \\ud83d\\ude00"}',
      );
      expect(response.status).toBe(201);
      expect(response.body.payload.contact.name).toBe('Ann 😀');
    });
  });

  describe('explicit null on a field that may not be null is a 422 naming it', () => {
    const NOT_NULL = /must not be null; leave the field out/;

    async function expectNullRefused(
      method: 'post' | 'patch' | 'put',
      path: string,
      body: Record<string, unknown>,
      fields: string[],
    ) {
      const problem = expectInvalidFields(await as(method, path, body), fields);
      for (const field of fields) expect(messagesOf(problem, field).join()).toMatch(NOT_NULL);
    }

    it('inbox settings and channel', async () => {
      const inbox = `${accountPath(admin)}/inboxes/${seeded.inbox.id}`;
      const fields = [
        'name',
        'enable_auto_assignment',
        'lock_to_single_conversation',
        'allow_messages_after_resolved',
        'greeting_enabled',
        'timezone',
      ];
      await expectNullRefused(
        'patch',
        inbox,
        {
          ...Object.fromEntries(fields.map((field) => [field, null])),
          channel: { hmac_mandatory: null, additional_attributes: null },
        },
        [...fields, 'channel.hmac_mandatory', 'channel.additional_attributes'],
      );
      await expectNullRefused(
        'post',
        `${accountPath(admin)}/inboxes`,
        { name: 'X', timezone: null, channel: { type: 'api', hmac_mandatory: null } },
        ['timezone', 'channel.hmac_mandatory'],
      );
    });

    it('team, automation rule, assignment policy, profile, agent, contact blocked', async () => {
      await expectNullRefused(
        'patch',
        `${accountPath(admin)}/teams/${teamId}`,
        { name: null, allow_auto_assign: null },
        ['name', 'allow_auto_assign'],
      );
      await expectNullRefused(
        'patch',
        `${accountPath(admin)}/automation_rules/${ruleId}`,
        { name: null, active: null },
        ['name', 'active'],
      );
      await expectNullRefused(
        'patch',
        `${accountPath(admin)}/inboxes/${seeded.inbox.id}/assignment_policy`,
        {
          enable_auto_assignment: null,
          strategy: null,
          include_offline_agents: null,
          keep_assignee_on_reopen: null,
        },
        ['enable_auto_assignment', 'strategy', 'include_offline_agents', 'keep_assignee_on_reopen'],
      );
      await expectNullRefused('patch', '/api/v1/profile', { name: null }, ['name']);
      await expectNullRefused(
        'patch',
        `${accountPath(admin)}/agents/${admin.userId}`,
        { auto_offline: null },
        ['auto_offline'],
      );
      await expectNullRefused(
        'put',
        `${accountPath(admin)}/contacts/${seeded.contact.id}`,
        { blocked: null },
        ['blocked'],
      );
      const { rows } = await db().query('SELECT name, active FROM automation_rules WHERE id = $1', [
        ruleId,
      ]);
      expect(rows[0]).toEqual({ name: 'Mute', active: true });
    });

    it('a contact name of null clears it, as the column keeps "" for no name', async () => {
      const created = await as('post', `${accountPath(admin)}/contacts`, { name: 'Named' }).expect(
        201,
      );
      const id = created.body.payload.contact.id;
      const updated = await as('put', `${accountPath(admin)}/contacts/${id}`, { name: null });
      expect(updated.status).toBe(200);
      expect(updated.body.payload.name).toBe('');
    });

    it('keeps accepting null where it is documented (clears or defaults)', async () => {
      const inbox = `${accountPath(admin)}/inboxes/${seeded.inbox.id}`;
      expect((await as('patch', inbox, { greeting_message: null })).status).toBe(200);
      expect(
        (await as('put', `${accountPath(admin)}/contacts/${seeded.contact.id}`, { email: null }))
          .status,
      ).toBe(200);
      expect(
        (
          await as('patch', `${inbox}/assignment_policy`, {
            capacity_in_inbox: null,
          })
        ).status,
      ).toBe(200);
      const docs = await server.http.get('/docs-json').expect(200);
      const schemas = docs.body.components.schemas;
      // OpenAPI 3.1 (for its webhooks section): null is a type, not `nullable`.
      expect(schemas.UpdateInboxRequest.properties.greeting_message.type).toContain('null');
      expect(schemas.UpdateInboxRequest.properties.enable_auto_assignment.type).toBe('boolean');
    });
  });

  describe('path ids are canonical decimal digits within the column range', () => {
    it.each(['0x10', '%201', '1e1', '%2B1', '01', '1.0', '1%20', '2147483648', '0', '-1'])(
      'answers 400 invalid_id for "%s", on the Application and Client APIs',
      async (id) => {
        for (const response of [
          await as('get', `${accountPath(admin)}/inboxes/${id}`),
          await as('get', `${accountPath(admin)}/teams/${id}`),
          await server.http.get(
            `${publicContacts()}/${seeded.contact.sourceId}/conversations/${id}`,
          ),
        ]) {
          const problem = expectProblem(response, 400, 'invalid_id');
          expect(problem.detail).toMatch(/plain digits/);
        }
      },
    );

    it('serves the canonical id, 404s a well-formed unknown one, and reads message ids as bigint', async () => {
      expect((await as('get', `${accountPath(admin)}/inboxes/${seeded.inbox.id}`)).status).toBe(
        200,
      );
      expectProblem(
        await as('get', `${accountPath(admin)}/inboxes/2147483647`),
        404,
        'inbox_not_found',
      );
      const conversation = `${accountPath(admin)}/conversations/${seeded.conversationId}`;
      expectProblem(
        await as('patch', `${conversation}/messages/3000000000`, { status: 'read' }),
        404,
        'message_not_found',
      );
      expectProblem(
        await as('patch', `${conversation}/messages/99999999999999999999`, { status: 'read' }),
        400,
        'invalid_id',
      );
    });

    it('an account id that is not canonical is 404 account_not_found (tenancy reveals nothing)', async () => {
      for (const id of ['01', '0x1', '%201']) {
        expectProblem(await as('get', `/api/v1/accounts/${id}/agents`), 404, 'account_not_found');
      }
    });
  });

  describe('numbers beyond the column range are refused in validation', () => {
    it('query ids and cursors', async () => {
      expectInvalidFields(
        await as('get', `${accountPath(admin)}/events`).query({ inbox_id: '99999999999999999999' }),
        ['inbox_id'],
      );
      expectInvalidFields(
        await as('get', `${accountPath(admin)}/events`).query({ conversation_id: 3_000_000_000 }),
        ['conversation_id'],
      );
      expectInvalidFields(
        await as('get', `${accountPath(admin)}/automation_rules/${ruleId}/runs`).query({
          before: '99999999999999999999',
        }),
        ['before'],
      );
    });

    it('ids in bodies', async () => {
      expectInvalidFields(
        await as('post', '/api/v1/profile/availability', {
          account_id: 3_000_000_000,
          availability: 'online',
        }),
        ['account_id'],
      );
      expectInvalidFields(
        await as('post', `${accountPath(admin)}/inbox_members`, {
          inbox_id: seeded.inbox.id,
          user_ids: [3_000_000_000],
        }),
        ['user_ids'],
      );
      expectInvalidFields(
        await as('post', `${accountPath(admin)}/teams/${teamId}/team_members`, {
          user_ids: [3_000_000_000],
        }),
        ['user_ids'],
      );
      // An object whose own toString is text cannot become a number: 422 naming it, not 500.
      expectInvalidFields(
        await as('post', `${accountPath(admin)}/teams/${teamId}/team_members`, {
          user_ids: { toString: 'x', valueOf: null },
        }),
        ['user_ids'],
      );
      expectInvalidFields(
        await as('post', `${accountPath(admin)}/automation_rules`, {
          name: 'Big',
          event_name: 'message_created',
          conditions: [],
          actions: [{ action_name: 'assign_agent', action_params: [3_000_000_000] }],
        }),
        ['actions[0].action_params'],
      );
    });
  });

  describe('filter values are validated by the attribute type (422 naming the condition)', () => {
    const filter = (
      resource: 'contacts' | 'conversations',
      key: string,
      operator: string,
      values: unknown[],
    ) =>
      as('post', `${accountPath(admin)}/${resource}/filter`, {
        payload: [
          {
            attribute_key: 'name',
            filter_operator: 'is_present',
            values: [],
            query_operator: 'AND',
          },
          { attribute_key: key, filter_operator: operator, values, query_operator: null },
        ],
      });

    it.each([
      ['contacts', 'created_at', 'is_greater_than', ['1']],
      ['contacts', 'created_at', 'is_greater_than', ['2020']],
      ['contacts', 'created_at', 'equal_to', ['0000-01-01']],
      ['contacts', 'last_activity_at', 'is_less_than', ['2021-02-29']],
      ['contacts', 'plan_level', 'is_greater_than', ['']],
      ['contacts', 'plan_level', 'is_greater_than', ['0x10']],
      ['conversations', 'created_at', 'is_greater_than', ['1']],
      ['conversations', 'created_at', 'equal_to', ['0000-01-01']],
      ['conversations', 'inbox_id', 'equal_to', ['0x10']],
    ])('%s %s %s %j', async (resource, key, operator, values) => {
      const problem = expectProblem(
        await filter(resource as 'contacts', key, operator, values),
        422,
        'invalid_filter',
      );
      expect(problem.detail).toContain('payload[1]');
      expect(problem.detail).toContain(key);
    });

    it.each([
      ['contacts', 'created_at', 'is_greater_than', ['2020-01-01']],
      ['contacts', 'created_at', 'is_less_than', ['2030-01-01T10:00:00Z']],
      ['contacts', 'plan_level', 'is_greater_than', ['1.5e2']],
      ['conversations', 'created_at', 'is_greater_than', ['2020-02-29 08:00:00+01:00']],
      ['conversations', 'inbox_id', 'equal_to', [String(1)]],
    ])('accepts %s %s %s %j', async (resource, key, operator, values) => {
      expect((await filter(resource as 'contacts', key, operator, values)).status).toBe(200);
    });
  });

  describe('one outbound URL policy wherever a URL is saved', () => {
    const REFUSED = [
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/hook',
      'http://[::a9fe:a9fe]/hook',
      'http://[::127.0.0.2]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[64:ff9b::a9fe:a9fe]/hook',
      'http://[2002:a9fe:a9fe::]/hook',
    ];
    const rule = (url: string) => ({
      name: 'Hook',
      event_name: 'message_created',
      conditions: [],
      actions: [
        { action_name: 'add_label', action_params: ['x'] },
        { action_name: 'send_webhook_event', action_params: [url] },
      ],
    });

    it.each(REFUSED)(
      'refuses %s for automation rules, account webhooks and inbox webhook_url',
      async (url) => {
        const before = (
          await db().query(
            'SELECT count(*)::int AS n FROM automation_rules WHERE account_id = $1',
            [admin.accountId],
          )
        ).rows[0].n;
        const created = expectProblem(
          await as('post', `${accountPath(admin)}/automation_rules`, rule(url)),
          422,
          'webhook_url_not_allowed',
        );
        expect(created.errors).toEqual([
          { field: 'actions[1].action_params[0]', messages: [expect.any(String)] },
        ]);
        expect(created.detail).toMatch(/WEBHOOK_ALLOWED_TARGETS/);
        expectProblem(
          await as('patch', `${accountPath(admin)}/automation_rules/${ruleId}`, {
            actions: rule(url).actions,
          }),
          422,
          'webhook_url_not_allowed',
        );
        expectProblem(
          await as('post', `${accountPath(admin)}/webhooks`, {
            url,
            subscriptions: ['message_created'],
          }),
          422,
          'webhook_url_not_allowed',
        );
        expectProblem(
          await as('patch', `${accountPath(admin)}/inboxes/${seeded.inbox.id}`, {
            channel: { webhook_url: url },
          }),
          422,
          'webhook_url_not_allowed',
        );
        const after = (
          await db().query(
            'SELECT count(*)::int AS n FROM automation_rules WHERE account_id = $1',
            [admin.accountId],
          )
        ).rows[0].n;
        expect(after).toBe(before);
      },
    );

    it('saves a public URL', async () => {
      expect(
        (
          await as(
            'post',
            `${accountPath(admin)}/automation_rules`,
            rule('http://93.184.216.34/hook'),
          )
        ).status,
      ).toBe(201);
      const inbox = await createInbox(server.http, admin, {
        webhook_url: 'http://[2606:4700:4700::1111]/hook',
      });
      expect(inbox.body.webhook_url).toBe('http://[2606:4700:4700::1111]/hook');
    });
  });
});
