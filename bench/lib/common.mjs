// Shared plumbing of the benchmark and the chaos run: throwaway databases and Redis prefixes,
// child processes (server, receiver, reference), memory sampling, and cleanup that runs even
// when a run fails or is interrupted.
import { fork, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import pg from 'pg';

export { sleep };

const { AbortSignal } = globalThis;

export const ROOT = new URL('../..', import.meta.url).pathname;
export const MAIN = new URL('../../dist/src/main.js', import.meta.url).pathname;
export const PG_SERVER_URL =
  process.env.BENCH_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const SHARED_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Names of everything a run creates; cleanup refuses to touch anything else. */
export const RUN_NAME = /^conversa_(bench|chaos|fuzz|coverage)_[a-z0-9_]+$/;

export function runName(kind) {
  return `conversa_${kind}_${randomBytes(4).toString('hex')}`;
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
export function wallNow() {
  return performance.timeOrigin + performance.now();
}

// ---------------------------------------------------------------------------------------------
// Cleanup

const cleanups = [];
let cleaning = null;
/** Every child started, so a failure can show what they printed last. */
const children = new Set();

export function printChildOutput(limit = 4_000) {
  for (const handle of children) {
    const output = handle.output().trim();
    if (output)
      console.error(
        `\n--- last output of ${handle.label} (pid ${handle.pid}) ---\n${output.slice(-limit)}`,
      );
  }
}

/** Registers `fn` to run at cleanup (last registered runs first). Returns an unregister. */
export function onCleanup(label, fn) {
  const entry = { label, fn };
  cleanups.push(entry);
  return () => {
    const index = cleanups.indexOf(entry);
    if (index >= 0) cleanups.splice(index, 1);
  };
}

export function cleanupAll() {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const { label, fn } = cleanups.pop();
      try {
        const started = Date.now();
        await fn();
        if (Date.now() - started > 2_000) log(`cleanup: ${label} took ${Date.now() - started} ms`);
      } catch (error) {
        console.error(`cleanup (${label}) failed: ${error?.message ?? error}`);
      }
    }
  })();
  return cleaning;
}

/**
 * Runs `main`, then cleans up whatever happened: children stopped, database dropped, Redis
 * keys deleted. Ctrl-C and SIGTERM clean up too. Sets the exit code.
 */
export async function runMain(main) {
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      interrupted = true;
      console.error(`\n${signal}: stopping and cleaning up...`);
      cleanupAll().finally(() => process.exit(130));
    });
  }
  let code = 0;
  try {
    code = (await main()) ?? 0;
  } catch (error) {
    console.error(`\nFAILED: ${error?.stack ?? error}`);
    printChildOutput();
    code = 1;
  } finally {
    if (!interrupted) await cleanupAll();
  }
  process.exitCode = code;
  // Nothing of ours should still hold the loop open; make sure a stray handle cannot keep us.
  setInterval(() => process.exit(code), 2_000).unref();
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL and Redis

export function adminClient(database = 'postgres') {
  return new pg.Client({ connectionString: `${PG_SERVER_URL}/${database}` });
}

export async function withAdmin(fn, database = 'postgres') {
  const client = adminClient(database);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates a fresh database and registers dropping it at cleanup. */
export async function createDatabase(name) {
  if (!RUN_NAME.test(name)) throw new Error(`refusing to create database "${name}"`);
  await withAdmin((client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  onCleanup(`drop database ${name}`, () => dropDatabase(name));
  return `${PG_SERVER_URL}/${name}`;
}

export async function dropDatabase(name) {
  if (!RUN_NAME.test(name)) throw new Error(`refusing to drop database "${name}"`);
  await withAdmin(async (client) => {
    await client
      .query(`ALTER DATABASE ${pg.escapeIdentifier(name)} ALLOW_CONNECTIONS true`)
      .catch(() => {});
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  });
}

/** Deletes every key under `prefix:` (a run's own prefix only). */
export async function deleteRedisKeys(url, prefix) {
  if (!RUN_NAME.test(prefix.split(':')[0]))
    throw new Error(`refusing to delete Redis keys under "${prefix}"`);
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    lazyConnect: true,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) deleted += await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}

/** Registers deleting a prefix's keys at cleanup. */
export function cleanRedisPrefixAtExit(url, prefix) {
  onCleanup(`delete redis keys ${prefix}:*`, () => deleteRedisKeys(url, prefix));
}

export async function freePort(preferred) {
  const tryPort = (port) =>
    new Promise((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(null));
      probe.listen(port, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : null));
      });
    });
  if (preferred) {
    const port = await tryPort(preferred);
    if (port) return port;
  }
  const port = await tryPort(0);
  if (!port) throw new Error('no free port');
  return port;
}

