import { expect } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import type { Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { accountPath } from './api-channel.js';
import { closeTestDatabase } from './database.js';
import { eventually } from './eventually.js';
import type { TestAccount } from './factories.js';
import { deleteRedisKeys } from './redis.js';
import { stopAtEndOfFile } from './server.js';
import { runMain } from './server-process.js';
import { assertTestDatabase, SERVER_URL } from './test-environment.mjs';

/**
 * Settings for servers in the webhook specs: loopback receivers allowed, and a retry schedule,
 * timeout and relay interval in milliseconds so failures play out within a test.
 */
export const FAST_WEBHOOKS: Record<string, string> = {
  WEBHOOK_ALLOWED_TARGETS: '127.0.0.0/8',
  WEBHOOK_RETRY_SCHEDULE_MS: '100,200,300',
  WEBHOOK_RELAY_INTERVAL_MS: '200',
  WEBHOOK_TIMEOUT_MS: '1000',
};

const RUN_DATABASE_URL = process.env.DATABASE_URL!;
const RUN_PREFIX = process.env.REDIS_PREFIX!;

export interface Isolation {
  databaseUrl: string;
  redisPrefix: string;
  /** Drops the database and the Redis keys; stop this isolation's servers first. */
  release(): Promise<void>;
}

/**
 * Points this spec file at its own database and Redis prefix (both derived from the run's, so
 * the run's teardown rules still recognise them as disposable).
 *
 * Why: every server of a test run works on the delivery backlog of the database it shares, and
 * the other specs' servers run without WEBHOOK_ALLOWED_TARGETS, so they would pick up these
 * specs' deliveries to 127.0.0.1 and record refused attempts; and servers started here with
 * special settings (no allowlist, short auto-disable) would likewise act on everyone else's
 * deliveries. A database of our own keeps both sides honest. Startups of the servers create and
 * migrate it; `startServer`, `startServerProcess` and `runMain` read process.env, and the factories' pool is
 * reopened on it. Jest gives each spec file its own copy of process.env.
 */
export async function isolate(label: string): Promise<Isolation> {
  const name = `${RUN_PREFIX}_${label}`;
  const databaseUrl = `${SERVER_URL}/${name}`;
  assertTestDatabase(databaseUrl);
  await closeTestDatabase();
  process.env.DATABASE_URL = databaseUrl;
  process.env.REDIS_PREFIX = name;
  return {
    databaseUrl,
    redisPrefix: name,
    release: async () => {
      await closeTestDatabase();
      process.env.DATABASE_URL = RUN_DATABASE_URL;
      process.env.REDIS_PREFIX = RUN_PREFIX;
      assertTestDatabase(databaseUrl);
      const client = new pg.Client({ connectionString: `${SERVER_URL}/postgres` });
      await client.connect();
      try {
        // The pool's connections close a moment after pool.end() resolves; one terminated by
        // FORCE meanwhile would raise an unhandled error in this test file.
        await eventually(
          async () => {
            const { rows } = await client.query(
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`,
              [name],
            );
            expect(rows[0].n).toBe(0);
          },
          { timeoutMs: 5_000 },
        ).catch(() => undefined);
        await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await client.end();
      }
      await deleteRedisKeys(name);
    },
  };
}

/** One request as the receiver got it. */
export interface Received {
  path: string;
  headers: Record<string, string>;
  /** The body exactly as sent (what signatures cover). */
  raw: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: Record<string, any>;
  /** Date.now() on arrival. */
  at: number;
  /** The status the receiver answered with; unset while answering or when the client gave up first. */
  answered?: number;
}

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering (the client may give up first). */
  delayMs?: number;
}

/** Decides the answer to a request; `earlier` holds the requests received before it. */
export type Responder = (request: Received, earlier: Received[]) => Answer | void;

/**
 * A webhook receiver on 127.0.0.1: records every request and answers as the test programs it
 * (200 unless told otherwise).
 */
export class Receiver {
  readonly requests: Received[] = [];
  responder: Responder = () => undefined;
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(private readonly server: Server) {}

  /** Listens on `port` (a free one by default). */
  static async start(port = 0): Promise<Receiver> {
    let receiver: Receiver | undefined = undefined;
    const server = createServer((request, response) => receiver!.handle(request, response));
    receiver = new Receiver(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Requests to `path`. */
  at(path: string): Received[] {
    return this.requests.filter((request) => request.path === path);
  }

  /** Requests carrying this event name. */
  events(name: string, path?: string): Received[] {
    return this.requests.filter(
      (request) => request.body.event === name && (path === undefined || request.path === path),
    );
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw);
      } catch {
        // recorded as is; a test looking at body fields will fail on it
      }
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([key, value]) => [
          key,
          Array.isArray(value) ? value.join(', ') : (value ?? ''),
        ]),
      );
      const received: Received = { path: request.url ?? '', headers, raw, body, at: Date.now() };
      const earlier = [...this.requests];
      this.requests.push(received);
      const answer = this.responder(received, earlier) ?? {};
      const send = () => {
        if (response.destroyed) return;
        response.writeHead(answer.status ?? 200, {
          'content-type': 'text/plain',
          ...answer.headers,
        });
        response.end(answer.body ?? 'ok');
        received.answered = answer.status ?? 200;
      };
      if (answer.delayMs) {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          send();
        }, answer.delayMs);
        this.timers.add(timer);
      } else {
        send();
      }
    });
  }
}

/** The conversation (display id) an event is about, from its body. */
export function conversationOf(request: Received): number | undefined {
  const event = String(request.body.event);
  if (event.startsWith('message_')) return request.body.conversation?.id;
  if (event.startsWith('conversation_')) return request.body.id;
  return undefined;
}

/** Whether the public standardwebhooks library accepts the request under `secret`. */
export function verifies(secret: string, request: Received): boolean {
  try {
    new Webhook(secret).verify(request.raw, {
      'webhook-id': request.headers['webhook-id'],
      'webhook-timestamp': request.headers['webhook-timestamp'],
      'webhook-signature': request.headers['webhook-signature'],
    });
    return true;
  } catch {
    return false;
  }
}

export interface Delivery {
  id: number;
  webhook_id: number;
  event_id: string;
  event: string;
  conversation_id: number | null;
  sequence: number;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: string | null;
  failed_at: string | null;
  created_at: string;
  attempt_log?: {
    attempted_at: string;
    status_code: number | null;
    duration_ms: number;
    response_excerpt: string | null;
    error: string | null;
  }[];
}

export interface TestWebhook {
  id: number;
  url: string;
  secret: string;
  subscriptions: string[];
  inbox_id: number | null;
  enabled: boolean;
  disabled_at: string | null;
  disabled_reason: string | null;
  failing_since: string | null;
  previous_secret_expires_at?: string | null;
}

/** Creates an account webhook as the administrator and checks the answer. */
export async function createWebhook(
  http: TestAgent,
  admin: TestAccount,
  body: { url: string; subscriptions: string[]; inbox_id?: number | null; name?: string },
): Promise<TestWebhook> {
  const response = await http
    .post(`${accountPath(admin)}/webhooks`)
    .set('api_access_token', admin.token)
    .send(body);
  expect({ status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return response.body.payload.webhook;
}

export async function getWebhook(
  http: TestAgent,
  admin: TestAccount,
  id: number,
): Promise<TestWebhook> {
  const response = await http
    .get(`${accountPath(admin)}/webhooks/${id}`)
    .set('api_access_token', admin.token);
  expect({ status: response.status, body: response.body }).toMatchObject({ status: 200 });
  return response.body.payload.webhook;
}

/** One delivery with its attempt log. */
export async function getDelivery(
  http: TestAgent,
  admin: TestAccount,
  id: number,
): Promise<Delivery> {
  const response = await http
    .get(`${accountPath(admin)}/webhook_deliveries/${id}`)
    .set('api_access_token', admin.token);
  expect({ status: response.status, body: response.body }).toMatchObject({ status: 200 });
  return response.body;
}

/**
 * Every delivery of an endpoint (`webhooks/{id}` or `inboxes/{id}/webhook`), newest first,
 * following the cursor through all pages.
 */
export async function listDeliveries(
  http: TestAgent,
  admin: TestAccount,
  endpoint: string,
  query: Record<string, string | number> = {},
): Promise<Delivery[]> {
  const all: Delivery[] = [];
  let cursor: string | null = null;
  do {
    const response: Response = await http
      .get(`${accountPath(admin)}/${endpoint}/deliveries`)
      .query({ ...query, ...(cursor ? { cursor } : {}) })
      .set('api_access_token', admin.token);
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 200 });
    all.push(...response.body.payload);
    cursor = response.body.meta.next_cursor;
  } while (cursor);
  return all;
}

/** Waits until the endpoint's delivery of `eventId` satisfies `check`, and returns it with its log. */
export async function awaitDelivery(
  http: TestAgent,
  admin: TestAccount,
  endpoint: string,
  eventId: string,
  check: (delivery: Delivery) => boolean,
  timeoutMs = 15_000,
): Promise<Delivery> {
  return eventually(
    async () => {
      const found = (await listDeliveries(http, admin, endpoint)).find(
        (delivery) => delivery.event_id === eventId,
      );
      expect(found).toBeDefined();
      const delivery = await getDelivery(http, admin, found!.id);
      expect({ check: check(delivery), delivery }).toMatchObject({ check: true });
      return delivery;
    },
    { timeoutMs, intervalMs: 100 },
  );
}

/** Sends a reply in a conversation as `caller` (an outgoing message); answers the message. */
export async function reply(
  http: TestAgent,
  admin: TestAccount,
  caller: { token: string },
  conversationId: number,
  content: string,
): Promise<{ id: number; status: string; content_attributes: Record<string, unknown> }> {
  const response = await http
    .post(`${accountPath(admin)}/conversations/${conversationId}/messages`)
    .set('api_access_token', caller.token)
    .send({ content });
  expect({ status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return response.body;
}

/** Keys under a Redis pattern (SCAN, so it is safe on a shared Redis). */
export async function redisKeys(pattern: string): Promise<string[]> {
  const redis = new Redis(process.env.REDIS_URL!);
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return keys;
  } finally {
    await redis.quit();
  }
}

export interface TestWorker {
  process: ChildProcess;
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `node dist/src/main.js` with PROCESS_ROLE=worker (no HTTP) and waits until it says it
 * runs. Start a server on the same database first, so migrations are not raced.
 */
export async function startWorker(env: Record<string, string>): Promise<TestWorker> {
  const child = runMain({ ...env, PROCESS_ROLE: 'worker', LOG_LEVEL: 'info' });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  stopAtEndOfFile(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    return exited;
  });
  const deadline = Date.now() + 90_000;
  while (!output.includes('Conversa worker started (no HTTP)')) {
    if (child.exitCode !== null)
      throw new Error(`worker exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`worker did not start in 90 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    process: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
