import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { closeTestDatabase, testDatabase } from './support/database.js';
import {
  createAccount,
  createAgent,
  TEST_PASSWORD,
  TestAccount,
  uniqueEmail,
} from './support/factories.js';
import { expectInvalidFields, expectProblem } from './support/problems.js';
import { startServer, TestServer } from './support/server.js';

type Method = 'get' | 'post' | 'patch' | 'delete';

/**
 * Every route of the agents and teams controllers. `:agent` and `:team` stand for an agent and
 * a team of the account; bodies are valid, so only access control can refuse them.
 */
const ROUTE_LIST: [Method, string, Record<string, unknown>?][] = [
  ['get', '/agents'],
  [
    'post',
    '/agents',
    {
      name: 'Intruder',
      email: 'intruder@example.test',
      role: 'administrator',
      password: TEST_PASSWORD,
    },
  ],
  ['patch', '/agents/:agent', { role: 'administrator' }],
  ['delete', '/agents/:agent'],
  ['get', '/teams'],
  ['post', '/teams', { name: 'Intruders' }],
  ['get', '/teams/:team'],
  ['patch', '/teams/:team', { name: 'Taken over' }],
  ['delete', '/teams/:team'],
  ['get', '/teams/:team/team_members'],
  ['post', '/teams/:team/team_members', { user_ids: [':agent'] }],
  ['patch', '/teams/:team/team_members', { user_ids: [':agent'] }],
  ['delete', '/teams/:team/team_members', { user_ids: [':agent'] }],
];
/** As objects, so that jest passes one argument (a short array row would look like `done`). */
const ROUTES = ROUTE_LIST.map(([method, path, body]) => ({ method, path, body }));
const ADMIN_ROUTES = ROUTES.filter(({ method }) => method !== 'get');
const READ_ROUTES = ROUTES.filter(({ method }) => method === 'get');

interface Agent {
  userId: number;
  token: string;
  email: string;
}

