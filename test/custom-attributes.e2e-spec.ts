import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  accountPath,
  createInbox,
  createPublicContact,
  publicPath,
  seedConversation,
  unique,
} from './support/api-channel.js';
import type { TestInbox } from './support/api-channel.js';
import { closeTestDatabase, testDatabase } from './support/database.js';
import { createAccount, createAgent } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { expectInvalidFields, expectProblem, messagesOf } from './support/problems.js';
import { startServer, TestServer } from './support/server.js';

type Agent = { userId: number; token: string };

describe('custom attribute definitions', () => {
  let server: TestServer;
  let admin: TestAccount;
  let agent: Agent;
  let other: TestAccount;
  let inbox: TestInbox;

  const as = (who: { token: string }, account: { accountId: number } = admin) => ({
    get: (path: string) =>
      server.http.get(`${accountPath(account)}/${path}`).set('api_access_token', who.token),
    post: (path: string, body: object) =>
      server.http
        .post(`${accountPath(account)}/${path}`)
        .set('api_access_token', who.token)
        .send(body),
    patch: (path: string, body: object) =>
      server.http
        .patch(`${accountPath(account)}/${path}`)
        .set('api_access_token', who.token)
        .send(body),
    delete: (path: string) =>
      server.http.delete(`${accountPath(account)}/${path}`).set('api_access_token', who.token),
  });
  const define = async (body: Record<string, unknown>) => {
    const response = await as(admin).post('custom_attribute_definitions', body);
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 201 });
    return response.body as { id: number } & Record<string, unknown>;
  };

  beforeAll(async () => {
    server = await startServer();
    admin = await createAccount('Attributes');
    agent = await createAgent(server.http, admin);
    other = await createAccount('Other attributes');
    inbox = await createInbox(server.http, admin);
    // The values governed below.
    await define({
      attribute_display_name: 'Plan',
      attribute_key: 'plan',
      attribute_display_type: 'list',
      attribute_model: 'contact_attribute',
      attribute_values: ['free', 'pro', 'enterprise'],
    });
    await define({
      attribute_display_name: 'Seats',
      attribute_key: 'seats',
      attribute_display_type: 'number',
      attribute_model: 'contact_attribute',
    });
    await define({
      attribute_display_name: 'Renewal',
      attribute_key: 'renewal',
      attribute_display_type: 'date',
      attribute_model: 'contact_attribute',
    });
    await define({
      attribute_display_name: 'Paid',
      attribute_key: 'paid',
      attribute_display_type: 'checkbox',
      attribute_model: 'contact_attribute',
    });
    await define({
      attribute_display_name: 'Order total',
      attribute_key: 'order_total',
      attribute_display_type: 1,
      attribute_model: 0,
    });
    await define({
      attribute_display_name: 'Order id',
      attribute_key: 'order_id',
      regex_pattern: '^[A-Z]{2}-\\d+$',
      regex_cue: 'Two capital letters, a dash and digits, like AB-1042',
    });
    await define({
      attribute_display_name: 'Tracking',
      attribute_key: 'tracking',
      attribute_display_type: 'link',
    });
  });
  afterAll(async () => {
    await server?.stop();
    await closeTestDatabase();
  });

  describe('routes (Chatwoot shapes, roles, tenancy)', () => {
    it('creates in Chatwoot shape, by names or by Chatwoot numbers', async () => {
      const created = await define({
        attribute_display_name: ' Customer since ',
        attribute_key: ' customer_since ',
        attribute_display_type: '5',
        attribute_model: 1,
        attribute_description: 'When they first paid',
      });
      expect(created).toEqual({
        id: expect.any(Number),
        attribute_display_name: 'Customer since',
        attribute_display_type: 'date',
        attribute_description: 'When they first paid',
        attribute_key: 'customer_since',
        regex_pattern: null,
        regex_cue: null,
        attribute_values: [],
        attribute_model: 'contact_attribute',
        default_value: null,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      const shown = await as(agent).get(`custom_attribute_definitions/${created.id}`).expect(200);
      expect(shown.body).toEqual(created);
    });

    it("takes Chatwoot's custom_attribute_definition wrapper", async () => {
      const created = await as(admin)
        .post('custom_attribute_definitions', {
          custom_attribute_definition: {
            attribute_display_name: 'Wrapped',
            attribute_key: 'wrapped',
            attribute_display_type: 6,
            attribute_values: ['a', 'b'],
          },
        })
        .expect(201);
      expect(created.body).toMatchObject({
        attribute_key: 'wrapped',
        attribute_display_type: 'list',
        attribute_model: 'conversation_attribute',
      });
      const updated = await as(admin)
        .patch(`custom_attribute_definitions/${created.body.id}`, {
          custom_attribute_definition: { attribute_values: ['a', 'b', 'c'] },
        })
        .expect(200);
      expect(updated.body.attribute_values).toEqual(['a', 'b', 'c']);
      await as(admin).delete(`custom_attribute_definitions/${created.body.id}`).expect(200);
    });

    it('lists all, or one model by number or by name, in order of creation', async () => {
      const all = await as(agent).get('custom_attribute_definitions').expect(200);
      const keys = (body: { attribute_key: string }[]) => body.map((item) => item.attribute_key);
      expect(keys(all.body)).toEqual(expect.arrayContaining(['plan', 'seats', 'order_total']));
      for (const model of ['1', 'contact_attribute']) {
        const contacts = await as(agent)
          .get('custom_attribute_definitions')
          .query({ attribute_model: model })
          .expect(200);
        expect(keys(contacts.body).slice(0, 4)).toEqual(['plan', 'seats', 'renewal', 'paid']);
        expect(
          contacts.body.every(
            (item: { attribute_model: string }) => item.attribute_model === 'contact_attribute',
          ),
        ).toBe(true);
      }
      const conversations = await as(agent)
        .get('custom_attribute_definitions')
        .query({ attribute_model: 0 })
        .expect(200);
      expect(keys(conversations.body)).toEqual(['order_total', 'order_id', 'tracking']);
      expectInvalidFields(
        await as(agent).get('custom_attribute_definitions').query({ attribute_model: 2 }),
        ['attribute_model'],
      );
    });

    it('refuses bad definitions with a problem that says how to fix them', async () => {
      const post = (body: Record<string, unknown>) =>
        as(admin).post('custom_attribute_definitions', {
          attribute_display_name: 'X',
          attribute_key: unique('x'),
          ...body,
        });
      expectInvalidFields(await post({ attribute_key: 'has space' }), ['attribute_key']);
      expectInvalidFields(await post({ attribute_display_type: 'colour' }), [
        'attribute_display_type',
      ]);
      expectInvalidFields(await post({ attribute_display_type: 8 }), ['attribute_display_type']);
      expectInvalidFields(await post({ attribute_model: 'company_attribute' }), [
        'attribute_model',
      ]);
      const regex = expectInvalidFields(await post({ regex_pattern: '([a-z' }), ['regex_pattern']);
      expect(messagesOf(regex, 'regex_pattern').join()).toContain('regular expression');
      // Patterns run on RE2 (linear time): lookarounds and backreferences are refused.
      expectInvalidFields(await post({ regex_pattern: '^(?=.*\\d).+$' }), ['regex_pattern']);
      expectInvalidFields(await post({ attribute_values: ['a', ''] }), ['attribute_values']);
      expectInvalidFields(await post({ default_value: { a: 1 } }), ['default_value']);
      expectProblem(
        await post({ attribute_display_type: 'list' }),
        422,
        'custom_attribute_list_without_values',
      );
      const reserved = expectProblem(
        await post({ attribute_key: 'email', attribute_model: 'contact_attribute' }),
        422,
        'custom_attribute_key_reserved',
      );
      expect(reserved.detail).toContain('custom_email');
      // status is a conversation's own attribute, not a contact's: free as a contact key.
      await post({ attribute_key: 'status', attribute_model: 'contact_attribute' }).expect(201);
      const taken = expectProblem(
        await post({ attribute_key: 'plan', attribute_model: 'contact_attribute' }),
        409,
        'custom_attribute_key_taken',
      );
      expect(taken.existing_id).toEqual(expect.any(Number));
      // The same key on the other model is another attribute.
      await post({ attribute_key: 'plan', attribute_model: 'conversation_attribute' }).expect(201);
    });

    it('updates and deletes (administrators only); stored values stay after a delete', async () => {
      const created = await define({
        attribute_display_name: 'Region',
        attribute_key: 'region',
        attribute_display_type: 'list',
        attribute_model: 'contact_attribute',
        attribute_values: ['eu', 'us'],
      });
      const path = `custom_attribute_definitions/${created.id}`;
      expectProblem(
        await as(agent).patch(path, { attribute_values: ['eu'] }),
        403,
        'administrator_required',
      );
      expectProblem(await as(agent).delete(path), 403, 'administrator_required');
      expectProblem(
        await as(agent).post('custom_attribute_definitions', {
          attribute_display_name: 'Nope',
          attribute_key: 'nope',
        }),
        403,
        'administrator_required',
      );
      const updated = await as(admin)
        .patch(path, { attribute_values: ['eu', 'us', 'apac'], attribute_description: null })
        .expect(200);
      expect(updated.body).toMatchObject({
        attribute_key: 'region',
        attribute_values: ['eu', 'us', 'apac'],
        attribute_display_type: 'list',
      });
      expectProblem(
        await as(admin).patch(path, { attribute_key: 'plan' }),
        409,
        'custom_attribute_key_taken',
      );
      const contact = await as(admin)
        .post('contacts', { name: 'Regional', custom_attributes: { region: 'apac' } })
        .expect(201);
      const id = contact.body.payload.contact.id;
      expectInvalidFields(
        await as(admin).patch(`contacts/${id}`, { custom_attributes: { region: 'mars' } }),
        ['custom_attributes.region'],
      );

      await as(admin).delete(path).expect(200);
      await as(agent).get(path).expect(404);
      expectProblem(await as(admin).delete(path), 404, 'custom_attribute_definition_not_found');
      // As in Chatwoot: the value stays, and the key is free-form again.
      const shown = await as(admin).get(`contacts/${id}`).expect(200);
      expect(shown.body.payload.custom_attributes).toEqual({ region: 'apac' });
      await as(admin)
        .patch(`contacts/${id}`, { custom_attributes: { region: 'mars' } })
        .expect(200);
    });

    it("another account's definitions are 404, and it can define the same keys", async () => {
      const [mine] = (await as(admin).get('custom_attribute_definitions').expect(200)).body;
      const stranger = as(other, other);
      expectProblem(
        await stranger.get(`custom_attribute_definitions/${mine.id}`),
        404,
        'custom_attribute_definition_not_found',
      );
      await stranger
        .patch(`custom_attribute_definitions/${mine.id}`, { attribute_display_name: 'Mine' })
        .expect(404);
      await stranger.delete(`custom_attribute_definitions/${mine.id}`).expect(404);
      expect((await stranger.get('custom_attribute_definitions').expect(200)).body).toEqual([]);
      await as(admin, other).get('custom_attribute_definitions').expect(404);
      await stranger
        .post('custom_attribute_definitions', {
          attribute_display_name: 'Plan',
          attribute_key: 'plan',
          attribute_model: 'contact_attribute',
        })
        .expect(201);
      // Their definition governs only their contacts: a number "plan" is fine there ...
      await stranger
        .post('contacts', { name: 'Theirs', custom_attributes: { plan: 'anything' } })
        .expect(201);
      // ... and ours still refuses it.
      expectInvalidFields(
        await as(admin).post('contacts', { name: 'Ours', custom_attributes: { plan: 'anything' } }),
        ['custom_attributes.plan'],
      );
    });
  });

  describe('values under defined keys', () => {
    it('contacts: typed on create and update, a 422 names key, type and an example', async () => {
      const bad = expectInvalidFields(
        await as(admin).post('contacts', {
          name: 'Typed',
          custom_attributes: {
            plan: 'platinum',
            seats: 'ten',
            renewal: '31/12/2026',
            paid: 'yes',
            free_form: { anything: [1, 2] },
          },
        }),
        [
          'custom_attributes.plan',
          'custom_attributes.seats',
          'custom_attributes.renewal',
          'custom_attributes.paid',
        ],
      );
      expect(messagesOf(bad, 'custom_attributes.plan')[0]).toContain(
        'is a list attribute: send one of "free", "pro", "enterprise" (got "platinum")',
      );
      expect(messagesOf(bad, 'custom_attributes.seats')[0]).toContain('number attribute');
      expect(messagesOf(bad, 'custom_attributes.seats')[0]).toContain('like 42');
      expect(messagesOf(bad, 'custom_attributes.renewal')[0]).toContain('2026-11-23');
      expect(messagesOf(bad, 'custom_attributes.paid')[0]).toContain('true or false');

      const created = await as(admin)
        .post('contacts', {
          name: 'Typed',
          custom_attributes: {
            plan: 'pro',
            seats: '12',
            renewal: '2026-12-31',
            paid: 'true',
            free_form: { anything: [1, 2] },
          },
        })
        .expect(201);
      // Numbers and checkboxes are stored as JSON numbers and booleans; unknown keys as sent.
      expect(created.body.payload.contact.custom_attributes).toEqual({
        plan: 'pro',
        seats: 12,
        renewal: '2026-12-31',
        paid: true,
        free_form: { anything: [1, 2] },
      });
      const id = created.body.payload.contact.id;
      const cleared = await as(admin)
        .patch(`contacts/${id}`, { custom_attributes: { seats: 13.5, paid: null } })
        .expect(200);
      expect(cleared.body.payload.custom_attributes).toMatchObject({ seats: 13.5, paid: null });
      expectInvalidFields(
        await as(admin).patch(`contacts/${id}`, { custom_attributes: { seats: true } }),
        ['custom_attributes.seats'],
      );
    });

    it('Client API: contact create and update are checked the same way', async () => {
      const create = (custom_attributes: Record<string, unknown>) =>
        server.http
          .post(`${publicPath(inbox.identifier)}/contacts`)
          .send({ name: 'Widget visitor', custom_attributes });
      expectInvalidFields(await create({ plan: 'gold' }), ['custom_attributes.plan']);
      const contact = await createPublicContact(server.http, inbox, {
        custom_attributes: { plan: 'free', seats: 3 },
      });
      const path = `${publicPath(inbox.identifier)}/contacts/${contact.sourceId}`;
      expectInvalidFields(
        await server.http.patch(path).send({ custom_attributes: { renewal: 'soon' } }),
        ['custom_attributes.renewal'],
      );
      const updated = await server.http
        .patch(path)
        .send({ custom_attributes: { renewal: '2027-01-15T09:00:00Z' } })
        .expect(200);
      expect(updated.body.custom_attributes).toEqual({
        plan: 'free',
        seats: 3,
        renewal: '2027-01-15T09:00:00Z',
      });
    });

    it('conversations: create and POST custom_attributes are checked; links and patterns too', async () => {
      const { conversationId } = await seedConversation(server.http, admin);
      const path = `conversations/${conversationId}/custom_attributes`;
      const bad = expectInvalidFields(
        await as(admin).post(path, {
          custom_attributes: { order_total: '12,50', order_id: 'ab-1', tracking: 'ftp://x' },
        }),
        [
          'custom_attributes.order_total',
          'custom_attributes.order_id',
          'custom_attributes.tracking',
        ],
      );
      expect(messagesOf(bad, 'custom_attributes.order_id')[0]).toContain(
        'must match ^[A-Z]{2}-\\d+$ (Two capital letters, a dash and digits, like AB-1042)',
      );
      expect(messagesOf(bad, 'custom_attributes.tracking')[0]).toContain('https://');
      const saved = await as(admin)
        .post(path, {
          custom_attributes: {
            order_total: '12.50',
            order_id: 'AB-1042',
            tracking: 'https://carrier.example/t/1',
          },
        })
        .expect(200);
      expect(saved.body).toEqual({
        custom_attributes: {
          order_total: 12.5,
          order_id: 'AB-1042',
          tracking: 'https://carrier.example/t/1',
        },
      });

      const contact = await as(admin)
        .post('contacts', { name: 'Buyer', inbox_id: inbox.id, source_id: unique('buyer') })
        .expect(201);
      const open = (custom_attributes: Record<string, unknown>) =>
        as(admin).post('conversations', {
          inbox_id: inbox.id,
          source_id: contact.body.payload.contact_inbox.source_id,
          custom_attributes,
        });
      expectInvalidFields(await open({ order_total: 'lots' }), ['custom_attributes.order_total']);
      const opened = await open({ order_total: 99 }).expect(201);
      expect(opened.body.custom_attributes).toEqual({ order_total: 99 });
    });
  });

  describe('filters and automation compare defined attributes by type', () => {
    let contactIds: Record<string, number>;

    beforeAll(async () => {
      // Written before a definition existed: values that do not fit the types defined later.
      const db = testDatabase();
      const legacy = await db.query(
        `INSERT INTO contacts (account_id, name, custom_attributes)
         VALUES ($1, 'Legacy', '{"score": "high", "joined": "last spring", "vip": "maybe"}') RETURNING id`,
        [admin.accountId],
      );
      contactIds = { legacy: legacy.rows[0].id };
      for (const [name, score, joined, vip] of [
        ['Nine', 9, '2026-03-01', true],
        ['Ten', 10, '2025-12-24T18:00:00Z', false],
        ['Hundred', 100, '2026-11-30', true],
      ] as const) {
        const created = await as(admin)
          .post('contacts', { name, custom_attributes: { score: String(score), joined, vip } })
          .expect(201);
        contactIds[name] = created.body.payload.contact.id;
      }
      await define({
        attribute_display_name: 'Score',
        attribute_key: 'score',
        attribute_display_type: 'number',
        attribute_model: 'contact_attribute',
      });
      await define({
        attribute_display_name: 'Joined',
        attribute_key: 'joined',
        attribute_display_type: 'date',
        attribute_model: 'contact_attribute',
      });
      await define({
        attribute_display_name: 'VIP',
        attribute_key: 'vip',
        attribute_display_type: 'checkbox',
        attribute_model: 'contact_attribute',
      });
    });

    const filterContacts = async (condition: Record<string, unknown>) => {
      const response = await as(admin)
        .post('contacts/filter', {
          payload: [
            { custom_attribute_type: 'contact_attribute', query_operator: null, ...condition },
          ],
        })
        .expect(200);
      return response.body.payload.map((contact: { name: string }) => contact.name).sort();
    };

    it('numbers numerically, dates as dates, checkboxes as booleans; unfit old values as absent', async () => {
      // As text, "9" > "10" and "100" < "9".
      expect(
        await filterContacts({
          attribute_key: 'score',
          filter_operator: 'is_greater_than',
          values: ['9.5'],
        }),
      ).toEqual(['Hundred', 'Ten']);
      expect(
        await filterContacts({
          attribute_key: 'score',
          filter_operator: 'equal_to',
          values: [10.0],
        }),
      ).toEqual(['Ten']);
      expect(
        await filterContacts({
          attribute_key: 'joined',
          filter_operator: 'is_less_than',
          values: ['2026-01-01'],
        }),
      ).toEqual(['Ten']);
      expect(
        await filterContacts({ attribute_key: 'vip', filter_operator: 'equal_to', values: [true] }),
      ).toEqual(['Hundred', 'Nine']);
      expect(
        await filterContacts({
          attribute_key: 'score',
          filter_operator: 'is_not_present',
          values: [],
        }),
      ).toContain('Legacy');
      expectProblem(
        await as(admin).post('contacts/filter', {
          payload: [{ attribute_key: 'score', filter_operator: 'equal_to', values: ['high'] }],
        }),
        422,
        'invalid_filter',
      );
    });

    it("conversation filters read the contact's attributes with custom_attribute_type", async () => {
      const { conversationId, contact } = await seedConversation(server.http, admin);
      await as(admin)
        .patch(`contacts/${contact.id}`, { custom_attributes: { score: 1000 } })
        .expect(200);
      const response = await as(admin)
        .post('conversations/filter', {
          payload: [
            {
              attribute_key: 'score',
              filter_operator: 'is_greater_than',
              values: ['999'],
              custom_attribute_type: 'contact_attribute',
              query_operator: null,
            },
          ],
        })
        .expect(200);
      expect(response.body.payload.map((item: { id: number }) => item.id)).toEqual([
        conversationId,
      ]);
    });

    it('automation conditions use the definition type', async () => {
      const { conversationId } = await seedConversation(server.http, admin);
      await as(admin)
        .post(`conversations/${conversationId}/custom_attributes`, {
          custom_attributes: { order_total: '100' },
        })
        .expect(200);
      const rule = await as(admin)
        .post('automation_rules', {
          name: 'Big orders',
          event_name: 'conversation_updated',
          conditions: [
            {
              attribute_key: 'order_total',
              filter_operator: 'is_greater_than',
              values: ['99.5'],
              custom_attribute_type: 'conversation_attribute',
              query_operator: 'AND',
            },
            {
              attribute_key: 'order_total',
              filter_operator: 'equal_to',
              values: ['100.00'],
              custom_attribute_type: 'conversation_attribute',
              query_operator: null,
            },
          ],
          actions: [{ action_name: 'add_label', action_params: ['big-order'] }],
        })
        .expect(201);
      const dryRun = await as(admin)
        .post(`automation_rules/${rule.body.payload.id}/dry_run`, {
          conversation_id: conversationId,
        })
        .expect(200);
      // As text "100" would not equal "100.00".
      expect(dryRun.body).toMatchObject({ matched: true });
    });
  });
});
