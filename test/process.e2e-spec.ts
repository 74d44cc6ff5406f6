import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { finished, runCli } from './support/processes.js';
import { runMain, startServerProcess } from './support/server-process.js';
import type { ServerProcess } from './support/server-process.js';
import { assertTestDatabase, SERVER_URL } from './support/test-environment.mjs';

/** Output that is one readable line: no stack trace, no Node.js error dump. */
function expectOneReadableLine(output: string): string {
  const lines = output.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(output).not.toMatch(/^\s+at /m);
  return lines[0];
}

async function withMaintenanceClient<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${SERVER_URL}/postgres` });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

describe('start-up failures', () => {
  it('exits non-zero with one line naming the URL when PostgreSQL cannot be reached', async () => {
    const url = 'postgres://postgres@127.0.0.1:1/conversa_test_unreachable';
    const result = await finished(runMain({ DATABASE_URL: url }));
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    const line = expectOneReadableLine(result.stdout + result.stderr);
    expect(line).toContain(url);
    expect(line).toMatch(/^conversa: Cannot reach PostgreSQL at /);
  });

  it('hides the password of an unreachable database URL', async () => {
    const result = await finished(
      runMain({
        DATABASE_URL: 'postgres://postgres:s3cret-pw@127.0.0.1:1/conversa_test_unreachable',
      }),
    );
    expect(result.code).not.toBe(0);
    const line = expectOneReadableLine(result.stdout + result.stderr);
    expect(line).toContain('postgres://postgres:***@127.0.0.1:1/conversa_test_unreachable');
    expect(line).not.toContain('s3cret-pw');
  });

  it('exits non-zero with one line naming the URL when Redis cannot be reached', async () => {
    const result = await finished(runMain({ REDIS_URL: 'redis://127.0.0.1:1' }));
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    const line = expectOneReadableLine(result.stdout + result.stderr);
    expect(line).toMatch(/^conversa: Cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
  });

  it('exits non-zero listing every invalid setting, without a stack trace', async () => {
    const result = await finished(runMain({ PORT: 'abc', LOG_LEVEL: 'loud' }));
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    const output = result.stdout + result.stderr;
    expect(output).toMatch(/^conversa: Invalid configuration:/);
    expect(output).toMatch(/^\s+PORT: /m);
    expect(output).toMatch(/^\s+LOG_LEVEL: /m);
    expect(output).not.toMatch(/^\s+at /m);
    expect(output).not.toContain('Cannot reach');
  });
});

/**
 * The README's path on a fresh machine: the run command creates the database, the setup CLI
 * creates the first administrator, whose token then works.
 */
describe('a fresh database', () => {
  const name = `${process.env.REDIS_PREFIX}_fresh`;
  const url = `${SERVER_URL}/${name}`;
  const env = { DATABASE_URL: url };
  let server: ServerProcess | undefined;
  let fresh: pg.Pool;

  beforeAll(async () => {
    assertTestDatabase(url);
    const exists = await withMaintenanceClient((client) =>
      client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]),
    );
    expect(exists.rowCount).toBe(0);
    server = await startServerProcess({ ...env, LOG_LEVEL: 'info' });
    fresh = new pg.Pool({ connectionString: url, max: 2 });
  });

  afterAll(async () => {
    await server?.stop();
    await fresh?.end();
    assertTestDatabase(url);
    await withMaintenanceClient((client) =>
      client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`),
    );
  });

  async function counts() {
    const { rows } = await fresh.query(
      `SELECT (SELECT count(*) FROM accounts)::int AS accounts, (SELECT count(*) FROM users)::int AS users,
              (SELECT count(*) FROM account_users)::int AS memberships, (SELECT count(*) FROM access_tokens)::int AS tokens`,
    );
    return rows[0];
  }

  it('is created by the run command, migrated, and served', async () => {
    const { rows } = await fresh.query('SELECT name FROM typeorm_migrations ORDER BY id');
    expect(rows.map((row: { name: string }) => row.name)).toContain('CreateAccounts1795400000000');
    expect(await counts()).toEqual({ accounts: 0, users: 0, memberships: 0, tokens: 0 });
    const health = await server!.http.get('/health').expect(200);
    expect(health.body.info).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });
    expect(server!.output()).toContain('Applied migrations: CreateAccounts1795400000000');
    expect(server!.output()).toMatch(/API docs at http:\/\/localhost:\d+\/docs/);
  });

  it('setup prints the account id, a working token and a generated password', async () => {
    const result = await runCli(
      ['setup', '--account', 'Acme', '--name', 'Ada', '--email', 'Ada@Acme.test'],
      env,
    );
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });

    const accountId = Number(result.stdout.match(/\(account id (\d+)\)/)?.[1]);
    const token = result.stdout.match(
      /Access token \(shown once, store it now\): (cvs_[A-Za-z0-9_-]{43})\n/,
    )?.[1];
    const password = result.stdout.match(/Password \(shown once\): (\S+)\n/)?.[1];
    expect(accountId).toBeGreaterThan(0);
    expect(token).toBeDefined();
    expect(password).toBeDefined();
    expect(password!.length).toBeGreaterThanOrEqual(16);
    expect(await counts()).toEqual({ accounts: 1, users: 1, memberships: 1, tokens: 1 });

    const profile = await server!.http
      .get('/api/v1/profile')
      .set('api_access_token', token!)
      .expect(200);
    expect(profile.body).toMatchObject({
      name: 'Ada',
      email: 'ada@acme.test',
      account_id: accountId,
      accounts: [{ id: accountId, name: 'Acme', role: 'administrator' }],
    });
    await server!.http.post('/auth/sign_in').send({ email: 'ada@acme.test', password }).expect(200);

    const { rows } = await fresh.query('SELECT token_hash FROM access_tokens');
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('setup again with the same email creates nothing, says so, and exits 0', async () => {
    const before = await counts();
    const result = await runCli(
      ['setup', '--account', 'Acme 2', '--name', 'Ada Again', '--email', 'ADA@acme.test'],
      env,
    );
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/already exists .*nothing was created/);
    expect(result.stdout).not.toContain('cvs_');
    expect(result.stdout).not.toMatch(/Password/);
    expect(await counts()).toEqual(before);
  });

  it('setup with --password uses it and prints no password', async () => {
    const result = await runCli(
      [
        'setup',
        '--account',
        'Beta',
        '--name',
        'Bea',
        '--email',
        'bea@beta.test',
        '--password',
        'bea password 1',
      ],
      env,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('Password');
    expect(result.stdout).not.toContain('bea password 1');
    await server!.http
      .post('/auth/sign_in')
      .send({ email: 'bea@beta.test', password: 'bea password 1' })
      .expect(200);
  });

  it.each([
    [['setup', '--account', 'Acme'], /setup needs --name, --email/],
    [
      ['setup', '--account', 'Acme', '--name', 'Ada', '--email', 'not-an-email'],
      /--email must be an email address/,
    ],
    [['setup', '--account', 'Acme', '--name', 'Ada', '--email', 'a@b.test', '--bogus'], /--bogus/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('exits 2 with the usage for %j', async (args, message) => {
    const before = await counts();
    const result = await runCli(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('Usage: npm run cli -- <command> [options]');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe('');
    expect(await counts()).toEqual(before);
  });

  it('exits 0 on SIGTERM after draining', async () => {
    const code = await server!.stop('SIGTERM');
    expect(code).toBe(0);
    expect(server!.output()).toContain('SIGTERM received: draining and shutting down');
    server = undefined;
  });
});
