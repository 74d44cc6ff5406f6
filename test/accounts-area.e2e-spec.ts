import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { closeTestDatabase, testDatabase } from './support/database.js';
import { createAccount, createAgent, TEST_PASSWORD, uniqueEmail } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { expectInvalidFields, expectProblem } from './support/problems.js';
import { startServer, TestServer } from './support/server.js';

afterAll(async () => {
  await closeTestDatabase();
});

/** Issue 12, item 3 (accounts area): profile, invitations without a password, the account. */
describe('accounts area in Chatwoot shapes', () => {
  let server: TestServer;
  let admin: TestAccount;
  const as = (token: string) => ({
    get: (path: string) => server.http.get(path).set('api_access_token', token),
    post: (path: string, body: object = {}) =>
      server.http.post(path).set('api_access_token', token).send(body),
    put: (path: string, body: object = {}) =>
      server.http.put(path).set('api_access_token', token).send(body),
    patch: (path: string, body: object = {}) =>
      server.http.patch(path).set('api_access_token', token).send(body),
  });
  const accountPath = () => `/api/v1/accounts/${admin.accountId}`;

  beforeAll(async () => {
    server = await startServer();
    admin = await createAccount('Accounts Area Co');
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('profile', () => {
    it("answers GET /api/v1/profile with Chatwoot's user fields (no access_token: tokens are kept hashed)", async () => {
      const profile = await as(admin.token).get('/api/v1/profile').expect(200);
      expect(profile.body).toMatchObject({
        id: admin.userId,
        email: admin.email,
        uid: admin.email,
        role: 'administrator',
        account_id: admin.accountId,
        avatar_url: '',
        provider: 'email',
        type: 'User',
        ui_settings: {},
        message_signature: null,
        accounts: [
          {
            id: admin.accountId,
            role: 'administrator',
            status: 'active',
            active_at: null,
            permissions: ['administrator'],
          },
        ],
      });
      expect(profile.body).not.toHaveProperty('access_token');
    });

    it('takes PUT { profile: {...} } with every text field Chatwoot documents, and PATCH flat', async () => {
      const agent = await createAgent(server.http, admin);
      const email = uniqueEmail('renamed');
      const updated = await as(agent.token).put('/api/v1/profile', {
        profile: {
          name: 'Renamed Agent',
          email: email.toUpperCase(),
          display_name: 'Ren',
          message_signature: '-- Ren',
          phone_number: '+15555550123',
          ui_settings: { theme: 'dark', editor: { enter_to_send: true } },
          current_password: TEST_PASSWORD,
          password: 'a brand new passphrase',
          password_confirmation: 'a brand new passphrase',
        },
      });
      expect({ status: updated.status, body: updated.body }).toMatchObject({
        status: 200,
        body: {
          name: 'Renamed Agent',
          email,
          display_name: 'Ren',
          message_signature: '-- Ren',
          phone_number: '+15555550123',
          ui_settings: { theme: 'dark', editor: { enter_to_send: true } },
        },
      });
      await server.http
        .post('/auth/sign_in')
        .send({ email, password: 'a brand new passphrase' })
        .expect(200);
      const flat = await as(agent.token).patch('/api/v1/profile', { message_signature: null });
      expect({ status: flat.status, signature: flat.body.message_signature }).toEqual({
        status: 200,
        signature: null,
      });
      // As a form too, with Rails keys.
      const form = await server.http
        .put('/api/v1/profile')
        .set('api_access_token', agent.token)
        .type('form')
        .send('profile[display_name]=Form+Ren&profile[ui_settings][theme]=light');
      expect({ status: form.status, body: form.body }).toMatchObject({
        status: 200,
        body: { display_name: 'Form Ren', ui_settings: { theme: 'light' } },
      });
      // An empty password_confirmation without a password (as forms send it) confirms nothing.
      await as(agent.token)
        .put('/api/v1/profile', { profile: { display_name: 'Ren', password_confirmation: '' } })
        .expect(200);
    });

    it('refuses a password_confirmation that differs, a wrong current password, and a taken email', async () => {
      const agent = await createAgent(server.http, admin);
      expectInvalidFields(
        await as(agent.token).put('/api/v1/profile', {
          profile: {
            current_password: TEST_PASSWORD,
            password: 'a brand new passphrase',
            password_confirmation: 'something else',
          },
        }),
        ['password_confirmation'],
      );
      expectProblem(
        await as(agent.token).put('/api/v1/profile', {
          profile: { current_password: 'wrong password', password: 'a brand new passphrase' },
        }),
        422,
        'current_password_mismatch',
      );
      expectProblem(
        await as(agent.token).put('/api/v1/profile', {
          profile: { email: admin.email, current_password: TEST_PASSWORD },
        }),
        409,
        'email_taken',
      );
      // Nothing changed: the old password still signs in.
      await server.http
        .post('/auth/sign_in')
        .send({ email: agent.email, password: TEST_PASSWORD })
        .expect(200);
    });

    it('changes the email only with the current password; the email you have needs none', async () => {
      const agent = await createAgent(server.http, admin);
      const email = uniqueEmail('moved');
      const stored = async () =>
        (await testDatabase().query('SELECT email FROM users WHERE id = $1', [agent.userId]))
          .rows[0].email;
      expectProblem(
        await as(agent.token).put('/api/v1/profile', { profile: { email } }),
        422,
        'current_password_required',
      );
      expectProblem(
        await as(agent.token).patch('/api/v1/profile', { email, current_password: '' }),
        422,
        'current_password_required',
      );
      expectProblem(
        await as(agent.token).patch('/api/v1/profile', {
          email,
          current_password: 'not my password',
        }),
        422,
        'current_password_mismatch',
      );
      expect(await stored()).toBe(agent.email);
      // A profile form resends the email it shows with every save (in any case).
      await as(agent.token)
        .put('/api/v1/profile', {
          profile: { name: 'Still Me', email: agent.email.toUpperCase() },
        })
        .expect(200);
      const moved = await as(agent.token).patch('/api/v1/profile', {
        email,
        current_password: TEST_PASSWORD,
      });
      expect({ status: moved.status, email: moved.body.email }).toEqual({ status: 200, email });
      await server.http.post('/auth/sign_in').send({ email, password: TEST_PASSWORD }).expect(200);
    });

    it('sets availability and auto_offline with the { profile } wrapper, only in your own accounts', async () => {
      const agent = await createAgent(server.http, admin);
      const availability = await as(agent.token).post('/api/v1/profile/availability', {
        profile: { account_id: admin.accountId, availability: 'busy' },
      });
      expect(availability.status).toBe(200);
      expect(availability.body.accounts[0]).toMatchObject({ availability: 'busy' });
      const autoOffline = await as(agent.token).post('/api/v1/profile/auto_offline', {
        profile: { account_id: admin.accountId, auto_offline: false },
      });
      expect(autoOffline.status).toBe(200);
      expect(autoOffline.body.accounts[0]).toMatchObject({ auto_offline: false });
      const flat = await as(agent.token).post('/api/v1/profile/auto_offline', {
        account_id: admin.accountId,
        auto_offline: true,
      });
      expect(flat.body.accounts[0]).toMatchObject({ auto_offline: true });
      const other = await createAccount('Not theirs');
      expectProblem(
        await as(agent.token).post('/api/v1/profile/auto_offline', {
          profile: { account_id: other.accountId, auto_offline: false },
        }),
        404,
        'account_not_found',
      );
    });
  });

  describe('agent invitation without a password', () => {
    it('creates the agent unconfirmed with a one-time token, stored hashed, that sets the password once', async () => {
      const email = uniqueEmail('invited');
      const created = await as(admin.token).post(`${accountPath()}/agents`, {
        agent: { name: 'Invited Agent', email, role: 'agent' },
      });
      expect({ status: created.status, body: created.body }).toMatchObject({
        status: 201,
        body: { email, role: 'agent', confirmed: false },
      });
      const token: string = created.body.reset_password_token;
      expect(token).toMatch(/^cvp_[A-Za-z0-9_-]{43}$/);
      expect(new Date(created.body.reset_password_token_expires_at).getTime()).toBeGreaterThan(
        Date.now() + 71 * 3_600_000,
      );
      // Only a hash is stored.
      const { rows } = await testDatabase().query(
        `SELECT password_hash, password_setup_token_hash FROM users WHERE email = $1`,
        [email],
      );
      expect(rows[0].password_hash).toBeNull();
      expect(rows[0].password_setup_token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(rows[0])).not.toContain(token);
      // Listed as unconfirmed; the token is never shown again.
      const listed = await as(admin.token).get(`${accountPath()}/agents`).expect(200);
      const row = listed.body.find((agent: { id: number }) => agent.id === created.body.id);
      expect(row).toMatchObject({ confirmed: false });
      expect(row).not.toHaveProperty('reset_password_token');
      // Cannot sign in yet.
      expectProblem(
        await server.http.post('/auth/sign_in').send({ email, password: 'whatever password' }),
        401,
        'invalid_credentials',
      );

      // The agent sets the password with the token, and is signed in.
      expectInvalidFields(
        await server.http.put('/auth/password/').send({
          reset_password_token: token,
          password: 'my own passphrase',
          password_confirmation: 'not the same',
        }),
        ['password_confirmation'],
      );
      const set = await server.http.put('/auth/password').send({
        reset_password_token: token,
        password: 'my own passphrase',
        password_confirmation: 'my own passphrase',
      });
      expect({ status: set.status, email: set.body.profile?.email }).toEqual({
        status: 200,
        email,
      });
      await server.http
        .get('/api/v1/profile')
        .set('api_access_token', set.body.access_token)
        .expect(200);
      // Once only.
      expectProblem(
        await server.http
          .put('/auth/password')
          .send({ reset_password_token: token, password: 'another passphrase' }),
        422,
        'invalid_reset_password_token',
      );
      const after = await as(admin.token).get(`${accountPath()}/agents`).expect(200);
      expect(
        after.body.find((agent: { id: number }) => agent.id === created.body.id),
      ).toMatchObject({ confirmed: true });
      // A password set: no new token.
      expectProblem(
        await as(admin.token).post(`${accountPath()}/agents/${created.body.id}/password_setup`),
        409,
        'password_already_set',
      );
    });

    it('refuses an expired token, and an administrator issues a new one that replaces it', async () => {
      const email = uniqueEmail('expired');
      const created = await as(admin.token)
        .post(`${accountPath()}/agents`, { name: 'Late Agent', email, role: 'agent' })
        .expect(201);
      await testDatabase().query(
        `UPDATE users SET password_setup_expires_at = now() - interval '1 second' WHERE email = $1`,
        [email],
      );
      const body = (token: string) => ({
        reset_password_token: token,
        password: 'late passphrase',
      });
      expectProblem(
        await server.http.put('/auth/password').send(body(created.body.reset_password_token)),
        422,
        'invalid_reset_password_token',
      );
      const agent = await createAgent(server.http, admin);
      expectProblem(
        await as(agent.token).post(`${accountPath()}/agents/${created.body.id}/password_setup`),
        403,
        'administrator_required',
      );
      const reissued = await as(admin.token).post(
        `${accountPath()}/agents/${created.body.id}/password_setup`,
      );
      expect({ status: reissued.status, confirmed: reissued.body.confirmed }).toEqual({
        status: 201,
        confirmed: false,
      });
      expect(reissued.body.reset_password_token).not.toBe(created.body.reset_password_token);
      await server.http
        .put('/auth/password')
        .send(body(reissued.body.reset_password_token))
        .expect(200);
      // Another account cannot reach the agent.
      const other = await createAccount('Other');
      expectProblem(
        await as(other.token).post(
          `/api/v1/accounts/${other.accountId}/agents/${created.body.id}/password_setup`,
        ),
        404,
        'agent_not_found',
      );
    });
  });

  describe('the account', () => {
    it("answers GET /api/v1/accounts/{id} in Chatwoot's shape, to any member", async () => {
      const agent = await createAgent(server.http, admin);
      const shown = await as(agent.token).get(accountPath()).expect(200);
      expect(shown.body).toEqual({
        id: admin.accountId,
        name: 'Accounts Area Co',
        locale: 'en',
        domain: null,
        support_email: null,
        status: 'active',
        created_at: expect.any(String),
        cache_keys: {},
        features: {},
        settings: {},
        custom_attributes: {},
        latest_chatwoot_version: null,
        subscribed_features: [],
      });
      await as(agent.token).get(`${accountPath()}/`).expect(200);
    });

    it('PATCH changes it for administrators only, also as a form; null removes a setting', async () => {
      const agent = await createAgent(server.http, admin);
      expectProblem(
        await as(agent.token).patch(accountPath(), { name: 'Agent rename' }),
        403,
        'administrator_required',
      );
      const updated = await as(admin.token).patch(accountPath(), {
        name: 'Accounts Area Co',
        locale: 'pt_BR',
        domain: 'support.example.com',
        support_email: 'Support@Example.com',
        auto_resolve_after: 1440,
        auto_resolve_message: 'Closed after a day',
        industry: 'Technology',
        timezone: 'Europe/Lisbon',
      });
      expect({ status: updated.status, body: updated.body }).toMatchObject({
        status: 200,
        body: {
          locale: 'pt_BR',
          domain: 'support.example.com',
          support_email: 'support@example.com',
          settings: { auto_resolve_after: 1440, auto_resolve_message: 'Closed after a day' },
          custom_attributes: { industry: 'Technology', timezone: 'Europe/Lisbon' },
        },
      });
      const form = await server.http
        .patch(accountPath())
        .set('api_access_token', admin.token)
        .type('form')
        .send('auto_resolve_after=60&auto_resolve_ignore_waiting=true&company_size=50-100');
      expect({ status: form.status, body: form.body }).toMatchObject({
        status: 200,
        body: {
          settings: {
            auto_resolve_after: 60,
            auto_resolve_ignore_waiting: true,
            auto_resolve_message: 'Closed after a day',
          },
          custom_attributes: { industry: 'Technology', company_size: '50-100' },
        },
      });
      const cleared = await as(admin.token).patch(accountPath(), {
        auto_resolve_message: null,
        domain: null,
      });
      expect(cleared.body.settings).not.toHaveProperty('auto_resolve_message');
      expect(cleared.body.domain).toBeNull();
      // A blank form value for a number is null, as Rails casts it: it clears the setting.
      const blank = await server.http
        .patch(accountPath())
        .set('api_access_token', admin.token)
        .type('form')
        .send('auto_resolve_after=');
      expect({ status: blank.status, settings: blank.body.settings }).toEqual({
        status: 200,
        settings: { auto_resolve_ignore_waiting: true },
      });
      expectInvalidFields(
        await as(admin.token).patch(accountPath(), {
          auto_resolve_after: 5,
          locale: 'not a locale',
          name: null,
        }),
        ['auto_resolve_after', 'locale', 'name'],
      );
    });
  });
});
