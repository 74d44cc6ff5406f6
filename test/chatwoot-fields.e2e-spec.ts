import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  accountPath,
  addInboxMembers,
  createInbox,
  createPublicContact,
  createPublicConversation,
  postPublicMessage,
  publicPath,
  unique,
} from './support/api-channel.js';
import type { TestContact, TestInbox } from './support/api-channel.js';
import { closeTestDatabase, testDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { createAccount, createAgent, uniqueEmail } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { expectInvalidFields, expectProblem, messagesOf } from './support/problems.js';
import { startServer, TestServer } from './support/server.js';

/**
 * Requests shaped exactly as Chatwoot's API document, its Rails code and its client SDKs send
 * them: every field they carry is accepted, honoured where Conversa has the behaviour.
 */
describe('Chatwoot fields on the operations Conversa has', () => {
  let server: TestServer;
  let admin: TestAccount;
  let agent: { userId: number; token: string; email: string };

  beforeAll(async () => {
    server = await startServer();
    admin = await createAccount('Chatwoot fields');
    agent = await createAgent(server.http, admin);
  });
  afterAll(async () => {
    await server?.stop();
    await closeTestDatabase();
  });

  const as = (token: string) => ({
    get: (path: string, query: Record<string, unknown> = {}) =>
      server.http.get(path).query(query).set('api_access_token', token),
    post: (path: string, body: unknown) =>
      server.http
        .post(path)
        .set('api_access_token', token)
        .send(body as object),
    patch: (path: string, body: unknown) =>
      server.http
        .patch(path)
        .set('api_access_token', token)
        .send(body as object),
  });
  const base = () => accountPath(admin);

  /** A contact with its own source_id in the inbox, made through the Application API. */
  async function contactIn(inbox: TestInbox, sourceId = unique('src')) {
    const response = await as(admin.token).post(`${base()}/contacts`, {
      inbox_id: inbox.id,
      source_id: sourceId,
      name: unique('Contact'),
    });
    expect(response.status).toBe(201);
    return { id: response.body.payload.contact.id as number, sourceId };
  }

  describe('inboxes', () => {
    it("stores Chatwoot's settings and maps auto_assignment_config onto the assignment policy", async () => {
      const created = await as(admin.token).post(`${base()}/inboxes`, {
        name: 'Support API',
        channel: {
          type: 'api',
          webhook_url: 'https://example.com/conversa/inbox',
          website_url: 'https://acme.example',
          welcome_title: 'Hi',
          welcome_tagline: 'We reply fast',
          widget_color: '#1f93ff',
        },
        enable_auto_assignment: true,
        auto_assignment_config: { max_assignment_limit: 5 },
        enable_email_collect: false,
        csat_survey_enabled: true,
        csat_config: { display_type: 'emoji', message: 'Rate us' },
        working_hours_enabled: true,
        working_hours: [
          { day_of_week: 1, open_hour: 9, open_minutes: 0, close_hour: 17, close_minutes: 30 },
          { day_of_week: 0, closed_all_day: true },
        ],
        out_of_office_message: 'We are away',
        timezone: 'Europe/Lisbon',
        portal_id: 3,
        sender_name_type: 'professional',
        business_name: 'Acme',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        auto_assignment_config: { max_assignment_limit: 5 },
        enable_email_collect: false,
        csat_survey_enabled: true,
        csat_config: { display_type: 'emoji', message: 'Rate us' },
        working_hours_enabled: true,
        working_hours: [
          { day_of_week: 1, open_hour: 9, open_minutes: 0, close_hour: 17, close_minutes: 30 },
          { day_of_week: 0, closed_all_day: true },
        ],
        out_of_office_message: 'We are away',
        portal_id: 3,
        sender_name_type: 'professional',
        business_name: 'Acme',
        // Web-widget settings are accepted and ignored on an API inbox.
        widget_color: null,
        website_url: null,
      });
      const id = created.body.id as number;
      const policy = () => as(admin.token).get(`${base()}/inboxes/${id}/assignment_policy`);
      expect((await policy()).body.capacity_in_inbox).toBe(5);

      // The policy's capacity shows back as Chatwoot's max_assignment_limit ...
      await as(admin.token)
        .patch(`${base()}/inboxes/${id}/assignment_policy`, { capacity_in_inbox: 2 })
        .expect(200);
      const shown = await as(admin.token).get(`${base()}/inboxes/${id}`).expect(200);
      expect(shown.body.auto_assignment_config).toEqual({ max_assignment_limit: 2 });

      // ... and a config without a limit (as Chatwoot stores it whole) removes it.
      const cleared = await as(admin.token)
        .patch(`${base()}/inboxes/${id}`, {
          auto_assignment_config: {},
          out_of_office_message: null,
          working_hours: [],
        })
        .expect(200);
      expect(cleared.body).toMatchObject({
        auto_assignment_config: {},
        out_of_office_message: null,
        working_hours: [],
        csat_survey_enabled: true,
      });
      expect((await policy()).body.capacity_in_inbox).toBeNull();

      const listed = await as(admin.token).get(`${base()}/inboxes`).expect(200);
      expect(
        listed.body.payload.find((inbox: { id: number }) => inbox.id === id).sender_name_type,
      ).toBe('professional');

      // The Client API's inbox shows the stored working-hours flag.
      const publicInbox = await server.http
        .get(publicPath(created.body.inbox_identifier))
        .expect(200);
      expect(publicInbox.body).toMatchObject({
        working_hours_enabled: true,
        csat_survey_enabled: true,
      });
    });

    it('keeps refusing other channel types and bad settings with a clear 422', async () => {
      const widget = await as(admin.token).post(`${base()}/inboxes`, {
        name: 'Widget',
        channel: { type: 'web_widget', website_url: 'https://acme.example' },
      });
      expect(messagesOf(expectInvalidFields(widget, ['channel.type']), 'channel.type')).toEqual([
        'must be "api"',
      ]);
      const bad = await as(admin.token).post(`${base()}/inboxes`, {
        name: 'Bad',
        channel: { type: 'api' },
        auto_assignment_config: { max_assignment_limit: -1 },
        working_hours: [{ day_of_week: 9 }],
        sender_name_type: 'robot',
      });
      expectInvalidFields(bad, [
        'auto_assignment_config.max_assignment_limit',
        'working_hours.0.day_of_week',
        'sender_name_type',
      ]);
    });
  });

  describe('agents', () => {
    it("applies availability (Chatwoot's field) and reads availability_status available as online", async () => {
      const path = `${base()}/agents/${agent.userId}`;
      const busy = await as(admin.token).patch(path, {
        role: 'agent',
        availability: 'busy',
        auto_offline: false,
        email: 'ignored@example.test',
      });
      expect(busy.status).toBe(200);
      expect(busy.body).toMatchObject({
        availability_status: 'busy',
        auto_offline: false,
        email: agent.email,
      });
      const available = await as(admin.token).patch(path, { availability_status: 'available' });
      expect(available.body.availability_status).toBe('online');
      const wrong = await as(admin.token).patch(path, { availability: 'away' });
      expect(messagesOf(expectInvalidFields(wrong, ['availability']), 'availability')).toEqual([
        'must be one of: online (or available), busy, offline',
      ]);

      const created = await as(admin.token).post(`${base()}/agents`, {
        name: 'Grace Agent',
        email: uniqueEmail('grace'),
        role: 'agent',
        availability_status: 'available',
        auto_offline: true,
        password: 'correct horse battery',
      });
      expect(created.status).toBe(201);
      expect(created.body.availability_status).toBe('online');
    });
  });

  describe('conversations and messages', () => {
    let inbox: TestInbox;

    beforeAll(async () => {
      inbox = await createInbox(server.http, admin);
      await addInboxMembers(server.http, admin, inbox.id, [agent.userId]);
    });

    it('opens a conversation from source_id alone, with the whole initial message', async () => {
      const contact = await contactIn(inbox);
      const response = await as(admin.token).post(`${base()}/conversations`, {
        source_id: contact.sourceId,
        additional_attributes: { channel: 'whatsapp' },
        custom_attributes: { plan: 'pro' },
        message: {
          content: 'Your order A-1042 has shipped.',
          private: false,
          content_type: 'text',
          content_attributes: { in_reply_to: null },
          echo_id: 'tmp-1',
          source_id: unique('wamid'),
          campaign_id: 7,
          template_params: {
            name: 'order_update',
            category: 'UTILITY',
            language: 'en_US',
            processed_params: { 1: 'A-1042' },
          },
        },
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        inbox_id: inbox.id,
        status: 'open',
        additional_attributes: { channel: 'whatsapp' },
      });
      const messages = await as(admin.token)
        .get(`${base()}/conversations/${response.body.id}/messages`)
        .expect(200);
      const [first] = messages.body.payload.filter(
        (message: { message_type: number }) => message.message_type === 1,
      );
      expect(first).toMatchObject({
        content: 'Your order A-1042 has shipped.',
        echo_id: 'tmp-1',
        additional_attributes: {
          campaign_id: 7,
          template_params: { name: 'order_update', processed_params: { 1: 'A-1042' } },
        },
      });
    });

    it('an initial incoming message is from the contact', async () => {
      const contact = await contactIn(inbox);
      const response = await as(admin.token)
        .post(`${base()}/conversations`, {
          inbox_id: inbox.id,
          source_id: contact.sourceId,
          message: { content: 'I need help', message_type: 'incoming' },
        })
        .expect(201);
      const messages = await as(admin.token)
        .get(`${base()}/conversations/${response.body.id}/messages`)
        .expect(200);
      // The assignment's activity message may follow it (written after the create commits).
      const initial = (messages.body.payload as { message_type: number }[]).find(
        (message) => message.message_type !== 2,
      );
      expect(initial).toMatchObject({
        content: 'I need help',
        message_type: 0,
        sender: { id: contact.id, type: 'contact' },
      });
    });

    it('a source_id nobody has is a 404; one in several inboxes asks for inbox_id', async () => {
      const missing = await as(admin.token).post(`${base()}/conversations`, {
        source_id: unique('nobody'),
      });
      expect(expectProblem(missing, 404, 'contact_not_found').detail).toContain('account');
      const shared = unique('shared');
      const other = await createInbox(server.http, admin);
      await contactIn(inbox, shared);
      await contactIn(other, shared);
      const ambiguous = await as(admin.token).post(`${base()}/conversations`, {
        source_id: shared,
      });
      const problem = expectProblem(ambiguous, 422, 'source_id_ambiguous');
      expect(problem.inbox_ids).toEqual([inbox.id, other.id].sort((a, b) => a - b));
      const given = await as(admin.token).post(`${base()}/conversations`, {
        source_id: shared,
        inbox_id: other.id,
      });
      expect(given.status).toBe(201);
      expect(given.body.inbox_id).toBe(other.id);
      // contact_id without inbox_id cannot say where.
      expectInvalidFields(
        await as(admin.token).post(`${base()}/conversations`, { contact_id: 1 }),
        ['inbox_id'],
      );
    });

    it('snoozed_until snoozes a new conversation; with another status it is dropped', async () => {
      const until = Math.floor(Date.now() / 1000) + 3_600;
      const snoozed = await as(admin.token)
        .post(`${base()}/conversations`, {
          source_id: (await contactIn(inbox)).sourceId,
          snoozed_until: until,
        })
        .expect(201);
      expect(snoozed.body).toMatchObject({
        status: 'snoozed',
        snoozed_until: new Date(until * 1000).toISOString(),
      });
      const open = await as(admin.token)
        .post(`${base()}/conversations`, {
          source_id: (await contactIn(inbox)).sourceId,
          status: 'open',
          snoozed_until: until,
        })
        .expect(201);
      expect(open.body).toMatchObject({ status: 'open', snoozed_until: null });
      const past = await as(admin.token).post(`${base()}/conversations`, {
        source_id: (await contactIn(inbox)).sourceId,
        snoozed_until: until - 7_200,
      });
      expect(messagesOf(expectInvalidFields(past, ['snoozed_until']), 'snoozed_until')).toEqual([
        'must be in the future',
      ]);
    });

    it("accepts every message field Chatwoot's MessageBuilder reads", async () => {
      const contact = await contactIn(inbox);
      const conversation = await as(admin.token)
        .post(`${base()}/conversations`, { source_id: contact.sourceId })
        .expect(201);
      const path = `${base()}/conversations/${conversation.body.id}/messages`;
      // A select with a realistic item list: well over 1,500 characters of content_attributes.
      const items = Array.from({ length: 40 }, (_, index) => ({
        title: `Option number ${index} with a descriptive label`,
        value: `option_${index}`,
      }));
      expect(JSON.stringify({ items }).length).toBeGreaterThan(1_500);
      const select = await as(admin.token).post(path, {
        content: 'Pick one',
        content_type: 'input_select',
        content_attributes: { items },
      });
      expect(select.status).toBe(201);
      expect(select.body.content_attributes.items).toHaveLength(40);

      // content_attributes as a JSON string (form posts), template_params without content.
      const asString = await as(admin.token).post(path, {
        content_type: 'cards',
        content_attributes: JSON.stringify({ items: [{ title: 'Card', description: 'A card' }] }),
      });
      expect(asString.status).toBe(201);
      expect(asString.body).toMatchObject({
        content: null,
        content_type: 'cards',
        content_attributes: { items: [{ title: 'Card', description: 'A card' }] },
      });
      const template = await as(admin.token).post(path, {
        template_params: { name: 'hello_world', language: 'en_US' },
        campaign_id: 12,
      });
      expect(template.status).toBe(201);
      expect(template.body.additional_attributes).toEqual({
        template_params: { name: 'hello_world', language: 'en_US' },
        campaign_id: 12,
      });

      for (const contentType of ['integrations', 'sticker', 'voice_call']) {
        const typed = await as(admin.token).post(path, {
          content: contentType,
          content_type: contentType,
        });
        expect(typed.status).toBe(201);
        expect(typed.body.content_type).toBe(contentType);
      }

      const external = await as(admin.token).post(path, {
        content: 'From the bridge',
        message_type: 'incoming',
        external_created_at: 1_764_000_000,
        cc_emails: 'a@example.com',
        bcc_emails: '',
        to_emails: 'b@example.com',
      });
      expect(external.status).toBe(201);
      expect(external.body.content_attributes).toEqual({ external_created_at: 1_764_000_000 });

      const bad = await as(admin.token).post(path, {
        content_attributes: '{"items": [',
        external_created_at: 'someday',
        campaign_id: 'x',
      });
      const problem = expectInvalidFields(bad, [
        'content_attributes',
        'external_created_at',
        'campaign_id',
      ]);
      expect(messagesOf(problem, 'content_attributes')[0]).toContain('not valid JSON');
      const huge = await as(admin.token).post(path, {
        content: 'Too much',
        content_attributes: {
          items: Array.from({ length: 800 }, () => ({ title: 'x'.repeat(90) })),
        },
      });
      expect(
        messagesOf(expectInvalidFields(huge, ['content_attributes']), 'content_attributes'),
      ).toEqual(['must be at most 64 KB as JSON']);
      const empty = await as(admin.token).post(path, { private: true });
      expect(messagesOf(expectInvalidFields(empty, ['content']), 'content')).toEqual([
        'is required unless the message has content_attributes, template_params or attachments',
      ]);
    });

    it('after= pages hold up to 100 messages, as in Chatwoot', async () => {
      // No auto-assignment here: its activity message would land between ours.
      const quiet = await createInbox(server.http, admin, {}, { enable_auto_assignment: false });
      const contact = await contactIn(quiet);
      const conversation = await as(admin.token)
        .post(`${base()}/conversations`, { source_id: contact.sourceId })
        .expect(201);
      const path = `${base()}/conversations/${conversation.body.id}/messages`;
      const ids: number[] = [];
      for (let index = 0; index < 30; index++) {
        const sent = await as(admin.token)
          .post(path, { content: `m${index}` })
          .expect(201);
        ids.push(sent.body.id);
      }
      const after = await as(admin.token).get(path, { after: ids[0] }).expect(200);
      expect(after.body.payload.map((message: { id: number }) => message.id)).toEqual(ids.slice(1));
      const latest = await as(admin.token).get(path).expect(200);
      expect(latest.body.payload).toHaveLength(20);
      const between = await as(admin.token)
        .get(path, { after: ids[0], before: ids[29] })
        .expect(200);
      expect(between.body.payload).toHaveLength(28);
    });

    it('can_reply follows the inbox agent_reply_time_window', async () => {
      const windowed = await createInbox(server.http, admin, {
        additional_attributes: { agent_reply_time_window: '2' },
      });
      const contact = await createPublicContact(server.http, windowed);
      const displayId = await createPublicConversation(server.http, windowed, contact);
      const show = () => as(admin.token).get(`${base()}/conversations/${displayId}`).expect(200);
      // No message from the contact yet: outside any window.
      expect((await show()).body.can_reply).toBe(false);
      const message = await postPublicMessage(server.http, windowed, contact, displayId, {
        content: 'Hello',
      });
      expect((await show()).body.can_reply).toBe(true);
      await testDatabase().query(
        `UPDATE messages SET created_at = now() - interval '3 hours' WHERE id = $1`,
        [message.id],
      );
      expect((await show()).body.can_reply).toBe(false);
      // Without a window, always.
      const plain = await contactIn(inbox);
      const open = await as(admin.token)
        .post(`${base()}/conversations`, { source_id: plain.sourceId })
        .expect(201);
      expect(open.body.can_reply).toBe(true);
    });

    it('toggle_status answers snoozed_until as an ISO time; PATCH accepts sla_policy_id', async () => {
      const contact = await contactIn(inbox);
      const conversation = await as(admin.token)
        .post(`${base()}/conversations`, { source_id: contact.sourceId })
        .expect(201);
      const path = `${base()}/conversations/${conversation.body.id}`;
      const until = new Date(Date.now() + 86_400_000);
      until.setUTCMilliseconds(0);
      const toggled = await as(admin.token)
        .post(`${path}/toggle_status`, {
          status: 'snoozed',
          snoozed_until: Math.floor(until.getTime() / 1000),
        })
        .expect(200);
      expect(toggled.body.payload.snoozed_until).toBe(until.toISOString());
      const patched = await as(admin.token)
        .patch(path, { priority: 'high', sla_policy_id: 4 })
        .expect(200);
      expect(patched.body.priority).toBe('high');
    });

    it('the labels filter matches any of the labels', async () => {
      const [first, second] = [await contactIn(inbox), await contactIn(inbox)];
      const ids: number[] = [];
      for (const [contact, labels] of [
        [first, [unique('red')]],
        [second, [unique('blue')]],
      ] as const) {
        const created = await as(admin.token)
          .post(`${base()}/conversations`, { source_id: contact.sourceId })
          .expect(201);
        await as(admin.token)
          .post(`${base()}/conversations/${created.body.id}/labels`, { labels })
          .expect(200);
        ids.push(created.body.id);
      }
      const labels = await Promise.all(
        ids.map(
          async (id) =>
            (await as(admin.token).get(`${base()}/conversations/${id}/labels`)).body.payload[0],
        ),
      );
      const listed = await server.http
        .get(`${base()}/conversations?labels[]=${labels[0]}&labels[]=${labels[1]}`)
        .set('api_access_token', admin.token)
        .expect(200);
      expect(listed.body.data.payload.map((item: { id: number }) => item.id).sort()).toEqual(
        [...ids].sort(),
      );
    });
  });

  describe('contacts', () => {
    it('blank email, phone_number and identifier clear them, as Chatwoot allows', async () => {
      const created = await as(admin.token)
        .post(`${base()}/contacts`, {
          name: 'Blank Fields',
          email: uniqueEmail('blank'),
          phone_number: '+14155550100',
          identifier: unique('crm'),
        })
        .expect(201);
      const id = created.body.payload.contact.id;
      const cleared = await server.http
        .put(`${base()}/contacts/${id}`)
        .set('api_access_token', admin.token)
        .send({ email: '', phone_number: '', identifier: ' ' })
        .expect(200);
      expect(cleared.body.payload).toMatchObject({
        email: null,
        phone_number: null,
        identifier: null,
      });
      const blank = await as(admin.token)
        .post(`${base()}/contacts`, { name: 'No email', email: '', phone_number: '' })
        .expect(201);
      expect(blank.body.payload.contact).toMatchObject({ email: null, phone_number: null });
    });

    it('attribute maps cap string values only, as Chatwoot does', async () => {
      const list = Array.from({ length: 200 }, (_, index) => `tag-${index}`);
      expect(JSON.stringify(list).length).toBeGreaterThan(1_500);
      const created = await as(admin.token).post(`${base()}/contacts`, {
        name: 'Many tags',
        custom_attributes: { tags: list },
      });
      expect(created.status).toBe(201);
      const long = await as(admin.token).post(`${base()}/contacts`, {
        name: 'Long',
        custom_attributes: { note: 'n'.repeat(1_501) },
      });
      expectInvalidFields(long, ['custom_attributes']);
    });

    it('search answers has_more; filters take days_before', async () => {
      const marker = unique('Paged');
      const ids: number[] = [];
      for (let index = 0; index < 16; index++) {
        const created = await as(admin.token)
          .post(`${base()}/contacts`, { name: `${marker} ${index}` })
          .expect(201);
        ids.push(created.body.payload.contact.id);
      }
      const first = await as(admin.token)
        .get(`${base()}/contacts/search`, { q: marker })
        .expect(200);
      expect(first.body.meta).toEqual({ count: 16, current_page: 1, has_more: true });
      const second = await as(admin.token)
        .get(`${base()}/contacts/search`, { q: marker, page: 2 })
        .expect(200);
      expect(second.body.meta).toEqual({ count: 16, current_page: 2, has_more: false });

      await testDatabase().query(
        `UPDATE contacts SET created_at = now() - interval '10 days' WHERE id = $1`,
        [ids[0]],
      );
      const old = await as(admin.token)
        .post(`${base()}/contacts/filter`, {
          payload: [
            {
              attribute_key: 'name',
              filter_operator: 'starts_with',
              values: [marker],
              query_operator: 'and',
            },
            { attribute_key: 'created_at', filter_operator: 'days_before', values: [3] },
          ],
        })
        .expect(200);
      expect(old.body.payload.map((contact: { id: number }) => contact.id)).toEqual([ids[0]]);
      const wrong = await as(admin.token).post(`${base()}/contacts/filter`, {
        payload: [{ attribute_key: 'name', filter_operator: 'days_before', values: [3] }],
      });
      expect(expectProblem(wrong, 422, 'invalid_filter').detail).toContain('applies to dates');
      const conversations = await as(admin.token).post(`${base()}/conversations/filter`, {
        payload: [{ attribute_key: 'created_at', filter_operator: 'days_before', values: ['1'] }],
      });
      expect(conversations.status).toBe(200);
    });
  });

  describe('Client API', () => {
    let inbox: TestInbox;
    let contact: TestContact;
    let displayId: number;

    beforeAll(async () => {
      inbox = await createInbox(server.http, admin);
      contact = await createPublicContact(server.http, inbox, { identifier: unique('person') });
      displayId = await createPublicConversation(server.http, inbox, contact);
    });
    const contactPath = () => `${publicPath(inbox.identifier)}/contacts/${contact.sourceId}`;

    it('toggle_typing takes typing_status in the query, as the spec documents it', async () => {
      const path = `${contactPath()}/conversations/${displayId}/toggle_typing`;
      await server.http.post(path).query({ typing_status: 'on' }).send({}).expect(200);
      await server.http.post(path).send({ typing_status: 'off' }).expect(200);
      const missing = await server.http.post(path).send({});
      expect(
        messagesOf(expectInvalidFields(missing, ['typing_status']), 'typing_status')[0],
      ).toContain('query parameter');
      expectInvalidFields(await server.http.post(path).query({ typing_status: 'maybe' }).send({}), [
        'typing_status',
      ]);
    });

    it("drops the message fields Chatwoot's Client API drops", async () => {
      const message = await postPublicMessage(server.http, inbox, contact, displayId, {
        content: 'Hello',
        echo_id: 'tmp-9',
        private: true,
        message_type: 'outgoing',
        content_type: 'cards',
        template_params: { name: 'x' },
      });
      expect(message).toMatchObject({
        content: 'Hello',
        private: false,
        message_type: 0,
        content_type: 'text',
      });
      const empty = await server.http
        .post(`${contactPath()}/conversations/${displayId}/messages`)
        .send({ echo_id: 'tmp-10' });
      expect(messagesOf(expectInvalidFields(empty, ['content']), 'content')[0]).toContain(
        'send the message text in content',
      );
    });

    it('the contact answers ?identifier=, and an update answers the full contact', async () => {
      await server.http.get(contactPath()).query({ identifier: contact.identifier }).expect(200);
      const updated = await server.http
        .patch(contactPath())
        .send({ name: 'Renamed', custom_attributes: { plan: 'pro' } })
        .expect(200);
      expect(updated.body).toMatchObject({
        id: contact.id,
        source_id: contact.sourceId,
        name: 'Renamed',
        additional_attributes: {},
        blocked: false,
        account_id: admin.accountId,
        custom_attributes: { plan: 'pro' },
      });
      expect(Date.parse(updated.body.created_at)).not.toBeNaN();
    });
  });

  describe('account webhooks', () => {
    it("without subscriptions get Chatwoot's default events; every listed name is accepted", async () => {
      const created = await as(admin.token)
        .post(`${base()}/webhooks`, { url: 'https://example.com/chatwoot-hook' })
        .expect(201);
      expect([...created.body.payload.webhook.subscriptions].sort()).toEqual(
        [
          'conversation_created',
          'conversation_status_changed',
          'conversation_updated',
          'contact_created',
          'contact_updated',
          'message_created',
          'message_updated',
          'webwidget_triggered',
        ].sort(),
      );
      const every = [
        'webwidget_triggered',
        'inbox_created',
        'inbox_updated',
        'conversation_typing_on',
        'conversation_typing_off',
        'conversation_status_changed',
      ];
      const updated = await as(admin.token)
        .patch(`${base()}/webhooks/${created.body.payload.webhook.id}`, { subscriptions: every })
        .expect(200);
      expect(updated.body.payload.webhook.subscriptions).toEqual(every);
      const unknown = await as(admin.token).post(`${base()}/webhooks`, {
        url: 'https://example.com/x',
        subscriptions: ['webwidget_exploded'],
      });
      expect(
        messagesOf(expectInvalidFields(unknown, ['subscriptions']), 'subscriptions')[0],
      ).toContain('webwidget_triggered');
    });
  });

  describe('automation rules imported from Chatwoot', () => {
    let owner: TestAccount;
    let replier: { userId: number; token: string; email: string };
    let inbox: TestInbox;
    let teamId: number;
    const tag = unique('t');
    const rulesPath = () => `${accountPath(owner)}/automation_rules`;

    beforeAll(async () => {
      owner = await createAccount('Imported rules');
      replier = await createAgent(server.http, owner);
      inbox = await createInbox(server.http, owner, {}, { enable_auto_assignment: false });
      await addInboxMembers(server.http, owner, inbox.id, [replier.userId]);
      const team = await as(owner.token)
        .post(`${accountPath(owner)}/teams`, { name: unique('Tier 2'), allow_auto_assign: false })
        .expect(201);
      teamId = team.body.id;
    });

    /** A rule on message_created whose content contains `keyword`. */
    async function ruleFor(keyword: string, actions: unknown[], more: unknown[] = []) {
      const response = await as(owner.token).post(rulesPath(), {
        name: unique('Imported'),
        description: 'Exported from Chatwoot',
        event_name: 'message_created',
        active: true,
        conditions: [
          ...more,
          // Chatwoot's UI sends "" for built-in attributes and no query_operator on the last one.
          {
            attribute_key: 'content',
            filter_operator: 'contains',
            values: [keyword],
            custom_attribute_type: '',
          },
        ],
        actions,
      });
      expect({ status: response.status, body: response.body }).toMatchObject({ status: 201 });
      return response.body.payload;
    }

    const conversation = async (id: number) =>
      (
        await as(owner.token)
          .get(`${accountPath(owner)}/conversations/${id}`)
          .expect(200)
      ).body;

    it('saves without conditions, and with no actions, as Chatwoot does', async () => {
      const bare = await as(owner.token)
        .post(rulesPath(), {
          name: 'Every new conversation',
          event_name: 'conversation_created',
          actions: [{ action_name: 'add_label', action_params: ['new'] }],
          // Off: the other cases here must not see its label.
          active: false,
        })
        .expect(201);
      expect(bare.body.payload.conditions).toEqual([]);
      const idle = await as(owner.token)
        .post(rulesPath(), {
          name: 'Nothing yet',
          event_name: 'conversation_created',
          conditions: [],
          actions: [],
          active: false,
        })
        .expect(201);
      expect(idle.body.payload.actions).toEqual([]);
    });

    it('refuses email, attachment and SLA actions and conditions, saying why', async () => {
      const refused = await as(owner.token).post(rulesPath(), {
        name: 'Mail the team',
        event_name: 'conversation_created',
        conditions: [{ attribute_key: 'sla_policy_id', filter_operator: 'equal_to', values: [1] }],
        actions: [
          {
            action_name: 'send_email_to_team',
            action_params: [{ team_ids: [teamId], message: 'New conversation' }],
          },
          { action_name: 'send_email_transcript', action_params: ['boss@example.com'] },
          { action_name: 'send_attachment', action_params: [12] },
          { action_name: 'add_sla', action_params: [1] },
        ],
      });
      const problem = expectInvalidFields(refused, [
        'conditions[0].attribute_key',
        'actions[0].action_name',
        'actions[1].action_name',
        'actions[2].action_name',
        'actions[3].action_name',
      ]);
      expect(messagesOf(problem, 'actions[0].action_name')[0]).toContain(
        'Chatwoot action Conversa does not support: Conversa sends no email',
      );
      expect(messagesOf(problem, 'conditions[0].attribute_key')[0]).toContain('SLA');
      const badParams = await as(owner.token).post(rulesPath(), {
        name: 'Bad',
        event_name: 'message_created',
        conditions: [
          { attribute_key: 'created_at', filter_operator: 'days_before', values: ['x'] },
        ],
        actions: [
          { action_name: 'change_status', action_params: ['closed'] },
          { action_name: 'assign_agent', action_params: ['first_responding_agent'] },
        ],
      });
      expectInvalidFields(badParams, [
        'conditions[0].values',
        'actions[0].action_params',
        'actions[1].action_params',
      ]);
    });

    it("runs Chatwoot's placeholders: last_responding_agent, team 0, status, priority nil", async () => {
      await ruleFor(`escalate-${tag}`, [
        { action_name: 'assign_agent', action_params: ['last_responding_agent'] },
        { action_name: 'assign_team', action_params: ['0'] },
        { action_name: 'change_status', action_params: ['pending'] },
        { action_name: 'change_priority', action_params: ['nil'] },
      ]);
      await ruleFor(`release-${tag}`, [
        { action_name: 'remove_assigned_agent', action_params: [] },
        { action_name: 'assign_team', action_params: [teamId] },
        { action_name: 'open_conversation', action_params: [] },
      ]);
      await ruleFor(`drop-${tag}`, [
        { action_name: 'remove_assigned_team', action_params: [] },
        { action_name: 'pending_conversation', action_params: [] },
        { action_name: 'assign_agent', action_params: ['nil'] },
      ]);
      const contact = await createPublicContact(server.http, inbox);
      const displayId = await createPublicConversation(server.http, inbox, contact);
      const path = `${accountPath(owner)}/conversations/${displayId}`;
      await as(owner.token).post(`${path}/assignments`, { team_id: teamId }).expect(200);
      await as(owner.token).patch(path, { priority: 'high' }).expect(200);
      await as(replier.token).post(`${path}/messages`, { content: 'Looking into it' }).expect(201);

      await postPublicMessage(server.http, inbox, contact, displayId, {
        content: `Please escalate-${tag}`,
      });
      await eventually(
        async () =>
          expect(await conversation(displayId)).toMatchObject({
            assignee_id: replier.userId,
            team_id: null,
            status: 'pending',
            priority: null,
          }),
        { timeoutMs: 20_000, intervalMs: 100 },
      );

      await postPublicMessage(server.http, inbox, contact, displayId, {
        content: `release-${tag} now`,
      });
      await eventually(
        async () =>
          expect(await conversation(displayId)).toMatchObject({
            assignee_id: null,
            team_id: teamId,
            status: 'open',
          }),
        { timeoutMs: 20_000, intervalMs: 100 },
      );

      await postPublicMessage(server.http, inbox, contact, displayId, {
        content: `drop-${tag}`,
      });
      await eventually(
        async () =>
          expect(await conversation(displayId)).toMatchObject({
            assignee_id: null,
            team_id: null,
            status: 'pending',
          }),
        { timeoutMs: 20_000, intervalMs: 100 },
      );
    });

    it('private_note is the private condition, by its Chatwoot name', async () => {
      const label = unique('noted');
      const rule = await ruleFor(
        `note-${tag}`,
        [{ action_name: 'add_label', action_params: [label] }],
        [
          {
            attribute_key: 'private_note',
            filter_operator: 'equal_to',
            values: [true],
            query_operator: 'AND',
          },
        ],
      );
      const contact = await createPublicContact(server.http, inbox);
      const displayId = await createPublicConversation(server.http, inbox, contact);
      const path = `${accountPath(owner)}/conversations/${displayId}`;
      const runs = async () =>
        (await as(owner.token).get(`${rulesPath()}/${rule.id}/runs`, { limit: 100 }).expect(200))
          .body.payload as { conversation_id: number; matched: boolean }[];
      // A public reply with the keyword does not match ...
      await as(replier.token)
        .post(`${path}/messages`, { content: `note-${tag}` })
        .expect(201);
      await eventually(
        async () =>
          expect(await runs()).toEqual([
            expect.objectContaining({ conversation_id: displayId, matched: false }),
          ]),
        { timeoutMs: 20_000, intervalMs: 100 },
      );
      expect((await conversation(displayId)).labels).toEqual([]);
      // ... the private note does.
      await as(replier.token)
        .post(`${path}/messages`, { content: `note-${tag}`, private: true })
        .expect(201);
      await eventually(
        async () => expect((await conversation(displayId)).labels).toEqual([label]),
        { timeoutMs: 20_000, intervalMs: 100 },
      );
    });
  });
});