describe('tenancy and roles', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
    await closeTestDatabase();
  });

  const db = () => testDatabase();

  function call(method: Method, path: string, token?: string, body?: unknown) {
    const pending = server.http[method](path);
    if (token) pending.set('api_access_token', token);
    return body === undefined ? pending : pending.send(body as object);
  }

  /** Fills `:agent` and `:team` into a route of ROUTES. */
  function resolve(
    path: string,
    body: Record<string, unknown> | undefined,
    ids: { agent: number; team: number },
  ) {
    const fill = (text: string) =>
      text.replace(':agent', String(ids.agent)).replace(':team', String(ids.team));
    const filledBody = body && {
      ...body,
      ...(body.user_ids ? { user_ids: [ids.agent] } : {}),
    };
    return { path: fill(path), body: filledBody };
  }

  async function createTeam(account: TestAccount, name: string): Promise<number> {
    const response = await call(
      'post',
      `/api/v1/accounts/${account.accountId}/teams`,
      account.token,
      { name },
    ).expect(201);
    return response.body.id;
  }

  async function snapshot(accountId: number) {
    const { rows } = await db().query(
      `SELECT
         (SELECT json_agg(json_build_object('user_id', user_id, 'role', role) ORDER BY user_id)
            FROM account_users WHERE account_id = $1) AS members,
         (SELECT json_agg(json_build_object('id', id, 'name', name) ORDER BY id) FROM teams WHERE account_id = $1) AS teams,
         (SELECT json_agg(json_build_object('team_id', m.team_id, 'user_id', m.user_id) ORDER BY m.team_id, m.user_id)
            FROM team_members m JOIN teams t ON t.id = m.team_id WHERE t.account_id = $1) AS team_members`,
      [accountId],
    );
    return rows[0];
  }

  describe("another account's credential", () => {
    let first: TestAccount;
    let second: TestAccount;
    let agent: Agent;
    let team: number;
    let before: unknown;

    beforeAll(async () => {
      first = await createAccount('First');
      second = await createAccount('Second');
      agent = await createAgent(server.http, first);
      team = await createTeam(first, 'Support');
      await call(
        'post',
        `/api/v1/accounts/${first.accountId}/teams/${team}/team_members`,
        first.token,
        {
          user_ids: [agent.userId],
        },
      ).expect(201);
      before = await snapshot(first.accountId);
    });

    it.each(ROUTES)(
      'gets 404 account_not_found on $method /api/v1/accounts/{first}$path',
      async (route) => {
        const { method } = route;
        const { path, body } = resolve(route.path, route.body, { agent: agent.userId, team });
        const problem = expectProblem(
          await call(method, `/api/v1/accounts/${first.accountId}${path}`, second.token, body),
          404,
          'account_not_found',
        );
        expect(problem.detail).toContain(String(first.accountId));
      },
    );

    it('changed nothing in the first account', async () => {
      expect(await snapshot(first.accountId)).toEqual(before);
      const { rows } = await db().query(
        `SELECT count(*)::int AS n FROM users WHERE email = 'intruder@example.test'`,
      );
      expect(rows[0].n).toBe(0);
    });

    it.each([
      'abc',
      '0',
      '-1',
      '1.5',
      '1e3',
      '0x1',
      '99999999999',
      '2147483648',
      '2147483647',
      '%20',
    ])('gets 404 account_not_found for the account id "%s"', async (accountId) => {
      expectProblem(
        await call('get', `/api/v1/accounts/${accountId}/agents`, first.token),
        404,
        'account_not_found',
      );
      expectProblem(
        await call('post', `/api/v1/accounts/${accountId}/teams`, first.token, { name: 'Nowhere' }),
        404,
        'account_not_found',
      );
    });

    it('gets 401 without any credential, before the account is looked at', async () => {
      expectProblem(
        await call('get', `/api/v1/accounts/${first.accountId}/agents`),
        401,
        'missing_credentials',
      );
      expectProblem(await call('get', `/api/v1/accounts/abc/teams`), 401, 'missing_credentials');
    });

    it("answers 404 for the other account's agents and teams addressed through one's own account", async () => {
      const theirTeam = await createTeam(second, 'Theirs');
      expectProblem(
        await call(
          'patch',
          `/api/v1/accounts/${first.accountId}/agents/${second.userId}`,
          first.token,
          { name: 'X' },
        ),
        404,
        'agent_not_found',
      );
      expectProblem(
        await call(
          'delete',
          `/api/v1/accounts/${first.accountId}/agents/${second.userId}`,
          first.token,
        ),
        404,
        'agent_not_found',
      );
      for (const [method, path, body] of [
        ['get', `/teams/${theirTeam}`],
        ['patch', `/teams/${theirTeam}`, { name: 'Mine now' }],
        ['delete', `/teams/${theirTeam}`],
        ['get', `/teams/${theirTeam}/team_members`],
        ['post', `/teams/${theirTeam}/team_members`, { user_ids: [first.userId] }],
      ] as [Method, string, object?][]) {
        expectProblem(
          await call(method, `/api/v1/accounts/${first.accountId}${path}`, first.token, body),
          404,
          'team_not_found',
        );
      }
      const { rows } = await db().query('SELECT name FROM teams WHERE id = $1', [theirTeam]);
      expect(rows).toEqual([{ name: 'Theirs' }]);
    });
  });

  describe('role agent', () => {
    let account: TestAccount;
    let agent: Agent;
    let team: number;
    let before: unknown;

    beforeAll(async () => {
      account = await createAccount('Roles');
      agent = await createAgent(server.http, account);
      team = await createTeam(account, 'Billing');
      before = await snapshot(account.accountId);
    });

    it.each(READ_ROUTES)('may $method $path', async (route) => {
      const { method } = route;
      const { path } = resolve(route.path, undefined, { agent: agent.userId, team });
      const response = await call(
        method,
        `/api/v1/accounts/${account.accountId}${path}`,
        agent.token,
      ).expect(200);
      expect(response.body).toBeDefined();
    });

    it('sees the agents and teams of the account', async () => {
      const agents = await call(
        'get',
        `/api/v1/accounts/${account.accountId}/agents`,
        agent.token,
      ).expect(200);
      expect(
        agents.body.map((entry: { id: number; role: string }) => [entry.id, entry.role]).sort(),
      ).toEqual(
        [
          [account.userId, 'administrator'],
          [agent.userId, 'agent'],
        ].sort(),
      );
      const teams = await call(
        'get',
        `/api/v1/accounts/${account.accountId}/teams`,
        agent.token,
      ).expect(200);
      expect(teams.body).toEqual([
        expect.objectContaining({ id: team, name: 'Billing', is_member: false }),
      ]);
    });

    it.each(ADMIN_ROUTES)('gets 403 administrator_required on $method $path', async (route) => {
      const { method } = route;
      const { path, body } = resolve(route.path, route.body, { agent: account.userId, team });
      expectProblem(
        await call(method, `/api/v1/accounts/${account.accountId}${path}`, agent.token, body),
        403,
        'administrator_required',
      );
    });

    it('cannot make themselves an administrator', async () => {
      expectProblem(
        await call(
          'patch',
          `/api/v1/accounts/${account.accountId}/agents/${agent.userId}`,
          agent.token,
          {
            role: 'administrator',
          },
        ),
        403,
        'administrator_required',
      );
    });

    it('changed nothing', async () => {
      expect(await snapshot(account.accountId)).toEqual(before);
    });

    it('may use administrator routes once made an administrator', async () => {
      const promoted = await createAgent(server.http, account);
      await call(
        'patch',
        `/api/v1/accounts/${account.accountId}/agents/${promoted.userId}`,
        account.token,
        {
          role: 'administrator',
        },
      ).expect(200);
      const created = await call(
        'post',
        `/api/v1/accounts/${account.accountId}/teams`,
        promoted.token,
        {
          name: 'Promoted team',
        },
      ).expect(201);
      expect(created.body.name).toBe('Promoted team');
    });
  });

  describe('the last administrator', () => {
    it('cannot be demoted or removed; can once another administrator exists', async () => {
      const account = await createAccount('Lonely');
      const agents = `/api/v1/accounts/${account.accountId}/agents`;

      expectProblem(
        await call('patch', `${agents}/${account.userId}`, account.token, { role: 'agent' }),
        409,
        'last_administrator',
      );
      expectProblem(
        await call('delete', `${agents}/${account.userId}`, account.token),
        409,
        'last_administrator',
      );
      const { rows } = await db().query('SELECT role FROM account_users WHERE account_id = $1', [
        account.accountId,
      ]);
      expect(rows).toEqual([{ role: 'administrator' }]);

      // An agent (not an administrator) does not count.
      await createAgent(server.http, account, 'agent');
      expectProblem(
        await call('patch', `${agents}/${account.userId}`, account.token, { role: 'agent' }),
        409,
        'last_administrator',
      );

      const second = await createAgent(server.http, account, 'administrator');
      const demoted = await call('patch', `${agents}/${account.userId}`, account.token, {
        role: 'agent',
      }).expect(200);
      expect(demoted.body).toMatchObject({ id: account.userId, role: 'agent' });

      // The first one is now an agent; the second is the last administrator.
      expectProblem(
        await call('post', `/api/v1/accounts/${account.accountId}/teams`, account.token, {
          name: 'Nope',
        }),
        403,
        'administrator_required',
      );
      expectProblem(
        await call('delete', `${agents}/${second.userId}`, second.token),
        409,
        'last_administrator',
      );
      expectProblem(
        await call('patch', `${agents}/${second.userId}`, second.token, { role: 'agent' }),
        409,
        'last_administrator',
      );
      const roles = await db().query(
        `SELECT count(*) FILTER (WHERE role = 'administrator')::int AS administrators FROM account_users WHERE account_id = $1`,
        [account.accountId],
      );
      expect(roles.rows[0].administrators).toBe(1);
    });

    it('may remove an administrator who is not the last', async () => {
      const account = await createAccount('Pair');
      const second = await createAgent(server.http, account, 'administrator');
      await call(
        'delete',
        `/api/v1/accounts/${account.accountId}/agents/${account.userId}`,
        second.token,
      ).expect(200);
      expectProblem(
        await call('get', `/api/v1/accounts/${account.accountId}/agents`, account.token),
        404,
        'account_not_found',
      );
    });
  });

  describe('adding agents', () => {
    let account: TestAccount;

    beforeAll(async () => {
      account = await createAccount('Hiring');
    });

    const agents = () => `/api/v1/accounts/${account.accountId}/agents`;

    it('creates a new user with the password, who can then sign in', async () => {
      const email = uniqueEmail('new');
      const response = await call('post', agents(), account.token, {
        name: 'Grace Hopper',
        email: email.toUpperCase(),
        role: 'agent',
        availability_status: 'busy',
        auto_offline: false,
        password: 'grace password',
      }).expect(201);
      expect(response.body).toMatchObject({
        account_id: account.accountId,
        name: 'Grace Hopper',
        email,
        role: 'agent',
        availability_status: 'busy',
        auto_offline: false,
        confirmed: true,
      });
      const { rows } = await db().query('SELECT password_hash FROM users WHERE email = $1', [
        email,
      ]);
      expect(rows[0].password_hash).toMatch(/^scrypt\$/);
      expect(rows[0].password_hash).not.toContain('grace password');
      await server.http
        .post('/auth/sign_in')
        .send({ email, password: 'grace password' })
        .expect(200);
    });

    // Issue 11: an existing user is invited (no profile data revealed) and joins on accepting.
    it("invites another account's user by email without a password, keeping their password", async () => {
      const other = await createAccount('Elsewhere');
      const { rows: before } = await db().query(
        'SELECT name, password_hash FROM users WHERE id = $1',
        [other.userId],
      );

      const response = await call('post', agents(), account.token, {
        name: 'Another name',
        email: other.email.toUpperCase(),
        role: 'agent',
      }).expect(201);
      expect(response.body).toMatchObject({ email: other.email, role: 'agent', status: 'pending' });
      expect(JSON.stringify(response.body)).not.toContain(before[0].name);

      const { rows: after } = await db().query(
        'SELECT name, password_hash FROM users WHERE id = $1',
        [other.userId],
      );
      expect(after).toEqual(before);
      const { rows: users } = await db().query(
        'SELECT count(*)::int AS n FROM users WHERE lower(email) = $1',
        [other.email],
      );
      expect(users[0].n).toBe(1);

      await call(
        'post',
        `/api/v1/profile/invitations/${response.body.id}/accept`,
        other.token,
      ).expect(200);
      const profile = await call('get', '/api/v1/profile', other.token).expect(200);
      expect(
        profile.body.accounts
          .map((entry: { id: number; role: string }) => [entry.id, entry.role])
          .sort(),
      ).toEqual(
        [
          [other.accountId, 'administrator'],
          [account.accountId, 'agent'],
        ].sort(),
      );
      await call('get', agents(), other.token).expect(200);
    });

    it('ignores a password sent for an existing user', async () => {
      const other = await createAccount('Elsewhere');
      await call('post', agents(), account.token, {
        name: 'X',
        email: other.email,
        role: 'agent',
        password: 'an attacker password',
      }).expect(201);
      expectProblem(
        await server.http
          .post('/auth/sign_in')
          .send({ email: other.email, password: 'an attacker password' }),
        401,
        'invalid_credentials',
      );
      await server.http
        .post('/auth/sign_in')
        .send({ email: other.email, password: other.password })
        .expect(200);
    });

    it('answers 409 agent_already_exists for a user who is already an agent, in any case of the email', async () => {
      const existing = await createAgent(server.http, account);
      const before = await snapshot(account.accountId);
      for (const email of [existing.email, existing.email.toUpperCase(), account.email]) {
        const problem = expectProblem(
          await call('post', agents(), account.token, {
            name: 'Again',
            email,
            role: 'administrator',
          }),
          409,
          'agent_already_exists',
        );
        expect(problem.existing_id).toBe(
          email === account.email ? account.userId : existing.userId,
        );
      }
      expect(await snapshot(account.accountId)).toEqual(before);
    });

    it('answers 422 listing every bad field', async () => {
      expectInvalidFields(await call('post', agents(), account.token, {}), [
        'name',
        'email',
        'role',
      ]);
      expectInvalidFields(
        await call('post', agents(), account.token, {
          name: 'Bad',
          email: 'nope',
          role: 'owner',
          availability_status: 'away',
          password: 'short',
          admin: true,
        }),
        ['email', 'role', 'availability_status', 'password', 'admin'],
      );
    });
  });

  describe('changing and removing agents', () => {
    let account: TestAccount;

    beforeAll(async () => {
      account = await createAccount('Changes');
    });

    const agents = () => `/api/v1/accounts/${account.accountId}/agents`;

    it("changes an agent's name, role, availability and auto_offline", async () => {
      const agent = await createAgent(server.http, account);
      const response = await call('patch', `${agents()}/${agent.userId}`, account.token, {
        name: 'Renamed',
        role: 'administrator',
        availability_status: 'online',
        auto_offline: false,
      }).expect(200);
      expect(response.body).toMatchObject({
        id: agent.userId,
        name: 'Renamed',
        role: 'administrator',
        availability_status: 'online',
        auto_offline: false,
      });
      const list = await call('get', agents(), account.token).expect(200);
      expect(list.body).toContainEqual(
        expect.objectContaining({ id: agent.userId, name: 'Renamed', role: 'administrator' }),
      );
      const { rows } = await db().query(
        'SELECT role, availability, auto_offline FROM account_users WHERE account_id = $1 AND user_id = $2',
        [account.accountId, agent.userId],
      );
      expect(rows[0]).toEqual({
        role: 'administrator',
        availability: 'online',
        auto_offline: false,
      });
    });

    it('answers 404 agent_not_found for an unknown agent, and 400 invalid_id for a bad id', async () => {
      expectProblem(
        await call('patch', `${agents()}/999999`, account.token, { name: 'X' }),
        404,
        'agent_not_found',
      );
      expectProblem(
        await call('delete', `${agents()}/999999`, account.token),
        404,
        'agent_not_found',
      );
      const problem = expectProblem(
        await call('patch', `${agents()}/abc`, account.token, { name: 'X' }),
        400,
        'invalid_id',
      );
      expect(problem.detail).not.toContain('NaN');
    });

    it('answers 422 for bad changes', async () => {
      expectInvalidFields(
        await call('patch', `${agents()}/${account.userId}`, account.token, {
          role: 'owner',
          auto_offline: 'yes',
          shoe_size: 44,
        }),
        ['role', 'auto_offline', 'shoe_size'],
      );
    });

    it("removes an agent from the account and from the account's teams only", async () => {
      const agent = await createAgent(server.http, account);
      const elsewhere = await createAccount('Elsewhere');
      const invitation = await call(
        'post',
        `/api/v1/accounts/${elsewhere.accountId}/agents`,
        elsewhere.token,
        { name: 'X', email: agent.email, role: 'agent' },
      ).expect(201);
      await call(
        'post',
        `/api/v1/profile/invitations/${invitation.body.id}/accept`,
        agent.token,
      ).expect(200);
      const teamA = await createTeam(account, `Alpha ${agent.userId}`);
      const teamB = await createTeam(account, `Beta ${agent.userId}`);
      const otherTeam = await createTeam(elsewhere, 'Elsewhere team');
      for (const team of [teamA, teamB]) {
        await call(
          'post',
          `/api/v1/accounts/${account.accountId}/teams/${team}/team_members`,
          account.token,
          {
            user_ids: [agent.userId, account.userId],
          },
        ).expect(201);
      }
      await call(
        'post',
        `/api/v1/accounts/${elsewhere.accountId}/teams/${otherTeam}/team_members`,
        elsewhere.token,
        {
          user_ids: [agent.userId],
        },
      ).expect(201);

      const removed = await call('delete', `${agents()}/${agent.userId}`, account.token).expect(
        200,
      );
      expect(removed.text).toBe('');

      const list = await call('get', agents(), account.token).expect(200);
      expect(list.body.map((entry: { id: number }) => entry.id)).not.toContain(agent.userId);
      for (const team of [teamA, teamB]) {
        const members = await call(
          'get',
          `/api/v1/accounts/${account.accountId}/teams/${team}/team_members`,
          account.token,
        ).expect(200);
        expect(members.body.map((entry: { id: number }) => entry.id)).toEqual([account.userId]);
      }
      const { rows } = await db().query('SELECT team_id FROM team_members WHERE user_id = $1', [
        agent.userId,
      ]);
      expect(rows).toEqual([{ team_id: otherTeam }]);
      const { rows: users } = await db().query(
        'SELECT count(*)::int AS n FROM users WHERE id = $1',
        [agent.userId],
      );
      expect(users[0].n).toBe(1);

      // Their token still works, but not on this account any more.
      expectProblem(await call('get', agents(), agent.token), 404, 'account_not_found');
      await call('get', `/api/v1/accounts/${elsewhere.accountId}/agents`, agent.token).expect(200);
      expectProblem(
        await call('delete', `${agents()}/${agent.userId}`, account.token),
        404,
        'agent_not_found',
      );
    });
  });

  describe('teams', () => {
    let account: TestAccount;

    beforeAll(async () => {
      account = await createAccount('Teams');
    });

    const teams = () => `/api/v1/accounts/${account.accountId}/teams`;

    it('creates, lists, shows, updates and deletes a team', async () => {
      const created = await call('post', teams(), account.token, {
        name: ' Escalations ',
        description: 'Angry customers',
        allow_auto_assign: false,
      }).expect(201);
      const id = created.body.id;
      expect(created.body).toEqual({
        id,
        account_id: account.accountId,
        name: 'Escalations',
        description: 'Angry customers',
        allow_auto_assign: false,
        is_member: false,
      });

      const list = await call('get', teams(), account.token).expect(200);
      expect(list.body).toContainEqual(created.body);
      const shown = await call('get', `${teams()}/${id}`, account.token).expect(200);
      expect(shown.body).toEqual(created.body);

      const updated = await call('patch', `${teams()}/${id}`, account.token, {
        name: 'Escalations (tier 2)',
        allow_auto_assign: true,
      }).expect(200);
      expect(updated.body).toMatchObject({
        name: 'Escalations (tier 2)',
        description: 'Angry customers',
        allow_auto_assign: true,
      });
      const { rows } = await db().query(
        'SELECT name, description, allow_auto_assign FROM teams WHERE id = $1',
        [id],
      );
      expect(rows[0]).toEqual({
        name: 'Escalations (tier 2)',
        description: 'Angry customers',
        allow_auto_assign: true,
      });

      await call('delete', `${teams()}/${id}`, account.token).expect(200);
      expectProblem(await call('get', `${teams()}/${id}`, account.token), 404, 'team_not_found');
      expectProblem(
        await call('patch', `${teams()}/${id}`, account.token, { name: 'Zombie' }),
        404,
        'team_not_found',
      );
      expectProblem(await call('delete', `${teams()}/${id}`, account.token), 404, 'team_not_found');
      const { rows: gone } = await db().query(
        'SELECT count(*)::int AS n FROM teams WHERE id = $1',
        [id],
      );
      expect(gone[0].n).toBe(0);
    });

    it('keeps team names unique per account, ignoring case and spaces', async () => {
      const support = await createTeam(account, 'Support');
      for (const name of ['Support', 'SUPPORT', '  support  ']) {
        const problem = expectProblem(
          await call('post', teams(), account.token, { name }),
          409,
          'team_name_taken',
        );
        expect(problem.existing_id).toBe(support);
      }
      const sales = await createTeam(account, 'Sales');
      const problem = expectProblem(
        await call('patch', `${teams()}/${sales}`, account.token, { name: 'support' }),
        409,
        'team_name_taken',
      );
      expect(problem.existing_id).toBe(support);

      // Renaming a team to its own name in another case is fine.
      const renamed = await call('patch', `${teams()}/${support}`, account.token, {
        name: 'SUPPORT',
      }).expect(200);
      expect(renamed.body.name).toBe('SUPPORT');

      // Other accounts may use the name.
      const other = await createAccount('Other teams');
      await createTeam(other, 'Support');

      const { rows } = await db().query(
        `SELECT count(*)::int AS n FROM teams WHERE account_id = $1 AND lower(name) = 'support'`,
        [account.accountId],
      );
      expect(rows[0].n).toBe(1);
    });

    it('answers 422 listing every bad field', async () => {
      expectInvalidFields(await call('post', teams(), account.token, {}), ['name']);
      expectInvalidFields(
        await call('post', teams(), account.token, {
          name: ' ',
          allow_auto_assign: 'yes',
          description: 7,
          color: 'red',
        }),
        ['name', 'allow_auto_assign', 'description', 'color'],
      );
    });

    it('answers 400 invalid_id for a team id that is not a positive whole number', async () => {
      for (const id of ['abc', '0', '-1', '2.5']) {
        const problem = expectProblem(
          await call('get', `${teams()}/${id}`, account.token),
          400,
          'invalid_id',
        );
        expect(problem.detail).not.toContain('NaN');
      }
    });
  });

  describe('team members', () => {
    let account: TestAccount;
    let first: Agent;
    let second: Agent;
    let team: number;

    beforeAll(async () => {
      account = await createAccount('Members');
      first = await createAgent(server.http, account);
      second = await createAgent(server.http, account);
      team = await createTeam(account, 'Frontline');
    });

    const members = () => `/api/v1/accounts/${account.accountId}/teams/${team}/team_members`;
    const idsOf = (body: { id: number }[]) => body.map((entry) => entry.id).sort((a, b) => a - b);
    const stored = async () =>
      (
        await db().query('SELECT user_id FROM team_members WHERE team_id = $1 ORDER BY user_id', [
          team,
        ])
      ).rows.map((row: { user_id: number }) => row.user_id);

    it('adds members and answers with the agents just added', async () => {
      const added = await call('post', members(), account.token, {
        user_ids: [first.userId, second.userId, first.userId],
      }).expect(201);
      expect(idsOf(added.body)).toEqual([first.userId, second.userId].sort((a, b) => a - b));
      expect(added.body[0]).toMatchObject({ account_id: account.accountId, role: 'agent' });

      const again = await call('post', members(), account.token, {
        user_ids: [first.userId],
      }).expect(201);
      expect(again.body).toEqual([]);

      const listed = await call('get', members(), first.token).expect(200);
      expect(idsOf(listed.body)).toEqual([first.userId, second.userId].sort((a, b) => a - b));
      expect(await stored()).toEqual([first.userId, second.userId].sort((a, b) => a - b));

      const shown = await call(
        'get',
        `/api/v1/accounts/${account.accountId}/teams/${team}`,
        first.token,
      ).expect(200);
      expect(shown.body.is_member).toBe(true);
    });

    it('answers 422 unknown_agents naming the ids that are not agents, and changes nothing', async () => {
      const outsider = await createAccount('Outsiders');
      const before = await stored();
      for (const method of ['post', 'patch'] as const) {
        const problem = expectProblem(
          await call(method, members(), account.token, {
            user_ids: [account.userId, 999999, outsider.userId],
          }),
          422,
          'unknown_agents',
        );
        expect(problem.user_ids).toEqual([999999, outsider.userId]);
        expect(problem.detail).toContain('999999');
        expect(problem.detail).toContain(String(outsider.userId));
      }
      expect(await stored()).toEqual(before);
    });

    it('replaces the members with exactly the given agents', async () => {
      const replaced = await call('patch', members(), account.token, {
        user_ids: [account.userId, second.userId],
      }).expect(200);
      expect(idsOf(replaced.body)).toEqual([account.userId, second.userId].sort((a, b) => a - b));
      expect(await stored()).toEqual([account.userId, second.userId].sort((a, b) => a - b));
    });

    it('removes the given members', async () => {
      await call('delete', members(), account.token, {
        user_ids: [second.userId, first.userId],
      }).expect(200);
      expect(await stored()).toEqual([account.userId]);
      const listed = await call('get', members(), account.token).expect(200);
      expect(idsOf(listed.body)).toEqual([account.userId]);
    });

    it('answers 422 for a bad list of ids', async () => {
      for (const body of [
        {},
        { user_ids: [] },
        { user_ids: ['x'] },
        { user_ids: [0] },
        { user_ids: 5 },
      ]) {
        expectInvalidFields(await call('post', members(), account.token, body), ['user_ids']);
      }
      expectInvalidFields(
        await call('delete', members(), account.token, { user_ids: [1], all: true }),
        ['all'],
      );
    });

    it('answers 404 team_not_found for an unknown team', async () => {
      const path = `/api/v1/accounts/${account.accountId}/teams/999999/team_members`;
      expectProblem(await call('get', path, account.token), 404, 'team_not_found');
      expectProblem(
        await call('post', path, account.token, { user_ids: [first.userId] }),
        404,
        'team_not_found',
      );
      expectProblem(
        await call('patch', path, account.token, { user_ids: [first.userId] }),
        404,
        'team_not_found',
      );
      expectProblem(
        await call('delete', path, account.token, { user_ids: [first.userId] }),
        404,
        'team_not_found',
      );
    });

    it('deleting a team removes its memberships but keeps the agents', async () => {
      const doomed = await createTeam(account, 'Doomed');
      await call(
        'post',
        `/api/v1/accounts/${account.accountId}/teams/${doomed}/team_members`,
        account.token,
        {
          user_ids: [first.userId],
        },
      ).expect(201);
      await call(
        'delete',
        `/api/v1/accounts/${account.accountId}/teams/${doomed}`,
        account.token,
      ).expect(200);
      const { rows } = await db().query(
        'SELECT count(*)::int AS n FROM team_members WHERE team_id = $1',
        [doomed],
      );
      expect(rows[0].n).toBe(0);
      const agents = await call(
        'get',
        `/api/v1/accounts/${account.accountId}/agents`,
        account.token,
      ).expect(200);
      expect(agents.body.map((entry: { id: number }) => entry.id)).toContain(first.userId);
    });
  });
});
