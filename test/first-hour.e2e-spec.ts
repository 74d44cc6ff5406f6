import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ChildProcess, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { accountPath, createInbox, publicPath, unique } from './support/api-channel.js';
import { eventually } from './support/eventually.js';
import { createAccount, TestAccount } from './support/factories.js';
import { expectProblem } from './support/problems.js';
import { finished } from './support/processes.js';
import { freePort, startServer, TestServer } from './support/server.js';
import { runMain, startServerProcess } from './support/server-process.js';
import type { ServerProcess } from './support/server-process.js';
import { isolate, Isolation } from './support/webhooks.js';

const ROOT = new URL('..', import.meta.url).pathname;

/** Runs an npm script of this project, as the README tells a newcomer to. */
function npm(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn('npm', args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Collects a running child's output as it comes. */
function collect(child: ChildProcess) {
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))),
  );
  return { output, exited };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('a bad setting stops start-up with one line naming it, its value and a good example', () => {
  it.each([
    [
      { WEBHOOK_ALLOWED_TARGETS: '127.0.0.0/8,127.0.0.1:4555' },
      'WEBHOOK_ALLOWED_TARGETS entry "127.0.0.1:4555" has a port; list the host alone (127.0.0.1), which opens every port of it (got "127.0.0.0/8,127.0.0.1:4555"; e.g. WEBHOOK_ALLOWED_TARGETS=127.0.0.1,10.0.0.0/8,hooks.internal)',
    ],
    [
      { WEBHOOK_ALLOWED_TARGETS: '10.0.0.0/33' },
      '"10.0.0.0/33" is not a CIDR range like 10.0.0.0/8',
    ],
    [
      { WEBHOOK_ALLOWED_TARGETS: 'http://hooks.internal/x' },
      '"http://hooks.internal/x" is a URL; list the host alone (hooks.internal)',
    ],
    [
      { WEBHOOK_ALLOWED_TARGETS: 'hooks.internal,not a host' },
      '"not a host" is neither a host name, an IP address nor a CIDR range',
    ],
    [{ PORT: 'abc' }, 'PORT: PORT must be an integer number'],
    [{ PUBLIC_URL: 'conversa.example.com' }, 'e.g. PUBLIC_URL=https://conversa.example.com'],
    [{ WEBHOOK_TIMEOUT_MS: '5' }, '(got "5"; e.g. WEBHOOK_TIMEOUT_MS=15000)'],
  ])('%j', async (env, expected) => {
    const result = await finished(runMain(env));
    expect(result.code).toBe(1);
    const output = (result.stdout + result.stderr).trim();
    expect(output.split('\n')).toHaveLength(1);
    const [name, value] = Object.entries(env)[0];
    expect(output).toMatch(new RegExp(`^conversa: Invalid configuration: ${name}[: ]`));
    expect(output).toContain(`(got ${JSON.stringify(value)}; e.g. ${name}=`);
    expect(output).toContain(expected);
  });

  it('masks the password of a bad URL it shows', async () => {
    const result = await finished(runMain({ DATABASE_URL: 'mysql://app:s3cret-pw@db/conversa' }));
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'conversa: Invalid configuration: DATABASE_URL: DATABASE_URL must look like postgres://user:password@host:5432/database (got "mysql://app:***@db/conversa"; e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/conversa)',
    );
  });
});