// ---------------------------------------------------------------------------------------------
// Child processes

/**
 * Starts a node script (or any command) as a child, keeps the tail of its output, and stops it
 * at cleanup. `ready` resolves when `healthUrl` answers 200.
 */
export function startChild({ label, command = process.execPath, args, env = {}, cwd = ROOT }) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  let errorLines = 0;
  const keep = (chunk) => {
    const text = chunk.toString();
    errorLines += (text.match(/"level":(50|60)|\bERROR\b/g) ?? []).length;
    tail = (tail + text).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const unregister = onCleanup(`stop ${label}`, () => stopChild(handle, 5_000));
  const handle = {
    label,
    child,
    pid: child.pid,
    exited,
    output: () => tail,
    errorLines: () => errorLines,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: async (timeoutMs = 10_000) => {
      await stopChild(handle, timeoutMs);
      unregister();
    },
    kill9: async () => {
      if (handle.alive()) child.kill('SIGKILL');
      await exited;
      unregister();
    },
  };
  children.add(handle);
  return handle;
}

async function stopChild(handle, timeoutMs) {
  if (!handle.alive()) return;
  handle.child.kill('SIGTERM');
  const timer = sleep(timeoutMs).then(() => 'timeout');
  if ((await Promise.race([handle.exited, timer])) === 'timeout' && handle.alive()) {
    handle.child.kill('SIGKILL');
    await handle.exited;
  }
}

export async function waitHealthy(handle, url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!handle.alive()) throw new Error(`${handle.label} exited early:\n${handle.output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline)
      throw new Error(`${handle.label} not healthy after ${timeoutMs} ms:\n${handle.output()}`);
    await sleep(100);
  }
}

/**
 * The node flags of `npm start` (package.json), the V8 heap sizing production runs with: the
 * benchmark's and the chaos run's servers use them too, so their memory is production's.
 */
export const PRODUCTION_NODE_FLAGS = (() => {
  const { start } = JSON.parse(
    readFileSync(new URL('../../package.json', import.meta.url)),
  ).scripts;
  const flags = start.match(/^exec node ((?:--\S+ )*)dist\/src\/main\.js$/);
  if (!flags)
    throw new Error(`package.json's start script is not "exec node [--flags] dist/src/main.js"`);
  return flags[1].split(' ').filter(Boolean);
})();

/** The production server (`node dist/src/main.js`), as `npm start` runs it, on `port`. */
export async function startConversa({
  port,
  env,
  nodeArgs = [],
  label = 'conversa',
  healthTimeoutMs = 60_000,
}) {
  const handle = startChild({
    label,
    args: [...PRODUCTION_NODE_FLAGS, ...nodeArgs, MAIN],
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
  });
  handle.url = `http://127.0.0.1:${port}`;
  await waitHealthy(handle, `${handle.url}/health`, healthTimeoutMs);
  return handle;
}

/**
 * A `PROCESS_ROLE=worker` process of the production build (delivery and the relay, no HTTP),
 * next to an API process started with `startConversa`. It has no /health to poll: it is ready
 * once it logs that it started, so it runs at LOG_LEVEL=info (a worker logs no requests).
 */
