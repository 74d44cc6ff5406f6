import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { Response } from 'supertest';
import { identityHash, seedConversation, unique } from './support/api-channel.js';
import { png } from './support/attachments.js';
import { eventually } from './support/eventually.js';
import { createAccount } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { startServer } from './support/server.js';
import type { TestServer } from './support/server.js';
import { FAST_WEBHOOKS, isolate, Receiver, verifies } from './support/webhooks.js';
import type { Isolation } from './support/webhooks.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the OpenAPI document is walked as plain JSON */

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
/** The events of the catalogue today; the webhooks section must describe at least these. */
const EVENTS = [
  'conversation_created',
  'conversation_updated',
  'conversation_status_changed',
  'conversation_deleted',
  'conversation_typing_on',
  'conversation_typing_off',
  'message_created',
  'message_updated',
  'message_deleted',
  'contact_created',
  'contact_updated',
  'contact_deleted',
  'inbox_created',
  'inbox_updated',
  'webhook_test',
];
type Method = (typeof METHODS)[number];
const JSON_TYPE = 'application/json';
const PROBLEM_TYPE = 'application/problem+json';

/** A JSON pointer segment inside a URI fragment. */
function segment(value: string): string {
  return encodeURIComponent(value.replace(/~/g, '~0').replace(/\//g, '~1'));
}

/**
 * A copy of the document whose objects admit no undocumented property, so that a field the
 * server answers but the document leaves out fails validation (clients may still ignore extras).
 */
function closed(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closed);
  if (!node || typeof node !== 'object') return node;
  const copy = Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, key === 'example' ? value : closed(value)]),
  );
  if (copy.properties && typeof copy.properties === 'object' && !('additionalProperties' in copy))
    copy.additionalProperties = false;
  return copy;
}

/**
 * The OpenAPI document is a contract: every operation says what it answers on success (a
 * schema, or explicitly no body), which problems it answers, and shows an example of its body;
 * every webhook event has a body schema; and what the server really answers and sends matches.
 */
