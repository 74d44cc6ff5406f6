import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { closeTestDatabase, testDatabase } from './support/database.js';
import { createAccount, createAgent, TEST_PASSWORD, uniqueEmail } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { expectProblem } from './support/problems.js';
import { startServer, TestServer } from './support/server.js';

/** Issue 11, item 3: adding an existing user to an account is an invitation they accept. */
describe('agent invitations', () => {
  let server: TestServer;
  let home: TestAccount;
  const db = () => testDatabase();
  const agents = () => `/api/v1/accounts/${home.accountId}/agents`;
  const as = (token: string) => ({
    get: (path: string) => server.http.get(path).set('api_access_token', token),
    post: (path: string, body: Record<string, unknown> = {}) =>
      server.http.post(path).set('api_access_token', token).send(body),
    delete: (path: string) => server.http.delete(path).set('api_access_token', token),
  });
  const membership = async (accountId: number, userId: number) =>
    (
      await db().query(`SELECT role FROM account_users WHERE account_id = $1 AND user_id = $2`, [
        accountId,
        userId,
      ])
    ).rows;
  const invite = (user: TestAccount, body: Record<string, unknown> = {}) =>
    as(home.token).post(agents(), { name: 'Ignored', email: user.email, role: 'agent', ...body });

  beforeAll(async () => {
    server = await startServer();
    home = await createAccount('Home');
  });
  afterAll(async () => {
    await server?.stop();
    await closeTestDatabase();
  });

  it("invites an existing user: the invitation shows what the administrator sent, none of the user's profile, no access", async () => {
    const other = await createAccount('Other');
    const { rows: before } = await db().query(
      'SELECT name, display_name, password_hash FROM users WHERE id = $1',
      [other.userId],
    );
    const response = await invite(other, {
      email: other.email.toUpperCase(),
      password: 'an attacker password',
      availability_status: 'busy',
    }).expect(201);
    expect(response.body).toEqual({
      id: expect.any(Number),
      account_id: home.accountId,
      email: other.email,
      role: 'agent',
      availability_status: 'busy',
      auto_offline: true,
      status: 'pending',
      confirmed: false,
      created_at: expect.any(String),
    });
    expect(JSON.stringify(response.body)).not.toContain(before[0].name);
    expect(await membership(home.accountId, other.userId)).toEqual([]);
    const { rows: after } = await db().query(
      'SELECT name, display_name, password_hash FROM users WHERE id = $1',
      [other.userId],
    );
    expect(after).toEqual(before);

    // No access, not listed, not in the profile's accounts.
    expectProblem(await as(other.token).get(agents()), 404, 'account_not_found');
    const listed = await as(home.token).get(agents()).expect(200);
    expect(listed.body.map((agent: { id: number }) => agent.id)).not.toContain(other.userId);
    const profile = await as(other.token).get('/api/v1/profile').expect(200);
    expect(profile.body.accounts.map((account: { id: number }) => account.id)).toEqual([
      other.accountId,
    ]);

    // Asking again while it is pending is a conflict naming the invitation.
    const again = expectProblem(await invite(other), 409, 'agent_invitation_pending');
    expect(again.existing_id).toBe(response.body.id);
  });

  it('the invited user sees the invitation and accepts it: then they are an agent with the invited role', async () => {
    const other = await createAccount('Other');
    const invitation = (await invite(other, { role: 'administrator' }).expect(201)).body;

    const mine = await as(other.token).get('/api/v1/profile/invitations').expect(200);
    expect(mine.body).toEqual([
      {
        id: invitation.id,
        account: { id: home.accountId, name: 'Home' },
        role: 'administrator',
        invited_by: { id: home.userId, name: 'Ada Admin' },
        created_at: expect.any(String),
      },
    ]);
    // Nobody else can accept or decline it.
    const stranger = await createAccount('Stranger');
    for (const action of ['accept', 'decline']) {
      expectProblem(
        await as(stranger.token).post(`/api/v1/profile/invitations/${invitation.id}/${action}`),
        404,
        'invitation_not_found',
      );
    }

    const accepted = await as(other.token)
      .post(`/api/v1/profile/invitations/${invitation.id}/accept`)
      .expect(200);
    expect(accepted.body.accounts).toContainEqual(
      expect.objectContaining({ id: home.accountId, role: 'administrator' }),
    );
    expect(await membership(home.accountId, other.userId)).toEqual([{ role: 'administrator' }]);
    await as(other.token).get(agents()).expect(200);
    expect((await as(other.token).get('/api/v1/profile/invitations').expect(200)).body).toEqual([]);
    expectProblem(
      await as(other.token).post(`/api/v1/profile/invitations/${invitation.id}/accept`),
      404,
      'invitation_not_found',
    );
    expectProblem(await invite(other), 409, 'agent_already_exists');
  });

  it('the invited user declines; the account may invite again', async () => {
    const other = await createAccount('Other');
    const invitation = (await invite(other).expect(201)).body;
    await as(other.token).post(`/api/v1/profile/invitations/${invitation.id}/decline`).expect(204);
    expect(await membership(home.accountId, other.userId)).toEqual([]);
    expect(
      (await as(home.token).get(`${agents()}/invitations`).expect(200)).body,
    ).not.toContainEqual(expect.objectContaining({ id: invitation.id }));
    await invite(other).expect(201);
  });

  it('administrators list and revoke pending invitations; agents may not', async () => {
    const other = await createAccount('Other');
    const invitation = (await invite(other).expect(201)).body;
    const agent = await createAgent(server.http, home);
    expectProblem(
      await as(agent.token).get(`${agents()}/invitations`),
      403,
      'administrator_required',
    );
    expectProblem(
      await as(agent.token).delete(`${agents()}/invitations/${invitation.id}`),
      403,
      'administrator_required',
    );
    const listed = await as(home.token).get(`${agents()}/invitations`).expect(200);
    expect(listed.body).toContainEqual(invitation);

    // Another account cannot revoke it.
    const elsewhere = await createAccount('Elsewhere');
    expectProblem(
      await as(elsewhere.token).delete(
        `/api/v1/accounts/${elsewhere.accountId}/agents/invitations/${invitation.id}`,
      ),
      404,
      'invitation_not_found',
    );

    await as(home.token).delete(`${agents()}/invitations/${invitation.id}`).expect(204);
    expectProblem(
      await as(other.token).post(`/api/v1/profile/invitations/${invitation.id}/accept`),
      404,
      'invitation_not_found',
    );
    expect(await membership(home.accountId, other.userId)).toEqual([]);
  });

  it('an Idempotency-Key replay returns the same invitation and invites once', async () => {
    const other = await createAccount('Other');
    const send = () =>
      server.http
        .post(agents())
        .set('api_access_token', home.token)
        .set('Idempotency-Key', `invite-${other.userId}`)
        .send({ name: 'Ignored', email: other.email, role: 'agent' });
    const first = await send().expect(201);
    const replay = await send().expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    const { rows } = await db().query(
      `SELECT count(*)::int AS n FROM account_invitations WHERE account_id = $1 AND user_id = $2`,
      [home.accountId, other.userId],
    );
    expect(rows[0].n).toBe(1);
  });

  it('a new email with a password is still an agent at once', async () => {
    const email = uniqueEmail('fresh');
    const created = await as(home.token)
      .post(agents(), { name: 'Fresh', email, role: 'agent', password: TEST_PASSWORD })
      .expect(201);
    expect(created.body).toMatchObject({ name: 'Fresh', email, confirmed: true });
    expect(await membership(home.accountId, created.body.id)).toEqual([{ role: 'agent' }]);
  });
});