export async function startConversaWorker({
  env,
  nodeArgs = [],
  label = 'conversa-worker',
  readyTimeoutMs = 60_000,
}) {
  const handle = startChild({
    label,
    args: [...PRODUCTION_NODE_FLAGS, ...nodeArgs, MAIN],
    env: { NODE_ENV: 'production', ...env, LOG_LEVEL: 'info', PROCESS_ROLE: 'worker' },
  });
  const deadline = Date.now() + readyTimeoutMs;
  while (!handle.output().includes('Conversa worker started')) {
    if (!handle.alive()) throw new Error(`${label} exited early:\n${handle.output()}`);
    if (Date.now() > deadline)
      throw new Error(`${label} not started after ${readyTimeoutMs} ms:\n${handle.output()}`);
    await sleep(100);
  }
  return handle;
}

/** The webhook receiver child (bench/lib/receiver.mjs), driven over IPC. */
export async function startReceiver(port) {
  const child = fork(new URL('./receiver.mjs', import.meta.url).pathname, [String(port)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map();
  let nextId = 1;
  child.on('message', (message) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(message.error));
    else waiter.resolve(message.result);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  exited.then(() => {
    for (const waiter of pending.values()) waiter.reject(new Error('receiver exited'));
    pending.clear();
  });
  const call = (cmd, args = {}) =>
    new Promise((resolve, reject) => {
      if (!child.connected) return reject(new Error('receiver is not running'));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, cmd, ...args });
    });
  const unregister = onCleanup('stop receiver', async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
  });
  await call('ready');
  return {
    url: `http://127.0.0.1:${port}/hook`,
    call,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, sleep(3_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
      unregister();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Memory

function readStatusKb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/** Samples a process's RSS (and the kernel's high-water mark, VmHWM) every `intervalMs`. */
export function sampleMemory(pid, intervalMs = 200) {
  let peakRssKb = 0;
  let hwmKb = 0;
  let phasePeakKb = 0;
  const sample = () => {
    try {
      const { rss, hwm } = readStatusKb(pid);
      peakRssKb = Math.max(peakRssKb, rss);
      phasePeakKb = Math.max(phasePeakKb, rss);
      hwmKb = Math.max(hwmKb, hwm);
    } catch {
      // exited
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    /** Peak sampled RSS since the last call, then restarts the phase. */
    phase() {
      sample();
      const peak = phasePeakKb;
      phasePeakKb = 0;
      return Math.round(peak / 1024);
    },
    stop() {
      sample();
      clearInterval(timer);
      return { peakRssMb: Math.round(peakRssKb / 1024), vmHwmMb: Math.round(hwmKb / 1024) };
    },
  };
}

/**
 * Samples several processes that work as one service (`{ api: pid, worker: pid }`): phase()
 * and stop() give each one's peak and the peak of their sum, in MB.
 */
export function sampleMemories(pids, intervalMs = 200) {
  const names = Object.keys(pids);
  const peaks = () => Object.fromEntries([...names, 'total'].map((name) => [name, 0]));
  let whole = peaks();
  let phase = peaks();
  const sample = () => {
    let total = 0;
    for (const name of names) {
      try {
        const { rss } = readStatusKb(pids[name]);
        total += rss;
        whole[name] = Math.max(whole[name], rss);
        phase[name] = Math.max(phase[name], rss);
      } catch {
        // exited
      }
    }
    whole.total = Math.max(whole.total, total);
    phase.total = Math.max(phase.total, total);
  };
  const mb = (kb) =>
    Object.fromEntries(Object.entries(kb).map(([k, v]) => [k, Math.round(v / 1024)]));
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    phase() {
      sample();
      const result = mb(phase);
      phase = peaks();
      return result;
    },
    stop() {
      sample();
      clearInterval(timer);
      const result = mb(whole);
      whole = peaks();
      return result;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP and seeding

/** JSON over fetch; resolves with { status, body, headers } and never throws on a status. */
export async function api(
  base,
  method,
  path,
  { token, body, headers = {}, timeoutMs = 30_000 } = {},
) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { api_access_token: token } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let parsed = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/**
 * Setup calls (not measured): retried a few times on 5xx or a network error, so a service
 * busy with a previous phase's backlog does not abort the run, then checked for `expected`.
 */
export async function expectStatus(call, expected, what, attempts = 4) {
  let response;
  for (let attempt = 1; ; attempt++) {
    try {
      response = await call();
      if (response.status < 500 || attempt >= attempts) break;
    } catch (error) {
      if (attempt >= attempts) throw new Error(`${what}: ${error.message}`);
    }
    await sleep(1_000 * attempt);
  }
  if (response.status !== expected) {
    throw new Error(
      `${what}: expected ${expected}, got ${response.status}: ${JSON.stringify(response.body).slice(0, 500)}`,
    );
  }
  return response.body;
}

/**
 * An account with one administrator and a personal access token, written straight to the
 * database like the tests' factory (no password, so no scrypt cost).
 */
export async function seedAccount(db, name) {
  const token = `cvs_${randomBytes(32).toString('base64url')}`;
  const hash = createHash('sha256').update(token).digest('hex');
  const email = `admin-${randomBytes(5).toString('hex')}@bench.test`;
  const {
    rows: [row],
  } = await db.query(
    `WITH account AS (INSERT INTO accounts (name) VALUES ($1) RETURNING id),
          member AS (INSERT INTO users (name, email) VALUES ('Bench Admin', $2) RETURNING id),
          membership AS (
            INSERT INTO account_users (account_id, user_id, role, availability)
            SELECT account.id, member.id, 'administrator', 'online' FROM account, member RETURNING account_id, user_id),
          issued AS (
            INSERT INTO access_tokens (user_id, name, kind, token_hash, hint)
            SELECT member.id, 'bench', 'personal', $3, $4 FROM member RETURNING id)
     SELECT membership.account_id, membership.user_id FROM membership, issued`,
    [name, email, hash, token.slice(0, 8)],
  );
  return { accountId: row.account_id, userId: row.user_id, token };
}

/** An API inbox through the Application API; returns its id, identifier and webhook secret. */
export async function createInbox(base, account, name, webhookUrl) {
  const body = await expectStatus(
    () =>
      api(base, 'POST', `/api/v1/accounts/${account.accountId}/inboxes`, {
        token: account.token,
        body: {
          name,
          channel: { type: 'api', ...(webhookUrl ? { webhook_url: webhookUrl } : {}) },
        },
      }),
    201,
    'create inbox',
  );
  return { id: body.id, identifier: body.inbox_identifier, secret: body.webhook_secret };
}

/** `count` contacts, each with one conversation, through the public Client API. */
export async function createConversations(base, inbox, count, label, concurrency = 4) {
  const result = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const identifier = `${label}-${index}-${randomBytes(3).toString('hex')}`;
      const contact = await expectStatus(
        () =>
          api(base, 'POST', `/public/api/v1/inboxes/${inbox.identifier}/contacts`, {
            body: {
              name: `${label} ${index}`,
              identifier,
            },
          }),
        201,
        'create contact',
      );
      const conversation = await expectStatus(
        () =>
          api(
            base,
            'POST',
            `/public/api/v1/inboxes/${inbox.identifier}/contacts/${contact.source_id}/conversations`,
            { body: {} },
          ),
        201,
        'create conversation',
      );
      result[index] = {
        sourceId: contact.source_id,
        displayId: conversation.id,
        path: `/public/api/v1/inboxes/${inbox.identifier}/contacts/${encodeURIComponent(contact.source_id)}/conversations/${conversation.id}/messages`,
      };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return result;
}

// ---------------------------------------------------------------------------------------------
// Reporting helpers

export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpu_model: cpus[0]?.model ?? 'unknown',
    memory_gb: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    load_average: os.loadavg().map((value) => Number(value.toFixed(2))),
  };
}

export function table(rows, headers) {
  const cells = [headers, ...rows].map((row) => row.map((cell) => String(cell ?? '')));
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  const line = (row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ');
  return [
    line(cells[0]),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
}

export function round(value, digits = 1) {
  if (value === null || value === undefined || Number.isNaN(value)) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function log(message) {
  const time = new Date().toISOString().slice(11, 19);
  console.log(`[${time}] ${message}`);
}