describe('OpenAPI document', () => {
  let isolation: Isolation;
  let server: TestServer;
  let receiver: Receiver;
  let doc: any;
  let files: string;
  let ajv: Ajv2020;
  const validators = new Map<string, ValidateFunction>();

  beforeAll(async () => {
    // Its own database: the webhook it registers targets a loopback receiver (FAST_WEBHOOKS).
    isolation = await isolate('openapi');
    files = await mkdtemp(join(tmpdir(), 'openapi-files-'));
    server = await startServer({ ...FAST_WEBHOOKS, ATTACHMENT_DIR: files });
    receiver = await Receiver.start();
    const response = await server.http.get('/docs-json').expect(200);
    doc = response.body;
    // OpenAPI 3.1 schemas are JSON Schema 2020-12; `example` and the like are annotations.
    ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema(closed(doc) as object, 'openapi');
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
    await isolation?.release();
    if (files) await rm(files, { recursive: true, force: true });
  });

  function operations(): { path: string; method: Method; op: any }[] {
    return Object.entries(doc.paths as Record<string, any>).flatMap(([path, item]) =>
      METHODS.filter((method) => item[method]).map((method) => ({
        path,
        method,
        op: item[method],
      })),
    );
  }

  function validator(pointer: string): ValidateFunction {
    let validate = validators.get(pointer);
    if (!validate) {
      validate = ajv.compile({ $ref: `openapi#${pointer}` });
      validators.set(pointer, validate);
    }
    return validate;
  }

  /** What is wrong with `value` under the schema at `pointer` (empty when it conforms). */
  function mismatches(pointer: string, value: unknown): string[] {
    const validate = validator(pointer);
    if (validate(value)) return [];
    return (validate.errors ?? []).map(
      (error) =>
        `${error.instancePath || '(root)'} ${error.message} ${JSON.stringify(error.params)}`,
    );
  }

  it('is OpenAPI 3.1 and every $ref in it resolves', () => {
    expect(doc.openapi).toBe('3.1.0');
    const refs = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') refs.add(value);
          else walk(value);
        }
      }
    };
    walk(doc);
    const missing = [...refs].filter((ref) => {
      const name = ref.replace('#/components/schemas/', '');
      return !ref.startsWith('#/components/schemas/') || !doc.components.schemas[name];
    });
    expect(missing).toEqual([]);
  });

  it('documents for every operation its success answer, its problems and an example body', () => {
    const gaps: string[] = [];
    for (const { path, method, op } of operations()) {
      const name = `${method.toUpperCase()} ${path}`;
      const statuses = Object.keys(op.responses ?? {});
      const successes = statuses.filter((status) => /^2/.test(status));
      if (successes.length === 0) gaps.push(`${name}: no success answer`);
      for (const status of successes) {
        const answer = op.responses[status];
        // JSON, or another media type (CSV exports) with its own schema.
        const schema =
          answer.content?.[JSON_TYPE]?.schema ??
          (Object.values(answer.content ?? {})[0] as { schema?: object } | undefined)?.schema;
        // No body is fine when it is said: 204, or Content-Length 0 (ApiEmptyResponse).
        const saysEmpty =
          status === '204' || answer.headers?.['Content-Length']?.schema?.enum?.[0] === 0;
        if (!schema && !saysEmpty) gaps.push(`${name}: ${status} has no schema`);
        if (schema && Object.keys(schema).length === 0) gaps.push(`${name}: ${status} schema {}`);
      }
      const problems = statuses.filter((status) => /^[45]/.test(status));
      if (problems.length === 0) gaps.push(`${name}: no problem answers`);
      for (const status of problems) {
        const ref = op.responses[status].content?.[PROBLEM_TYPE]?.schema?.$ref;
        if (ref !== '#/components/schemas/ProblemDetails')
          gaps.push(`${name}: ${status} is not documented as problem+json`);
      }
      if (op.requestBody) {
        const media = op.requestBody.content?.[JSON_TYPE];
        const examples = Object.values(media?.examples ?? {}) as { value?: unknown }[];
        if (!media?.schema) gaps.push(`${name}: body without schema`);
        if (examples.length === 0 && media?.example === undefined)
          gaps.push(`${name}: body without an example`);
        // Examples are requests a client could send: they must fit the body's own schema.
        const pointer = `/paths/${segment(path)}/${method}/requestBody/content/${segment(JSON_TYPE)}/schema`;
        for (const example of examples) {
          const wrong = mismatches(pointer, example.value);
          if (wrong.length)
            gaps.push(`${name}: example ${JSON.stringify(example.value)}: ${wrong}`);
        }
      }
    }
    expect(gaps).toEqual([]);
    expect(operations().length).toBeGreaterThan(90);
  });

  it('describes every webhook event in the webhooks section, one schema each', () => {
    const names = Object.keys(doc.webhooks);
    expect(names).toEqual(expect.arrayContaining(EVENTS));
    // Every event a webhook may subscribe to is in the section (the catalogue is open).
    const subscribable: string[] =
      doc.components.schemas.CreateWebhookRequest.properties.subscriptions.items.enum;
    expect(names).toEqual(expect.arrayContaining([...subscribable, 'webhook_test']));
    for (const name of names) {
      expect({
        name,
        ref: doc.webhooks[name].post.requestBody.content[JSON_TYPE].schema.$ref,
      }).toEqual({
        name,
        ref: expect.stringMatching(/^#\/components\/schemas\//),
      });
      const operation = doc.webhooks[name].post;
      const ref: string = operation.requestBody.content[JSON_TYPE].schema.$ref;
      const schema = doc.components.schemas[ref.replace('#/components/schemas/', '')];
      expect({ name, event: schema?.properties?.event?.enum }).toEqual({ name, event: [name] });
      expect(schema.required).toEqual(
        expect.arrayContaining(['event', 'event_id', 'sequence', 'occurred_at']),
      );
      expect(operation.parameters.map((parameter: { name: string }) => parameter.name)).toEqual([
        'webhook-id',
        'webhook-timestamp',
        'webhook-signature',
      ]);
    }
  });

  describe('real answers match the documented schemas', () => {
    let admin: TestAccount;
    const seen: string[] = [];
    // Every mismatch of a flow, reported together at its end (a flow goes on after one).
    const failures: string[] = [];
    afterEach(() => {
      expect(failures.splice(0)).toEqual([]);
    });

    /**
     * Calls `template` (a path of the document) and checks the answer against what the
     * document says for that operation and status; returns the response for the flow to use.
     */
    async function call(
      method: Method,
      template: string,
      params: Record<string, string | number>,
      options: { body?: unknown; query?: Record<string, string>; token?: string | null } = {},
    ): Promise<Response> {
      const url = template.replace(/\{(\w+)\}/g, (_, key: string) =>
        encodeURIComponent(String(params[key])),
      );
      let request = server.http[method](url);
      const token = options.token === undefined ? admin.token : options.token;
      if (token) request = request.set('api_access_token', token);
      if (options.query) request = request.query(options.query);
      const response = await (options.body === undefined
        ? request
        : request.send(options.body as object));
      const name = `${method.toUpperCase()} ${template} → ${response.status}`;
      seen.push(`${method} ${template}`);
      const answer = doc.paths[template]?.[method]?.responses?.[String(response.status)];
      if (!answer) throw new Error(`${name} is not documented: ${response.text.slice(0, 500)}`);
      // A documented text answer (CSV) is checked by its media type only; octet-stream is any file.
      const type = String(response.headers['content-type'] ?? '').split(';')[0];
      const bytes = answer.content?.[type] ?? answer.content?.['application/octet-stream'];
      if (response.status < 400 && type !== JSON_TYPE && bytes) return response;
      const media = response.status >= 400 ? PROBLEM_TYPE : JSON_TYPE;
      if (!answer.content?.[media]) {
        if (response.text !== '') failures.push(`${name}: documented without a body, got one`);
        return response;
      }
      if (!String(response.headers['content-type']).startsWith(media))
        failures.push(`${name}: ${response.headers['content-type']}, documented ${media}`);
      const pointer = `/paths/${segment(template)}/${method}/responses/${response.status}/content/${segment(media)}/schema`;
      for (const wrong of mismatches(pointer, response.body)) failures.push(`${name}: ${wrong}`);
      return response;
    }

    const A = '/api/v1/accounts/{account_id}';
    const P = '/public/api/v1/inboxes/{inbox_identifier}/contacts/{source_id}';

    beforeAll(async () => {
      admin = await createAccount('OpenAPI');
    });

    it('for the agent, team, inbox, contact, conversation and message flows', async () => {
      const account_id = admin.accountId;
      await call('get', '/api/v1/profile', {});
      await call('get', '/api/v1/profile/access_tokens', {});
      const token = await call(
        'post',
        '/api/v1/profile/access_tokens',
        {},
        { body: { name: 'ci' } },
      );
      await call('delete', '/api/v1/profile/access_tokens/{id}', { id: token.body.id });

      const email = `${unique('agent')}@example.test`;
      const agent = await call(
        'post',
        `${A}/agents`,
        { account_id },
        {
          body: { name: 'Grace Agent', email, role: 'agent', password: 'correct horse battery' },
        },
      );
      await call(
        'post',
        '/auth/sign_in',
        {},
        {
          body: { email, password: 'correct horse battery' },
          token: null,
        },
      );
      await call(
        'patch',
        `${A}/agents/{id}`,
        { account_id, id: agent.body.id },
        {
          body: { availability_status: 'online' },
        },
      );
      await call('get', `${A}/agents`, { account_id });
      const team = await call(
        'post',
        `${A}/teams`,
        { account_id },
        { body: { name: unique('Team') } },
      );
      const teamParams = { account_id, id: team.body.id };
      await call('post', `${A}/teams/{id}/team_members`, teamParams, {
        body: { user_ids: [agent.body.id] },
      });
      await call('get', `${A}/teams/{id}/team_members`, teamParams);

      const inbox = await call(
        'post',
        `${A}/inboxes`,
        { account_id },
        {
          body: { name: unique('Inbox'), channel: { type: 'api', hmac_mandatory: true } },
        },
      );
      const inbox_id = inbox.body.id;
      await call(
        'post',
        `${A}/inbox_members`,
        { account_id },
        {
          body: { inbox_id, user_ids: [agent.body.id] },
        },
      );
      await call('get', `${A}/inboxes`, { account_id });
      await call(
        'patch',
        `${A}/inboxes/{id}`,
        { account_id, id: inbox_id },
        {
          body: { greeting_enabled: true, greeting_message: 'Hi!' },
        },
      );
      await call('get', `${A}/inboxes/{id}/assignment_policy`, { account_id, id: inbox_id });
      await call(
        'patch',
        `${A}/inboxes/{id}/assignment_policy`,
        { account_id, id: inbox_id },
        {
          body: { strategy: 'balanced', capacity_in_inbox: 5 },
        },
      );
      // An inbox without webhook_url: its webhook routes answer a problem, documented too.
      await call('get', `${A}/inboxes/{id}/webhook`, { account_id, id: inbox_id });

      const identifier = unique('cus');
      const identifier_hash = identityHash(inbox.body.hmac_token, identifier);
      const inbox_identifier = inbox.body.inbox_identifier;
      await call(
        'get',
        '/public/api/v1/inboxes/{inbox_identifier}',
        { inbox_identifier },
        { token: null },
      );
      const contact = await call(
        'post',
        '/public/api/v1/inboxes/{inbox_identifier}/contacts',
        { inbox_identifier },
        {
          body: { identifier, identifier_hash, name: 'Casey Contact' },
          token: null,
        },
      );
      const pub = { inbox_identifier, source_id: contact.body.source_id };
      const asContact = { token: null, query: { identifier_hash } };
      await call('get', P, pub, asContact);
      await call('patch', P, pub, { ...asContact, body: { custom_attributes: { plan: 'pro' } } });
      const opened = await call('post', `${P}/conversations`, pub, { ...asContact, body: {} });
      const conv = { ...pub, id: opened.body.id };
      const sent = await call('post', `${P}/conversations/{id}/messages`, conv, {
        ...asContact,
        body: { content: 'Where is my order?', echo_id: 'tmp-1' },
      });
      await call('get', `${P}/conversations`, pub, asContact);
      await call('get', `${P}/conversations/{id}`, conv, asContact);
      await call('get', `${P}/conversations/{id}/messages`, conv, asContact);
      await call('post', `${P}/conversations/{id}/toggle_typing`, conv, {
        ...asContact,
        body: { typing_status: 'on' },
      });
      await call('post', `${P}/conversations/{id}/update_last_seen`, conv, asContact);
      await call(
        'put',
        `${P}/conversations/{id}/messages/{message_id}`,
        { ...conv, message_id: sent.body.id },
        {
          ...asContact,
          body: { submitted_values: { rating: 5 } },
        },
      );

      const c = { account_id, id: opened.body.id };
      await call('get', `${A}/conversations`, { account_id }, { query: { status: 'all' } });
      await call('get', `${A}/conversations/meta`, { account_id });
      await call(
        'post',
        `${A}/conversations/filter`,
        { account_id },
        {
          body: {
            payload: [{ attribute_key: 'status', filter_operator: 'equal_to', values: ['open'] }],
          },
        },
      );
      await call('get', `${A}/conversations/{id}`, c);
      await call('patch', `${A}/conversations/{id}`, c, { body: { priority: 'high' } });
      await call('post', `${A}/conversations/{id}/assignments`, c, {
        body: { assignee_id: agent.body.id },
      });
      await call('post', `${A}/conversations/{id}/assignments`, c, {
        body: { team_id: team.body.id },
      });
      await call('post', `${A}/conversations/{id}/assignments`, c, { body: { assignee_id: null } });
      await call('post', `${A}/conversations/{id}/labels`, c, { body: { labels: ['billing'] } });
      await call('get', `${A}/conversations/{id}/labels`, c);
      await call('post', `${A}/conversations/{id}/custom_attributes`, c, {
        body: { custom_attributes: { order_id: 'A-1' } },
      });
      await call('post', `${A}/conversations/{id}/toggle_priority`, c, {
        body: { priority: 'urgent' },
      });
      await call('post', `${A}/conversations/{id}/toggle_typing_status`, c, {
        body: { typing_status: 'off' },
      });
      await call('post', `${A}/conversations/{id}/update_last_seen`, c);
      const reply = await call('post', `${A}/conversations/{id}/messages`, c, {
        body: { content: 'On its way.' },
      });
      const m = { ...c, message_id: reply.body.id };
      await call('patch', `${A}/conversations/{id}/messages/{message_id}`, m, {
        body: { status: 'delivered' },
      });
      await call('get', `${A}/conversations/{id}/messages`, c);
      await call('delete', `${A}/conversations/{id}/messages/{message_id}`, m);
      await call('post', `${A}/conversations/{id}/toggle_status`, c, {
        body: { status: 'snoozed', snoozed_until: Math.floor(Date.now() / 1000) + 3600 },
      });
      await call('post', `${P}/conversations/{id}/toggle_status`, conv, asContact);

      const contact_id = contact.body.id;
      await call('get', `${A}/contacts`, { account_id });
      await call('get', `${A}/contacts/search`, { account_id }, { query: { q: 'Casey' } });
      await call('get', `${A}/contacts/{id}`, { account_id, id: contact_id });
      await call('get', `${A}/contacts/{id}/conversations`, { account_id, id: contact_id });
      await call('get', `${A}/contacts/{id}/contactable_inboxes`, { account_id, id: contact_id });
      const other = await call(
        'post',
        `${A}/contacts`,
        { account_id },
        {
          body: { name: 'Bob Roe', inbox_id, source_id: unique('crm') },
        },
      );
      await call(
        'post',
        `${A}/conversations`,
        { account_id },
        {
          body: {
            inbox_id,
            contact_id: other.body.payload.contact.id,
            message: { content: 'Hello' },
          },
        },
      );
      await call('delete', `${A}/contacts/{id}`, { account_id, id: other.body.payload.contact.id });

      const rule = await call(
        'post',
        `${A}/automation_rules`,
        { account_id },
        {
          body: {
            name: 'Refunds',
            event_name: 'message_created',
            conditions: [
              { attribute_key: 'content', filter_operator: 'contains', values: ['refund'] },
            ],
            actions: [{ action_name: 'add_label', action_params: ['billing'] }],
          },
        },
      );
      const r = { account_id, id: rule.body.payload.id };
      await call('get', `${A}/automation_rules`, { account_id });
      await call('post', `${A}/automation_rules/{id}/dry_run`, r, {
        body: { conversation_id: c.id },
      });
      await call('get', `${A}/automation_rules/{id}/runs`, r);
      const copy = await call('post', `${A}/automation_rules/{id}/clone`, r);
      await call('delete', `${A}/automation_rules/{id}`, { account_id, id: copy.body.payload.id });

      // Problems: a missing resource and an invalid field.
      await call('get', `${A}/conversations/{id}`, { account_id, id: 999_999 });
      await call('post', `${A}/teams`, { account_id }, { body: { name: '' } });
      await call('delete', `${A}/teams/{id}`, teamParams);
      await call('delete', `${A}/agents/{id}`, { account_id, id: agent.body.id });
    });

    it('for webhooks, deliveries, the event feed and the bodies a receiver gets', async () => {
      const account_id = admin.accountId;
      const created = await call(
        'post',
        `${A}/webhooks`,
        { account_id },
        {
          body: {
            url: receiver.url('/openapi'),
            subscriptions: ['message_created', 'conversation_created'],
          },
        },
      );
      const webhook = created.body.payload.webhook;
      const w = { account_id, id: webhook.id };
      await call('get', `${A}/webhooks`, { account_id });
      await call('patch', `${A}/webhooks/{id}`, w, {
        body: {
          subscriptions: EVENTS.filter((name) => name !== 'webhook_test'),
        },
      });
      const test = await call('post', `${A}/webhooks/{id}/test`, w);

      // Events of every kind: inbox, contact, conversation (typing, status), message.
      const inbox = await call(
        'post',
        `${A}/inboxes`,
        { account_id },
        {
          body: { name: unique('Hooked'), channel: { type: 'api' } },
        },
      );
      const inbox_identifier = inbox.body.inbox_identifier;
      const contact = await call(
        'post',
        '/public/api/v1/inboxes/{inbox_identifier}/contacts',
        { inbox_identifier },
        {
          body: { name: 'Dana' },
          token: null,
        },
      );
      const pub = { inbox_identifier, source_id: contact.body.source_id };
      const opened = await call('post', `${P}/conversations`, pub, { body: {}, token: null });
      const c = { account_id, id: opened.body.id };
      await call(
        'post',
        `${P}/conversations/{id}/messages`,
        { ...pub, id: c.id },
        {
          body: { content: 'Hi' },
          token: null,
        },
      );
      await call('post', `${A}/conversations/{id}/toggle_typing_status`, c, {
        body: { typing_status: 'on' },
      });
      await call('post', `${A}/conversations/{id}/toggle_typing_status`, c, {
        body: { typing_status: 'off' },
      });
      const reply = await call('post', `${A}/conversations/{id}/messages`, c, {
        body: { content: 'Hello' },
      });
      await call('delete', `${A}/conversations/{id}/messages/{message_id}`, {
        ...c,
        message_id: reply.body.id,
      });
      await call('post', `${A}/conversations/{id}/labels`, c, { body: { labels: ['x'] } });
      await call('post', `${A}/conversations/{id}/toggle_status`, c, {
        body: { status: 'resolved' },
      });
      await call(
        'patch',
        `${A}/contacts/{id}`,
        { account_id, id: contact.body.id },
        { body: { name: 'Dana D' } },
      );
      await call(
        'patch',
        `${A}/inboxes/{id}`,
        { account_id, id: inbox.body.id },
        { body: { name: unique('Renamed') } },
      );
      const gone = await call(
        'post',
        `${A}/contacts`,
        { account_id },
        { body: { name: 'Short-lived' } },
      );
      await call('delete', `${A}/contacts/{id}`, { account_id, id: gone.body.payload.contact.id });

      const expected = [
        'webhook_test',
        'inbox_created',
        'contact_created',
        'conversation_created',
        'message_created',
        'conversation_typing_on',
        'conversation_typing_off',
        'message_updated',
        'message_deleted',
        'conversation_updated',
        'conversation_status_changed',
        'contact_updated',
        'inbox_updated',
        'contact_deleted',
      ];
      await eventually(
        () => {
          const got = new Set(receiver.at('/openapi').map((request) => request.body.event));
          expect(expected.filter((name) => !got.has(name))).toEqual([]);
        },
        { timeoutMs: 60_000 },
      );
      // Each delivered body fits its event's schema in the webhooks section, and is signed.
      for (const request of receiver.at('/openapi')) {
        const name = String(request.body.event);
        const ref: string = doc.webhooks[name].post.requestBody.content[JSON_TYPE].schema.$ref;
        for (const wrong of mismatches(ref.slice(1), request.body))
          failures.push(`webhook ${name}: ${wrong}`);
        expect(verifies(webhook.secret, request)).toBe(true);
      }

      await call('get', `${A}/events`, { account_id }, { query: { limit: '100' } });
      await call('get', `${A}/webhooks/{id}/deliveries`, w);
      await call('get', `${A}/webhook_deliveries/{id}`, { account_id, id: test.body.delivery_id });
      await call('post', `${A}/webhook_deliveries/{id}/redeliver`, {
        account_id,
        id: test.body.delivery_id,
      });
      await call('post', `${A}/webhooks/{id}/recover`, w, {
        body: { since: new Date(0).toISOString() },
      });
      await call('post', `${A}/webhooks/{id}/rotate_secret`, w);
      await call('get', `${A}/webhooks/{id}`, w);
      await call('delete', `${A}/webhooks/{id}`, w);
    });

    it('for the remaining routes: profile, teams, inbox members, inbox webhook, rules, health', async () => {
      const account_id = admin.accountId;
      await call('get', '/health', {}, { token: null });
      await call('patch', '/api/v1/profile', {}, { body: { display_name: 'Ada of Support' } });
      await call(
        'post',
        '/api/v1/profile/availability',
        {},
        {
          body: { account_id, availability: 'busy' },
        },
      );

      const email = `${unique('member')}@example.test`;
      const agent = await call(
        'post',
        `${A}/agents`,
        { account_id },
        {
          body: { name: 'Mel Member', email, role: 'agent' },
        },
      );
      const team = await call(
        'post',
        `${A}/teams`,
        { account_id },
        { body: { name: unique('Team') } },
      );
      const t = { account_id, id: team.body.id };
      await call('get', `${A}/teams`, { account_id });
      await call('get', `${A}/teams/{id}`, t);
      await call('patch', `${A}/teams/{id}`, t, { body: { description: 'Second line' } });
      await call('patch', `${A}/teams/{id}/team_members`, t, {
        body: { user_ids: [agent.body.id] },
      });
      await call('delete', `${A}/teams/{id}/team_members`, t, {
        body: { user_ids: [agent.body.id] },
      });

      const inbox = await call(
        'post',
        `${A}/inboxes`,
        { account_id },
        {
          body: {
            name: unique('Inbox'),
            channel: { type: 'api', webhook_url: receiver.url('/inbox') },
          },
        },
      );
      const inbox_id = inbox.body.id;
      const i = { account_id, id: inbox_id };
      await call('get', `${A}/inboxes/{id}`, i);
      await call('get', `${A}/inbox_members/{inbox_id}`, { account_id, inbox_id });
      await call(
        'patch',
        `${A}/inbox_members`,
        { account_id },
        {
          body: { inbox_id, user_ids: [agent.body.id] },
        },
      );
      await call(
        'delete',
        `${A}/inbox_members`,
        { account_id },
        {
          body: { inbox_id, user_ids: [agent.body.id] },
        },
      );
      await call('patch', `${A}/inboxes/{id}/webhook`, i, { body: { enabled: true } });
      const test = await call('post', `${A}/inboxes/{id}/webhook/test`, i);
      await eventually(
        async () => {
          const delivery = await call('get', `${A}/webhook_deliveries/{id}`, {
            account_id,
            id: test.body.delivery_id,
          });
          expect(delivery.body.status).toBe('delivered');
        },
        { timeoutMs: 30_000 },
      );
      await call('get', `${A}/inboxes/{id}/webhook/deliveries`, i, {
        query: { status: 'delivered' },
      });
      await call('post', `${A}/inboxes/{id}/webhook/recover`, i, {
        body: { since: new Date(Date.now() - 60_000).toISOString() },
      });
      await call('post', `${A}/inboxes/{id}/webhook/rotate_secret`, i);

      const inbox_identifier = inbox.body.inbox_identifier;
      const contact = await call(
        'post',
        '/public/api/v1/inboxes/{inbox_identifier}/contacts',
        { inbox_identifier },
        {
          body: { name: 'Pat' },
          token: null,
        },
      );
      const pub = { inbox_identifier, source_id: contact.body.source_id };
      await call('put', P, pub, { body: { email: `${unique('pat')}@example.test` }, token: null });
      const opened = await call('post', `${P}/conversations`, pub, { body: {}, token: null });
      const c = { account_id, id: opened.body.id };
      const question = await call('post', `${A}/conversations/{id}/messages`, c, {
        body: { content: 'How did we do?', content_type: 'input_csat' },
      });
      await call(
        'patch',
        `${P}/conversations/{id}/messages/{message_id}`,
        {
          ...pub,
          id: c.id,
          message_id: question.body.id,
        },
        { body: { submitted_values: { csat_survey_response: { rating: 5 } } }, token: null },
      );

      const k = { account_id, id: contact.body.id };
      await call('put', `${A}/contacts/{id}`, k, { body: { name: 'Pat Doe' } });
      await call(
        'post',
        `${A}/contacts/filter`,
        { account_id },
        {
          body: {
            payload: [{ attribute_key: 'name', filter_operator: 'contains', values: ['Pat'] }],
          },
        },
      );
      const other = await call(
        'post',
        `${A}/inboxes`,
        { account_id },
        {
          body: { name: unique('Second'), channel: { type: 'api' } },
        },
      );
      await call('post', `${A}/contacts/{id}/contact_inboxes`, k, {
        body: { inbox_id: other.body.id },
      });

      const rule = await call(
        'post',
        `${A}/automation_rules`,
        { account_id },
        {
          body: {
            name: 'Label VIPs',
            event_name: 'conversation_created',
            conditions: [],
            actions: [{ action_name: 'add_label', action_params: ['vip'] }],
          },
        },
      );
      const r = { account_id, id: rule.body.payload.id };
      await call('get', `${A}/automation_rules/{id}`, r);
      await call('patch', `${A}/automation_rules/{id}`, r, { body: { active: false } });
      await call('delete', `${A}/inboxes/{id}`, { account_id, id: other.body.id });
    });

    it('for agent bots: the bot API, its assignment and what its token may do', async () => {
      const account_id = admin.accountId;
      const bot = await call(
        'post',
        `${A}/agent_bots`,
        { account_id },
        { body: { name: unique('Bot'), outgoing_url: receiver.url('/bot') } },
      );
      const b = { account_id, id: bot.body.id };
      await call('get', `${A}/agent_bots`, { account_id });
      await call('get', `${A}/agent_bots/{id}`, b);
      await call('patch', `${A}/agent_bots/{id}`, b, { body: { description: 'Answers orders' } });
      const reset = await call('post', `${A}/agent_bots/{id}/reset_access_token`, b);
      const inbox = await call(
        'post',
        `${A}/inboxes`,
        { account_id },
        { body: { name: unique('Bot inbox'), channel: { type: 'api' } } },
      );
      const i = { account_id, id: inbox.body.id };
      await call('get', `${A}/inboxes/{id}/agent_bot`, i);
      await call('post', `${A}/inboxes/{id}/set_agent_bot`, i, {
        body: { agent_bot: bot.body.id },
      });
      await call('get', `${A}/inboxes/{id}/agent_bot`, i);
      const inbox_identifier = inbox.body.inbox_identifier;
      const contact = await call(
        'post',
        '/public/api/v1/inboxes/{inbox_identifier}/contacts',
        { inbox_identifier },
        { body: { name: 'Bo' }, token: null },
      );
      const pub = { inbox_identifier, source_id: contact.body.source_id };
      const opened = await call('post', `${P}/conversations`, pub, { body: {}, token: null });
      const c = { account_id, id: opened.body.id };
      const asBot = { token: reset.body.access_token as string };
      await call('post', `${A}/conversations/{id}/messages`, c, {
        ...asBot,
        body: { content: 'Hello, I am a bot' },
      });
      await call('get', `${A}/conversations/{id}`, c);
      await call('get', `${A}/conversations`, { account_id }, asBot);
      await call('post', `${A}/conversations/{id}/assignments`, c, {
        body: { assignee_id: bot.body.id, assignee_type: 'AgentBot' },
      });
      await call('post', `${A}/conversations/{id}/toggle_status`, c, {
        ...asBot,
        body: { status: 'open' },
      });
      await call('delete', `${A}/agent_bots/{id}`, b);
    });

    it('for invitations: an existing user invited, then declining, accepting or revoked', async () => {
      const account_id = admin.accountId;
      const [declines, accepts, revoked] = [
        await createAccount('Declines'),
        await createAccount('Accepts'),
        await createAccount('Revoked'),
      ];
      const invite = (user: TestAccount) =>
        call(
          'post',
          `${A}/agents`,
          { account_id },
          { body: { name: 'Ignored', email: user.email, role: 'agent' } },
        );
      const first = await invite(declines);
      await call('get', `${A}/agents/invitations`, { account_id });
      await call('get', '/api/v1/profile/invitations', {}, { token: declines.token });
      await call(
        'post',
        '/api/v1/profile/invitations/{id}/decline',
        { id: first.body.id },
        { token: declines.token },
      );
      const second = await invite(accepts);
      await call(
        'post',
        '/api/v1/profile/invitations/{id}/accept',
        { id: second.body.id },
        { token: accepts.token },
      );
      const third = await invite(revoked);
      await call('delete', `${A}/agents/invitations/{invitation_id}`, {
        account_id,
        invitation_id: third.body.id,
      });
    });

    it('for reports, reporting events and audit logs', async () => {
      const account_id = admin.accountId;
      const V2 = '/api/v2/accounts/{account_id}';
      const { conversationId } = await seedConversation(server.http, admin);
      const conversation = `${A}/conversations/${conversationId}`.replace(
        '{account_id}',
        String(account_id),
      );
      await server.http
        .post(`${conversation}/messages`)
        .set('api_access_token', admin.token)
        .send({ content: 'Hi' })
        .expect(201);
      await server.http
        .post(`${conversation}/toggle_status`)
        .set('api_access_token', admin.token)
        .send({ status: 'resolved' })
        .expect(200);
      await eventually(
        async () => {
          const events = await call('get', `${A}/conversations/{id}/reporting_events`, {
            account_id,
            id: conversationId,
          });
          expect(events.body).toHaveLength(2);
        },
        { timeoutMs: 15_000 },
      );
      const now = Math.floor(Date.now() / 1000) + 3600;
      const range = { since: String(now - 7 * 86400), until: String(now) };
      await call('get', `${A}/reporting_events`, { account_id }, { query: range });
      await call(
        'get',
        `${V2}/reports`,
        { account_id },
        { query: { ...range, metric: 'avg_first_response_time' } },
      );
      await call(
        'get',
        `${V2}/reports`,
        { account_id },
        {
          query: {
            ...range,
            metric: 'conversations_count',
            type: 'agent',
            id: String(admin.userId),
          },
        },
      );
      await call('get', `${V2}/reports/summary`, { account_id }, { query: range });
      await call(
        'get',
        `${V2}/reports/conversations`,
        { account_id },
        { query: { type: 'account' } },
      );
      await call(
        'get',
        `${V2}/reports/conversations`,
        { account_id },
        { query: { type: 'agent' } },
      );
      await call(
        'get',
        `${V2}/reports/first_response_time_distribution`,
        { account_id },
        { query: range },
      );
      await call('get', `${V2}/reports/inbox_label_matrix`, { account_id }, { query: range });
      await call(
        'get',
        `${V2}/reports/outgoing_messages_count`,
        { account_id },
        { query: { ...range, group_by: 'inbox' } },
      );
      for (const summary of ['agent', 'inbox', 'team', 'channel'])
        await call('get', `${V2}/summary_reports/${summary}`, { account_id }, { query: range });
      for (const csv of ['agents', 'inboxes', 'teams', 'labels'])
        await call('get', `${V2}/reports/${csv}`, { account_id }, { query: range });
      await call('get', `${V2}/reports`, { account_id }, { query: { ...range } });
      await call('get', `${A}/audit_logs`, { account_id });
    });

    it('for the account, passwords, labels, canned responses, filters and attribute definitions', async () => {
      const account_id = admin.accountId;
      await call('put', '/api/v1/profile', {}, { body: { display_name: 'Ada Put' } });
      await call(
        'post',
        '/api/v1/profile/auto_offline',
        {},
        {
          body: { account_id, auto_offline: false },
        },
      );
      await call('get', A, { account_id });
      await call('patch', A, { account_id }, { body: { name: unique('Acme Support') } });

      const invited = await call(
        'post',
        `${A}/agents`,
        { account_id },
        { body: { name: 'No Password', email: `${unique('nopw')}@example.test`, role: 'agent' } },
      );
      const setup = await call('post', `${A}/agents/{id}/password_setup`, {
        account_id,
        id: invited.body.id,
      });
      await call(
        'put',
        '/auth/password',
        {},
        {
          body: {
            reset_password_token: setup.body.reset_password_token,
            password: 'correct horse battery',
          },
          token: null,
        },
      );

      const label = await call(
        'post',
        `${A}/labels`,
        { account_id },
        {
          body: { title: unique('billing') },
        },
      );
      const l = { account_id, id: label.body.id };
      await call('get', `${A}/labels`, { account_id });
      await call('get', `${A}/labels/{id}`, l);
      await call('patch', `${A}/labels/{id}`, l, { body: { description: 'Money matters' } });

      const canned = await call(
        'post',
        `${A}/canned_responses`,
        { account_id },
        {
          body: { short_code: unique('thanks'), content: 'Thank you for waiting!' },
        },
      );
      const cr = { account_id, id: canned.body.id };
      await call('get', `${A}/canned_responses`, { account_id });
      await call('patch', `${A}/canned_responses/{id}`, cr, { body: { content: 'Thanks!' } });
      await call('delete', `${A}/canned_responses/{id}`, cr);

      const filter = await call(
        'post',
        `${A}/custom_filters`,
        { account_id },
        {
          body: {
            name: 'Open',
            filter_type: 'conversation',
            query: {
              payload: [{ attribute_key: 'status', filter_operator: 'equal_to', values: ['open'] }],
            },
          },
        },
      );
      const f = { account_id, custom_filter_id: filter.body.id };
      await call('get', `${A}/custom_filters`, { account_id });
      const filterPath = `${A}/custom_filters/{custom_filter_id}`;
      await call('get', filterPath, f);
      await call('patch', filterPath, f, { body: { name: 'Still open' } });
      await call('delete', filterPath, f);

      const definition = await call(
        'post',
        `${A}/custom_attribute_definitions`,
        { account_id },
        {
          body: {
            attribute_display_name: 'Tier',
            attribute_key: unique('tier'),
            attribute_display_type: 'list',
            attribute_model: 'contact_attribute',
            attribute_values: ['bronze', 'silver', 'gold'],
          },
        },
      );
      const d = { account_id, id: definition.body.id };
      await call('get', `${A}/custom_attribute_definitions`, { account_id });
      await call('get', `${A}/custom_attribute_definitions/{id}`, d);
      await call('patch', `${A}/custom_attribute_definitions/{id}`, d, {
        body: { attribute_display_name: 'Level' },
      });
      await call('delete', `${A}/custom_attribute_definitions/{id}`, d);

      const [base, mergee] = [
        await seedConversation(server.http, admin),
        await seedConversation(server.http, admin),
      ];
      const k = { account_id, id: base.contact.id };
      await call('post', `${A}/contacts/{id}/labels`, k, { body: { labels: [label.body.title] } });
      await call('get', `${A}/contacts/{id}/labels`, k);
      await call(
        'post',
        `${A}/actions/contact_merge`,
        { account_id },
        {
          body: { base_contact_id: base.contact.id, mergee_contact_id: mergee.contact.id },
        },
      );
      await call('delete', `${A}/labels/{id}`, l);
    });

    it('for attachments: a reply with a file, then its signed download and thumbnail', async () => {
      const account_id = admin.accountId;
      const { conversationId } = await seedConversation(server.http, admin);
      const path = `${A}/conversations/${conversationId}/messages`.replace(
        '{account_id}',
        String(account_id),
      );
      const reply = await server.http
        .post(path)
        .set('api_access_token', admin.token)
        .field('content', 'Here is the photo')
        .attach('attachments[]', await png(), { filename: 'parcel.png', contentType: 'image/png' })
        .expect(201);
      const [attachment] = reply.body.attachments;
      const signed = (url: string) => ({
        token: null,
        query: Object.fromEntries(new URL(url).searchParams),
      });
      const a = { attachment_id: attachment.id };
      const file = await call(
        'get',
        '/attachments/{attachment_id}',
        a,
        signed(attachment.data_url),
      );
      expect(file.status).toBe(200);
      const thumb = await call(
        'get',
        '/attachments/{attachment_id}/thumb',
        a,
        signed(attachment.thumb_url),
      );
      expect(thumb.status).toBe(200);
    });

    afterAll(() => {
      // How much of the document the flows above exercised, for whoever reads the log.
      const all = operations().map(({ path, method }) => `${method} ${path}`);
      const unchecked = all.filter((operation) => !seen.includes(operation));
      console.log(
        `OpenAPI: ${all.length - unchecked.length} of ${all.length} operations checked against real answers` +
          (unchecked.length ? `; not: ${unchecked.join(', ')}` : ''),
      );
    });
  });
});
