import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { closeTestDatabase, testDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { createAccount, TEST_PASSWORD, TestAccount } from './support/factories.js';
import { expectInvalidFields, expectProblem } from './support/problems.js';
import { startServer, TestServer } from './support/server.js';

const TOKEN_FORMAT = /^cvs_[A-Za-z0-9_-]{43}$/;
const DAY_MS = 86_400_000;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A token in the right format that was never issued. */
function unknownToken(): string {
  return `cvs_${randomBytes(32).toString('base64url')}`;
}

describe('authentication', () => {
  let server: TestServer;
  let admin: TestAccount;

  beforeAll(async () => {
    server = await startServer();
    admin = await createAccount('Auth Co');
  });
  afterAll(async () => {
    await server?.stop();
    await closeTestDatabase();
  });

  async function tokenCount(userId: number): Promise<number> {
    const { rows } = await testDatabase().query(
      'SELECT count(*)::int AS n FROM access_tokens WHERE user_id = $1',
      [userId],
    );
    return rows[0].n;
  }

  function createToken(token: string, body: Record<string, unknown> = { name: 'CI' }) {
    return server.http
      .post('/api/v1/profile/access_tokens')
      .set('api_access_token', token)
      .send(body);
  }

  describe('POST /auth/sign_in', () => {
    it('answers a new expiring token, the token row and the profile for the right password', async () => {
      const before = await tokenCount(admin.userId);
      const response = await server.http
        .post('/auth/sign_in')
        .send({ email: admin.email, password: admin.password })
        .expect(200);

      const { access_token: accessToken, token, profile } = response.body;
      expect(accessToken).toMatch(TOKEN_FORMAT);
      expect(token).toMatchObject({
        kind: 'sign_in',
        hint: accessToken.slice(0, 8),
        revoked_at: null,
        last_used_at: null,
      });
      expect(token).not.toHaveProperty('token');
      const expiresIn = new Date(token.expires_at).getTime() - Date.now();
      expect(expiresIn).toBeGreaterThan(29 * DAY_MS);
      expect(expiresIn).toBeLessThanOrEqual(30 * DAY_MS);
      expect(profile).toMatchObject({
        id: admin.userId,
        email: admin.email,
        account_id: admin.accountId,
        accounts: [{ id: admin.accountId, role: 'administrator' }],
      });
      expect(await tokenCount(admin.userId)).toBe(before + 1);

      const me = await server.http
        .get('/api/v1/profile')
        .set('api_access_token', accessToken)
        .expect(200);
      expect(me.body).toMatchObject({ id: admin.userId, email: admin.email });
    });

    it('matches the email without regard to case or surrounding spaces', async () => {
      const response = await server.http
        .post('/auth/sign_in')
        .send({ email: `  ${admin.email.toUpperCase()} `, password: admin.password })
        .expect(200);
      expect(response.body.profile.id).toBe(admin.userId);
    });

    it('answers 401 invalid_credentials for a wrong password, and issues no token', async () => {
      const before = await tokenCount(admin.userId);
      const response = await server.http
        .post('/auth/sign_in')
        .send({ email: admin.email, password: 'wrong password' });
      expectProblem(response, 401, 'invalid_credentials');
      expect(await tokenCount(admin.userId)).toBe(before);
    });

    it('answers an unknown email exactly like a wrong password', async () => {
      const unknown = await server.http
        .post('/auth/sign_in')
        .send({ email: 'nobody-here@example.test', password: TEST_PASSWORD });
      const wrong = await server.http
        .post('/auth/sign_in')
        .send({ email: admin.email, password: 'wrong password' });
      const unknownProblem = expectProblem(unknown, 401, 'invalid_credentials');
      const wrongProblem = expectProblem(wrong, 401, 'invalid_credentials');
      expect(unknownProblem.detail).toBe(wrongProblem.detail);
    });

    it('answers 422 listing every missing field', async () => {
      const response = await server.http.post('/auth/sign_in').send({});
      const problem = expectInvalidFields(response, ['email', 'password']);
      expect(problem.detail).toMatch(/^2 fields are invalid/);
    });

    it('answers 422 listing every bad field, unknown ones included', async () => {
      const response = await server.http
        .post('/auth/sign_in')
        .send({ email: 'not-an-email', password: 42, remember_me: true });
      const problem = expectInvalidFields(response, ['email', 'password', 'remember_me']);
      expect(problem.errors).toContainEqual({
        field: 'remember_me',
        messages: ['is not a known field; remove it'],
      });
    });
  });

  describe('credentials on GET /api/v1/profile', () => {
    it('accepts a valid token in the api_access_token header', async () => {
      const response = await server.http
        .get('/api/v1/profile')
        .set('api_access_token', admin.token)
        .expect(200);
      expect(response.body).toMatchObject({
        id: admin.userId,
        email: admin.email,
        confirmed: true,
        account_id: admin.accountId,
        accounts: [{ id: admin.accountId, name: 'Auth Co', role: 'administrator' }],
      });
    });

    it('accepts a valid token as Authorization: Bearer, whatever the case of the scheme', async () => {
      const bearer = await server.http
        .get('/api/v1/profile')
        .set('Authorization', `Bearer ${admin.token}`)
        .expect(200);
      expect(bearer.body.id).toBe(admin.userId);
      const lower = await server.http
        .get('/api/v1/profile')
        .set('Authorization', `bearer ${admin.token}`)
        .expect(200);
      expect(lower.body.id).toBe(admin.userId);
    });

    it('answers 401 missing_credentials without a token', async () => {
      expectProblem(await server.http.get('/api/v1/profile'), 401, 'missing_credentials');
      expectProblem(
        await server.http
          .get('/api/v1/profile')
          .set('Authorization', `Basic ${Buffer.from('a:b').toString('base64')}`),
        401,
        'missing_credentials',
      );
      expectProblem(
        await server.http.get('/api/v1/profile').set('api_access_token', '   '),
        401,
        'missing_credentials',
      );
    });

    it('answers 401 malformed_token for a token in the wrong format', async () => {
      for (const token of [
        'not-a-token',
        'cvs_short',
        `${admin.token}x`,
        `xyz_${admin.token.slice(4)}`,
      ]) {
        expectProblem(
          await server.http.get('/api/v1/profile').set('api_access_token', token),
          401,
          'malformed_token',
        );
      }
      expectProblem(
        await server.http.get('/api/v1/profile').set('Authorization', 'Bearer not-a-token'),
        401,
        'malformed_token',
      );
    });

    it('answers 401 invalid_token for a well-formed token that was never issued', async () => {
      expectProblem(
        await server.http.get('/api/v1/profile').set('api_access_token', unknownToken()),
        401,
        'invalid_token',
      );
      expectProblem(
        await server.http.get('/api/v1/profile').set('Authorization', `Bearer ${unknownToken()}`),
        401,
        'invalid_token',
      );
    });

    it('answers 401 revoked_token once the token is revoked, and only that token stops working', async () => {
      const created = await createToken(admin.token, { name: 'To revoke' }).expect(201);
      const { id, token } = created.body;
      await server.http.get('/api/v1/profile').set('api_access_token', token).expect(200);

      await server.http
        .delete(`/api/v1/profile/access_tokens/${id}`)
        .set('api_access_token', admin.token)
        .expect(204);

      expectProblem(
        await server.http.get('/api/v1/profile').set('api_access_token', token),
        401,
        'revoked_token',
      );
      expectProblem(
        await server.http.get('/api/v1/profile').set('Authorization', `Bearer ${token}`),
        401,
        'revoked_token',
      );
      await server.http.get('/api/v1/profile').set('api_access_token', admin.token).expect(200);

      const { rows } = await testDatabase().query(
        'SELECT revoked_at FROM access_tokens WHERE id = $1',
        [id],
      );
      expect(rows[0].revoked_at).toBeInstanceOf(Date);
      const list = await server.http
        .get('/api/v1/profile/access_tokens')
        .set('api_access_token', admin.token)
        .expect(200);
      expect(list.body.find((entry: { id: number }) => entry.id === id).revoked_at).not.toBeNull();

      // Revoking again is harmless.
      await server.http
        .delete(`/api/v1/profile/access_tokens/${id}`)
        .set('api_access_token', admin.token)
        .expect(204);
    });

    it('lets a token revoke itself', async () => {
      const { token, id } = (await createToken(admin.token, { name: 'Self' }).expect(201)).body;
      await server.http
        .delete(`/api/v1/profile/access_tokens/${id}`)
        .set('api_access_token', token)
        .expect(204);
      expectProblem(
        await server.http.get('/api/v1/profile').set('api_access_token', token),
        401,
        'revoked_token',
      );
    });

    it('answers 401 expired_token once expires_at has passed', async () => {
      const created = await createToken(admin.token, {
        name: 'Short lived',
        expires_in_days: 1,
      }).expect(201);
      const { id, token, expires_at: expiresAt } = created.body;
      const expiresIn = new Date(expiresAt).getTime() - Date.now();
      expect(expiresIn).toBeGreaterThan(0);
      expect(expiresIn).toBeLessThanOrEqual(DAY_MS);
      await server.http.get('/api/v1/profile').set('api_access_token', token).expect(200);

      await testDatabase().query(
        `UPDATE access_tokens SET expires_at = now() - interval '1 minute' WHERE id = $1`,
        [id],
      );

      expectProblem(
        await server.http.get('/api/v1/profile').set('api_access_token', token),
        401,
        'expired_token',
      );
      expectProblem(
        await server.http.get('/api/v1/profile').set('Authorization', `Bearer ${token}`),
        401,
        'expired_token',
      );
    });

    it('expires sign-in tokens too', async () => {
      const { access_token: token, token: info } = (
        await server.http
          .post('/auth/sign_in')
          .send({ email: admin.email, password: admin.password })
          .expect(200)
      ).body;
      await testDatabase().query(
        `UPDATE access_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [info.id],
      );
      expectProblem(
        await server.http.get('/api/v1/profile').set('api_access_token', token),
        401,
        'expired_token',
      );
    });
  });

  describe('access tokens', () => {
    it('shows a created token once; the list never contains a secret', async () => {
      const created = await createToken(admin.token, { name: 'CRM integration' }).expect(201);
      expect(created.body).toMatchObject({
        name: 'CRM integration',
        kind: 'personal',
        expires_at: null,
        last_used_at: null,
        revoked_at: null,
      });
      const { token, id } = created.body;
      expect(token).toMatch(TOKEN_FORMAT);
      expect(created.body.hint).toBe(token.slice(0, 8));

      const list = await server.http
        .get('/api/v1/profile/access_tokens')
        .set('api_access_token', admin.token)
        .expect(200);
      const text = JSON.stringify(list.body);
      expect(text).not.toContain(token);
      expect(text).not.toContain(admin.token);
      expect(text).not.toContain(sha256(token));
      for (const entry of list.body) {
        expect(Object.keys(entry).sort()).toEqual(
          [
            'created_at',
            'expires_at',
            'hint',
            'id',
            'kind',
            'last_used_at',
            'name',
            'revoked_at',
          ].sort(),
        );
      }
      expect(list.body).toContainEqual(
        expect.objectContaining({ id, name: 'CRM integration', hint: token.slice(0, 8) }),
      );
      // Newest first.
      expect(list.body[0].id).toBe(id);
    });

    it('stores tokens only as SHA-256 hashes, and passwords only as scrypt hashes', async () => {
      const { token, id } = (await createToken(admin.token, { name: 'Hashed' }).expect(201)).body;
      const signIn = await server.http
        .post('/auth/sign_in')
        .send({ email: admin.email, password: admin.password });
      const signInToken: string = signIn.body.access_token;

      const db = testDatabase();
      const { rows: tokens } = await db.query(
        'SELECT row_to_json(t)::text AS row FROM access_tokens t',
      );
      const everyToken = tokens.map((row: { row: string }) => row.row).join('\n');
      for (const secret of [token, signInToken, admin.token]) {
        expect(everyToken).not.toContain(secret);
        expect(everyToken).not.toContain(secret.slice(8));
      }
      const { rows: stored } = await db.query(
        'SELECT token_hash, hint FROM access_tokens WHERE id = $1',
        [id],
      );
      expect(stored[0]).toEqual({ token_hash: sha256(token), hint: token.slice(0, 8) });

      const { rows: users } = await db.query(
        'SELECT row_to_json(u)::text AS row, password_hash FROM users u WHERE id = $1',
        [admin.userId],
      );
      expect(users[0].row).not.toContain(admin.password);
      expect(users[0].password_hash).toMatch(
        /^scrypt\$\d+\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/,
      );
    });

    it('records last_used_at after a token is used', async () => {
      const { token, id } = (await createToken(admin.token, { name: 'Used' }).expect(201)).body;
      const db = testDatabase();
      const before = await db.query('SELECT last_used_at FROM access_tokens WHERE id = $1', [id]);
      expect(before.rows[0].last_used_at).toBeNull();

      await server.http.get('/api/v1/profile').set('api_access_token', token).expect(200);

      const usedAt = await eventually(async () => {
        const { rows } = await db.query('SELECT last_used_at FROM access_tokens WHERE id = $1', [
          id,
        ]);
        expect(rows[0].last_used_at).toBeInstanceOf(Date);
        return rows[0].last_used_at as Date;
      });
      const list = await server.http
        .get('/api/v1/profile/access_tokens')
        .set('api_access_token', admin.token)
        .expect(200);
      const entry = list.body.find((candidate: { id: number }) => candidate.id === id);
      expect(new Date(entry.last_used_at).getTime()).toBe(usedAt.getTime());
    });

    it('answers 422 for a bad token request', async () => {
      expectInvalidFields(await createToken(admin.token, {}), ['name']);
      expectInvalidFields(
        await createToken(admin.token, { name: '   ', expires_in_days: 0, scope: 'all' }),
        ['name', 'expires_in_days', 'scope'],
      );
    });

    it("answers 404 for another user's token, which keeps working", async () => {
      const other = await createAccount('Other Co');
      const { id, token } = (await createToken(other.token, { name: 'Theirs' }).expect(201)).body;
      expectProblem(
        await server.http
          .delete(`/api/v1/profile/access_tokens/${id}`)
          .set('api_access_token', admin.token),
        404,
        'access_token_not_found',
      );
      await server.http.get('/api/v1/profile').set('api_access_token', token).expect(200);
      const { rows } = await testDatabase().query(
        'SELECT revoked_at FROM access_tokens WHERE id = $1',
        [id],
      );
      expect(rows[0].revoked_at).toBeNull();
    });

    it('answers 400 invalid_id for a token id that is not a positive whole number', async () => {
      for (const id of ['abc', '0', '-3', '1.5']) {
        const problem = expectProblem(
          await server.http
            .delete(`/api/v1/profile/access_tokens/${id}`)
            .set('api_access_token', admin.token),
          400,
          'invalid_id',
        );
        expect(problem.detail).not.toContain('NaN');
      }
    });

    it('needs a credential', async () => {
      expectProblem(
        await server.http.get('/api/v1/profile/access_tokens'),
        401,
        'missing_credentials',
      );
      expectProblem(
        await server.http.post('/api/v1/profile/access_tokens').send({ name: 'x' }),
        401,
        'missing_credentials',
      );
    });
  });

  describe('PATCH /api/v1/profile', () => {
    it('changes the name and display name', async () => {
      const account = await createAccount('Names Co');
      const response = await server.http
        .patch('/api/v1/profile')
        .set('api_access_token', account.token)
        .send({ name: '  Ada Lovelace ', display_name: 'Ada' })
        .expect(200);
      expect(response.body).toMatchObject({
        name: 'Ada Lovelace',
        display_name: 'Ada',
        available_name: 'Ada',
      });
      const { rows } = await testDatabase().query(
        'SELECT name, display_name FROM users WHERE id = $1',
        [account.userId],
      );
      expect(rows[0]).toEqual({ name: 'Ada Lovelace', display_name: 'Ada' });
    });

    it('refuses a new password without the current one, or with a wrong one', async () => {
      const account = await createAccount('Passwords Co');
      const db = testDatabase();
      const hashBefore = (
        await db.query('SELECT password_hash FROM users WHERE id = $1', [account.userId])
      ).rows[0].password_hash;

      expectProblem(
        await server.http
          .patch('/api/v1/profile')
          .set('api_access_token', account.token)
          .send({ password: 'a brand new password' }),
        422,
        'current_password_required',
      );
      expectProblem(
        await server.http
          .patch('/api/v1/profile')
          .set('api_access_token', account.token)
          .send({ password: 'a brand new password', current_password: 'not my password' }),
        422,
        'current_password_mismatch',
      );

      const hashAfter = (
        await db.query('SELECT password_hash FROM users WHERE id = $1', [account.userId])
      ).rows[0].password_hash;
      expect(hashAfter).toBe(hashBefore);
      await server.http
        .post('/auth/sign_in')
        .send({ email: account.email, password: account.password })
        .expect(200);
    });

    it('changes the password given the current one', async () => {
      const account = await createAccount('Passwords Co');
      const newPassword = 'a brand new password';
      await server.http
        .patch('/api/v1/profile')
        .set('api_access_token', account.token)
        .send({ password: newPassword, current_password: account.password })
        .expect(200);

      await server.http
        .post('/auth/sign_in')
        .send({ email: account.email, password: newPassword })
        .expect(200);
      expectProblem(
        await server.http
          .post('/auth/sign_in')
          .send({ email: account.email, password: account.password }),
        401,
        'invalid_credentials',
      );
      const { rows } = await testDatabase().query('SELECT password_hash FROM users WHERE id = $1', [
        account.userId,
      ]);
      expect(rows[0].password_hash).toMatch(/^scrypt\$/);
      expect(rows[0].password_hash).not.toContain(newPassword);
    });

    it('answers 422 for a short password, a blank name and fields that cannot be changed here', async () => {
      const response = await server.http
        .patch('/api/v1/profile')
        .set('api_access_token', admin.token)
        .send({
          password: 'short',
          current_password: admin.password,
          name: ' ',
          role: 'administrator',
        });
      expectInvalidFields(response, ['password', 'name', 'role']);
    });
  });

  describe('POST /api/v1/profile/availability', () => {
    it("sets the caller's availability in one account", async () => {
      const account = await createAccount('Availability Co');
      const response = await server.http
        .post('/api/v1/profile/availability')
        .set('api_access_token', account.token)
        .send({ account_id: account.accountId, availability: 'busy' })
        .expect(200);
      expect(response.body.accounts).toEqual([
        expect.objectContaining({
          id: account.accountId,
          availability: 'busy',
          availability_status: 'busy',
        }),
      ]);
      const { rows } = await testDatabase().query(
        'SELECT availability FROM account_users WHERE account_id = $1 AND user_id = $2',
        [account.accountId, account.userId],
      );
      expect(rows[0].availability).toBe('busy');

      const agents = await server.http
        .get(`/api/v1/accounts/${account.accountId}/agents`)
        .set('api_access_token', account.token)
        .expect(200);
      expect(agents.body[0]).toMatchObject({ id: account.userId, availability_status: 'busy' });
    });

    it('answers 422 naming each bad field', async () => {
      const response = await server.http
        .post('/api/v1/profile/availability')
        .set('api_access_token', admin.token)
        .send({ account_id: 'one', availability: 'away' });
      expectInvalidFields(response, ['account_id', 'availability']);
    });

    it('answers 404 account_not_found for an account the caller is not in, and changes nothing there', async () => {
      const other = await createAccount('Elsewhere Co');
      const response = await server.http
        .post('/api/v1/profile/availability')
        .set('api_access_token', admin.token)
        .send({ account_id: other.accountId, availability: 'offline' });
      expectProblem(response, 404, 'account_not_found');
      const { rows } = await testDatabase().query(
        'SELECT count(*)::int AS n FROM account_users WHERE account_id = $1',
        [other.accountId],
      );
      expect(rows[0].n).toBe(1);
    });
  });
});