describe('the first hour', () => {
  let isolation: Isolation;
  /** NODE_ENV=test without WEBHOOK_ALLOWED_TARGETS: loopback refused; HTTP only, in jest's process. */
  let strict: TestServer;
  /** NODE_ENV=development without WEBHOOK_ALLOWED_TARGETS: loopback allowed; a process (its start-up warning). */
  let dev: ServerProcess;
  let admin: TestAccount;

  beforeAll(async () => {
    isolation = await isolate('first_hour');
    // One after the other: the first start creates and migrates the database.
    strict = await startServer({ PROCESS_ROLE: 'api', WEBHOOK_ALLOWED_TARGETS: '' });
    dev = await startServerProcess({
      NODE_ENV: 'development',
      WEBHOOK_ALLOWED_TARGETS: '',
      LOG_LEVEL: 'warn',
      WEBHOOK_RELAY_INTERVAL_MS: '200',
    });
    admin = await createAccount('First hour');
  }, 240_000);
  afterAll(async () => {
    await dev?.stop();
    await strict?.stop();
    await isolation?.release();
  });

  it('development opens loopback webhook targets, and says so at start-up', () => {
    expect(dev.output()).toContain(
      'NODE_ENV=development: webhook URLs may target this machine (127.0.0.0/8, ::1, localhost)',
    );
  });

  it('a refused loopback URL says which setting opens it, with an example, and that a restart is needed', async () => {
    const problem = expectProblem(
      await strict.http
        .post(`${accountPath(admin)}/webhooks`)
        .set('api_access_token', admin.token)
        .send({ url: 'http://127.0.0.1:4555/hook', subscriptions: ['message_created'] }),
      422,
      'webhook_url_not_allowed',
    );
    expect(problem.detail).toContain('set WEBHOOK_ALLOWED_TARGETS');
    expect(problem.detail).toContain('e.g. WEBHOOK_ALLOWED_TARGETS=127.0.0.1 ');
    expect(problem.detail).toContain('restart the server');
  });

  it('a known path with a wrong method is 405 method_not_allowed with an Allow header', async () => {
    const response = await strict.http
      .put(`${accountPath(admin)}/inboxes`)
      .set('api_access_token', admin.token)
      .send({});
    const problem = expectProblem(response, 405, 'method_not_allowed');
    expect(response.headers.allow).toBe('GET, HEAD, POST');
    expect(problem.detail).toBe(
      `PUT is not allowed on ${accountPath(admin)}/inboxes; use GET, HEAD, POST (see /docs for the API).`,
    );
    expect((await strict.http.delete('/health')).headers.allow).toBe('GET, HEAD');
    expectProblem(await strict.http.delete('/health'), 405, 'method_not_allowed');
    expectProblem(await strict.http.get('/no/such/route'), 404, 'route_not_found');
  });

  it('webhooks:listen prints each verified event, refuses forged ones, and removes its webhook on SIGTERM', async () => {
    const listener = npm([
      'run',
      '--silent',
      'webhooks:listen',
      '--',
      '--token',
      admin.token,
      '--url',
      dev.url,
    ]);
    const { output, exited } = collect(listener);
    const failure = () => `listener output:\n${output.stdout}\n${output.stderr}`;
    await eventually(() => expect(output.stdout).toContain('Ready.'), { timeoutMs: 60_000 }).catch(
      () => {
        throw new Error(failure());
      },
    );
    const webhookId = Number(output.stdout.match(/Created account webhook (\d+)/)?.[1]);
    const listenUrl = output.stdout.match(/Listening on (http:\/\/127\.0\.0\.1:\d+\/)/)?.[1];
    expect(listenUrl).toBeDefined();
    // The start-up test event proves the round trip before anything else happens.
    await eventually(() => expect(output.stdout).toMatch(/webhook_test .* verified/), {
      timeoutMs: 30_000,
    });

    const inbox = await createInbox(dev.http, admin);
    const contact = await dev.http
      .post(`${publicPath(inbox.identifier)}/contacts`)
      .send({ identifier: unique('crm'), name: 'Alice' })
      .expect(201);
    const contactPath = `${publicPath(inbox.identifier)}/contacts/${contact.body.source_id}`;
    const conversation = await dev.http.post(`${contactPath}/conversations`).send({}).expect(201);
    const cid = conversation.body.id;
    await dev.http
      .post(`${contactPath}/conversations/${cid}/messages`)
      .send({ content: 'My order has not arrived' })
      .expect(201);
    await dev.http
      .post(`${accountPath(admin)}/conversations/${cid}/messages`)
      .set('api_access_token', admin.token)
      .send({ content: 'Sorry! Checking now.' })
      .expect(201);

    const line = new RegExp(
      `message_created +id=[0-9a-f-]{36}  conversation=${cid}  sequence=(\\d+)  verified`,
      'g',
    );
    const sequences = await eventually(
      () => {
        const found = [...output.stdout.matchAll(line)].map((match) => Number(match[1]));
        expect(found).toHaveLength(2);
        return found;
      },
      { timeoutMs: 30_000 },
    ).catch(() => {
      throw new Error(failure());
    });
    expect(sequences[1]).toBeGreaterThan(sequences[0]);
    expect(output.stdout).toMatch(new RegExp(`conversation_created +id=\\S+  conversation=${cid}`));

    const forged = await fetch(listenUrl!, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'msg_forged',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': 'v1,Zm9yZ2VkIHNpZ25hdHVyZSBmb3IgdGhlIHRlc3Q=',
      },
      body: JSON.stringify({ event: 'message_created', id: 1 }),
    });
    expect(forged.status).toBe(401);
    await eventually(() => expect(output.stderr).toContain('REJECTED msg_forged'));
    expect(output.stdout).not.toContain('msg_forged');

    listener.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output.stdout).toContain(`Removed account webhook ${webhookId}.`);
    const webhooks = await dev.http
      .get(`${accountPath(admin)}/webhooks`)
      .set('api_access_token', admin.token)
      .expect(200);
    expect(webhooks.body.payload.webhooks).toEqual([]);
  });

  it('webhooks:listen --inbox points the inbox webhook_url at itself and restores it', async () => {
    const inbox = await createInbox(dev.http, admin, {
      webhook_url: 'https://crm.example.com/conversa',
    });
    const listener = npm([
      'run',
      '--silent',
      'webhooks:listen',
      '--',
      '--token',
      admin.token,
      '--url',
      dev.url,
      '--inbox',
      String(inbox.id),
    ]);
    const { output, exited } = collect(listener);
    await eventually(() => expect(output.stdout).toMatch(/webhook_test .* verified/), {
      timeoutMs: 60_000,
    }).catch(() => {
      throw new Error(`listener output:\n${output.stdout}\n${output.stderr}`);
    });
    const current = await dev.http
      .get(`${accountPath(admin)}/inboxes/${inbox.id}`)
      .set('api_access_token', admin.token)
      .expect(200);
    expect(current.body.webhook_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    listener.kill('SIGTERM');
    expect(await exited).toBe(0);
    const restored = await dev.http
      .get(`${accountPath(admin)}/inboxes/${inbox.id}`)
      .set('api_access_token', admin.token)
      .expect(200);
    expect(restored.body.webhook_url).toBe('https://crm.example.com/conversa');
  });

  it('webhooks:listen against a server that refuses loopback exits 1 with the fix in one line', async () => {
    const result = await finished(
      npm([
        'run',
        '--silent',
        'webhooks:listen',
        '--',
        '--token',
        admin.token,
        '--url',
        strict.url,
      ]),
      60_000,
    );
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^conversa: POST \/api\/v1\/accounts\/\d+\/webhooks answered 422: /);
    expect(lines[0]).toContain('WEBHOOK_ALLOWED_TARGETS=127.0.0.1 ');
  });

  it('SIGTERM to `npm start` stops the server it started (no orphan left listening)', async () => {
    const port = await freePort();
    const started = npm(['start'], { PORT: String(port), LOG_LEVEL: 'info', PROCESS_ROLE: 'api' });
    const { output, exited } = collect(started);
    await eventually(
      async () => expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200),
      { timeoutMs: 90_000, intervalMs: 200 },
    );
    const pid = Number(output.stdout.match(/"pid":(\d+)/)?.[1]);
    expect(alive(pid)).toBe(true);
    expect(pid).not.toBe(started.pid);

    started.kill('SIGTERM');
    expect(await exited).toBe(0);
    await eventually(() => expect(alive(pid)).toBe(false), { timeoutMs: 15_000 });
    expect(output.stdout).toContain('SIGTERM received: draining and shutting down');
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('`npm run cli` runs from a current build without rebuilding it', async () => {
    const first = await finished(npm(['run', '--silent', 'cli', '--', 'help']), 120_000);
    expect(first.code).toBe(0);
    const marks = () =>
      ['dist/src/cli.js', 'dist/.tsbuildinfo-build'].map(
        (path) => statSync(new URL(path, `file://${ROOT}`)).mtimeMs,
      );
    const before = marks();
    const second = await finished(npm(['run', '--silent', 'cli', '--', 'help']));
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Usage: npm run cli -- <command> [options]');
    expect(marks()).toEqual(before);
  });
});
