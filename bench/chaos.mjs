// npm run chaos [-- --short] [-- --only kill9,redis,...] [-- --repeat N]
//
// Under steady Client API load (clients that retry with the same Idempotency-Key / source_id),
// repeatedly breaks things and checks after each scenario that nothing was lost or doubled:
//   kill9     kill -9 of the server, then a restart on the same port
//   redis     a THROWAWAY redis-server (its own port, no persistence) killed and restarted
//             empty; the machine's shared Redis is never touched
//   postgres  an outage of the run's own database only: connections refused
//             (ALTER DATABASE ... ALLOW_CONNECTIONS false) and every backend of that database
//             terminated, repeatedly, for a few seconds; the shared PostgreSQL server is never
//             restarted
//   r500, timeout, slow, r429, r410   the webhook receiver answering 500, not answering within
//             WEBHOOK_TIMEOUT_MS, slowly, 429 with Retry-After, 410 Gone (then the webhook is
//             re-enabled with PATCH .../inboxes/{id}/webhook {"enabled": true})
// Invariants (cumulative, after each scenario and at the end once everything converged):
//   stored       every 2xx answer's message is in the database
//   idempotent   retries with the same Idempotency-Key or source_id created no second message
//                and were answered with the same message
//   delivered    every event reached the receiver (2xx) or is a recorded terminal failure in
//                webhook_deliveries (or was dispatched while the endpoint was disabled by 410)
//   duplicates   a repeated delivery always repeats the webhook-id, with the same body; one
//                webhook-id per event
//   ordered      per conversation, first deliveries arrive in sequence order
//   signed       every request verifies with the inbox's signing secret
// Exits non-zero on any violation.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Agent, request } from 'undici';
import {
  api,
  createConversations,
  createDatabase,
  createInbox,
  freePort,
  log,
  onCleanup,
  printChildOutput,
  round,
  runMain,
  runName,
  seedAccount,
  sleep,
  startChild,
  startConversa,
  startReceiver,
  table,
  withAdmin,
} from './lib/common.mjs';

// Faults that can leave an attempt locked (WEBHOOK_TIMEOUT_MS + 5 s) come first, so their locks
// expire while the receiver scenarios run.
const SCENARIOS = ['postgres', 'kill9', 'redis', 'r500', 'timeout', 'slow', 'r429', 'r410'];

const { values: args } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    only: { type: 'string' },
    repeat: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});
// `npm run chaos --short` (without `--`) reaches us as npm_config_short.
if (process.env.npm_config_short === 'true') args.short = true;
if (args.help) {
  console.log(
    `Usage: npm run chaos [-- --short] [-- --only ${SCENARIOS.join(',')}] [-- --repeat N]`,
  );
  process.exit(0);
}

const C = args.short
  ? {
      rate: 10,
      conversations: 24,
      repeats: { kill9: 2, redis: 2, postgres: 2 },
      receiverRepeats: 1,
      afterS: 1.5,
      stallS: 4,
      settleCapS: 15,
      finalCapS: 120,
    }
  : {
      rate: 25,
      conversations: 40,
      repeats: { kill9: 4, redis: 3, postgres: 3 },
      receiverRepeats: 3,
      afterS: 3,
      stallS: 8,
      settleCapS: 40,
      finalCapS: 180,
    };
const only = args.only ? args.only.split(',').map((name) => name.trim()) : SCENARIOS;
for (const name of only)
  if (!SCENARIOS.includes(name)) throw new Error(`unknown scenario "${name}"`);
const repeatsOf = (name) => Number(args.repeat ?? C.repeats[name] ?? C.receiverRepeats);

const RESULTS = new URL('./results/', import.meta.url).pathname;
const WEBHOOK_TIMEOUT_MS = 1_000;
const SERVER_ENV = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  RATE_LIMIT_PER_CREDENTIAL: '100000000',
  RATE_LIMIT_PER_IP: '100000000',
  WEBHOOK_ALLOWED_TARGETS: '127.0.0.0/8',
  WEBHOOK_TIMEOUT_MS: String(WEBHOOK_TIMEOUT_MS),
  // Five retries over ~5 s (each ±20 %), Retry-After honoured up to 1.5 s, relay every 0.5 s.
  WEBHOOK_RETRY_SCHEDULE_MS: '250,500,1000,1500,2000',
  WEBHOOK_RETRY_AFTER_CAP_MS: '1500',
  WEBHOOK_RELAY_INTERVAL_MS: '500',
  // A key whose request died with the process is free again after 20 s, not 5 min. It must stay
  // above the longest a slow first request may still be running, or a retry runs it twice.
  IDEMPOTENCY_LOCK_TIMEOUT_MS: '20000',
};
const INBOX_EVENTS = [
  'conversation_created',
  'conversation_updated',
  'conversation_status_changed',
  'conversation_deleted',
  'conversation_typing_on',
  'conversation_typing_off',
  'message_created',
  'message_updated',
  'message_deleted',
];

// ---------------------------------------------------------------------------------------------
// The throwaway Redis

async function startThrowawayRedis(port) {
  const handle = startChild({
    label: `redis-server :${port}`,
    command: 'redis-server',
    args: [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--dir',
      '/tmp',
    ],
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => {});
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') return handle;
    } catch {
      // not yet
    } finally {
      probe.disconnect();
    }
    if (!handle.alive() || Date.now() > deadline)
      throw new Error(`redis-server on ${port} did not start:\n${handle.output()}`);
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------------------------
// Steady load with retrying clients

/**
 * Paced message creates. Every logical message has a unique content; a third carry only an
 * Idempotency-Key, a third only a source_id, a third both. A client retries the exact same
 * request on network errors, 5xx, 409 (in flight) and 429 until it gets an answer (bounded);
 * 409 idempotency_key_answer_lost is an answer (applied, first answer lost) and ends the retries,
 * and one message in ten is posted once more after its success, as a client that lost the
 * answer would.
 */
class SteadyLoad {
  constructor(base, conversations, rate) {
    this.base = base;
    this.conversations = conversations;
    this.rate = rate;
    this.messages = [];
    this.tasks = new Set();
    this.agent = new Agent({
      connections: 64,
      keepAliveTimeout: 10_000,
      connect: { timeout: 2_000 },
    });
    this.running = false;
    this.skipped = 0;
  }

  start() {
    this.running = true;
    this.loop = (async () => {
      const start = performance.now();
      let sent = 0;
      while (this.running) {
        const due = Math.floor(((performance.now() - start) * this.rate) / 1000) + 1;
        while (sent < due) {
          sent++;
          if (this.tasks.size >= 400) {
            this.skipped++;
            continue;
          }
          this.send(this.messages.length);
        }
        await sleep(Math.max(1, start + (sent * 1000) / this.rate - performance.now()));
      }
    })();
  }

  async stop() {
    this.running = false;
    await this.loop;
    await Promise.all([...this.tasks]);
  }

  send(n) {
    const conversation = this.conversations[n % this.conversations.length];
    const kind = ['key', 'source', 'both'][n % 3];
    const message = {
      n,
      kind,
      conversation: conversation.displayId,
      content: `chaos message ${n}`,
      sourceId: kind === 'key' ? null : `chaos-${n}`,
      key: kind === 'source' ? null : randomUUID(),
      answers: [],
      history: [],
      attempts: 0,
      gaveUp: false,
      answerLost: false,
      unexpected: [],
    };
    this.messages.push(message);
    const body = JSON.stringify({
      content: message.content,
      ...(message.sourceId ? { source_id: message.sourceId } : {}),
    });
    const headers = {
      'content-type': 'application/json',
      ...(message.key ? { 'idempotency-key': message.key } : {}),
    };
    const task = (async () => {
      const deadline = Date.now() + 60_000;
      let posts = n % 10 === 0 ? 2 : 1;
      while (posts > 0) {
        message.attempts++;
        let status = 0;
        let text = '';
        try {
          const response = await request(`${this.base}${conversation.path}`, {
            method: 'POST',
            body,
            headers,
            dispatcher: this.agent,
            headersTimeout: 5_000,
            bodyTimeout: 5_000,
          });
          status = response.statusCode;
          text = await response.body.text();
        } catch {
          status = 0;
        }
        message.history.push(status || 'err');
        if (status >= 200 && status < 300) {
          let id = null;
          try {
            id = JSON.parse(text).id;
          } catch {
            // recorded as null, which the checks report
          }
          message.answers.push({ status, id });
          posts--;
          continue;
        }
        if (status === 409 && text.includes('idempotency_key_answer_lost')) {
          // The server applied the first attempt but lost its answer: final, must be stored once.
          message.answerLost = true;
          return;
        }
        if (status !== 0 && status !== 409 && status !== 429 && status < 500) {
          message.unexpected.push(`${status} ${text.slice(0, 200)}`);
          return;
        }
        if (Date.now() > deadline) {
          message.gaveUp = true;
          return;
        }
        await sleep(200 + Math.random() * 300);
      }
    })();
    this.tasks.add(task);
    task.finally(() => this.tasks.delete(task));
  }

  /** Logical messages whose tasks finished (answered, gave up or refused) so far. */
  settled() {
    return this.messages.filter(
      (message) =>
        message.answers.length > 0 ||
        message.gaveUp ||
        message.answerLost ||
        message.unexpected.length > 0,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Invariant checks

/** [500, 409, 409, 409, 201] -> "500, 409×3, 201" */
function compact(statuses) {
  const parts = [];
  for (const status of statuses) {
    const last = parts.at(-1);
    if (last && last.status === status) last.count++;
    else parts.push({ status, count: 1 });
  }
  return parts
    .map(({ status, count }) => (count > 1 ? `${status}×${count}` : String(status)))
    .join(', ');
}

class Checker {
  constructor(db, receiver, inbox) {
    this.db = db;
    this.receiver = receiver;
    this.inbox = inbox;
    this.records = [];
    this.disabledWindows = [];
  }

  async pullRecords() {
    const { records } = await this.receiver.call('records', { from: this.records.length });
    this.records.push(...records);
  }

  async cutoff() {
    const {
      rows: [row],
    } = await this.db.query(
      `SELECT coalesce(max(id), 0)::bigint AS id FROM domain_events WHERE inbox_id = $1`,
      [this.inbox.id],
    );
    return { eventId: BigInt(row.id), at: Date.now() };
  }

  /** Events up to the cutoff that are neither acknowledged nor terminally failed. */
  async unresolved(cutoff) {
    await this.pullRecords();
    const acked = new Set(this.records.filter((record) => record[8]).map((record) => record[1]));
    const { rows } = await this.db.query(
      `SELECT e.event_id, e.dispatched_at, d.status
         FROM domain_events e
         LEFT JOIN webhook_deliveries d ON d.event_row_id = e.id
        WHERE e.inbox_id = $1 AND e.id <= $2 AND e.name = ANY($3)`,
      [this.inbox.id, String(cutoff.eventId), INBOX_EVENTS],
    );
    return rows.filter(
      (row) =>
        !acked.has(row.event_id) &&
        row.status !== 'failed' &&
        !(row.status === null && row.dispatched_at && this.inWindow(row.dispatched_at)),
    ).length;
  }

  inWindow(at) {
    const time = new Date(at).getTime();
    return this.disabledWindows.some(([from, to]) => time >= from && time <= to);
  }

  /** Waits until everything up to the cutoff is resolved, or progress stalls, or the cap. */
  async settle(cutoff, stallS, capS) {
    const deadline = Date.now() + capS * 1000;
    let last = -1;
    let lastChange = Date.now();
    for (;;) {
      const open = await this.unresolved(cutoff);
      if (open === 0) return 0;
      if (open !== last) lastChange = Date.now();
      last = open;
      if (Date.now() > deadline || Date.now() - lastChange > stallS * 1000) return open;
      await sleep(250);
    }
  }

  /**
   * All invariants over the requests settled and events recorded up to `cutoff`. With
   * `final`, an event still pending is a violation; before, it is reported as pending.
   */
  async check(load, cutoff, final) {
    await this.pullRecords();
    const violations = [];
    const violate = (kind, detail, key = detail) =>
      violations.push({ kind, detail, key: `${kind}: ${key}` });
    const messages = load.settled();

    // stored + idempotent (client side)
    const { rows: stored } = await this.db.query(
      `SELECT id::text, content, source_id, to_char(created_at, 'HH24:MI:SS.MS') AS at
         FROM messages WHERE inbox_id = $1 AND content LIKE 'chaos message %'`,
      [this.inbox.id],
    );
    const messageByContent = new Map(load.messages.map((message) => [message.content, message]));
    const byId = new Map(stored.map((row) => [row.id, row]));
    const byContent = new Map();
    for (const row of stored)
      byContent.set(row.content, [...(byContent.get(row.content) ?? []), row.id]);
    let answered = 0;
    let gaveUp = 0;
    let answerLost = 0;
    let retried = 0;
    for (const message of messages) {
      if (message.attempts > (message.n % 10 === 0 ? 2 : 1)) retried++;
      if (message.gaveUp) gaveUp++;
      if (message.answerLost) {
        answerLost++;
        if (!byContent.has(message.content))
          violate(
            'stored',
            `message ${message.n} (${message.kind}) was answered idempotency_key_answer_lost (applied) but is not stored`,
          );
      }
      for (const problem of message.unexpected)
        violate('client retry answered 4xx', `message ${message.n} (${message.kind}): ${problem}`);
      if (message.answers.length === 0) continue;
      answered++;
      const ids = new Set(message.answers.map((answer) => String(answer.id)));
      if (ids.size > 1)
        violate(
          'idempotent',
          `message ${message.n} (${message.kind}) answered with different ids ${[...ids].join(', ')}`,
        );
      for (const id of ids) {
        const row = byId.get(id);
        if (!row)
          violate(
            'stored',
            `message ${message.n} (${message.kind}) answered 2xx with id ${id}, which is not stored`,
          );
        else if (row.content !== message.content)
          violate(
            'stored',
            `message id ${id} holds "${row.content}", expected "${message.content}"`,
          );
      }
    }
    for (const [content, ids] of byContent) {
      if (ids.length < 2) continue;
      const message = messageByContent.get(content);
      const copies = ids.map((id) => `${id} at ${byId.get(id).at}`).join(', ');
      violate(
        'idempotent',
        `"${content}" (${message?.kind ?? '?'}) stored ${ids.length} times: ${copies}; the client's attempts answered ${compact(message?.history ?? [])}`,
        `${content} ${ids.join(',')}`,
      );
    }

    // delivered / terminal failure / skipped while disabled / pending
    const { rows: events } = await this.db.query(
      `SELECT e.id::text AS row_id, e.event_id, e.name, e.stream, e.sequence, e.dispatched_at,
              (e.payload ->> 'id') AS object_id, d.status, d.attempts, d.last_status_code, d.last_error
         FROM domain_events e
         LEFT JOIN webhook_deliveries d ON d.event_row_id = e.id
        WHERE e.inbox_id = $1 AND e.id <= $2 AND e.name = ANY($3)
        ORDER BY e.id`,
      [this.inbox.id, String(cutoff.eventId), INBOX_EVENTS],
    );
    const { rows: allEvents } = await this.db.query(
      `SELECT event_id, stream, sequence FROM domain_events WHERE inbox_id = $1`,
      [this.inbox.id],
    );
    const eventById = new Map(allEvents.map((row) => [row.event_id, row]));
    const ackedIds = new Set();
    for (const record of this.records) if (record[8]) ackedIds.add(record[1]);
    const counts = { events: events.length, delivered: 0, failed: 0, skipped: 0, pending: 0 };
    for (const event of events) {
      if (ackedIds.has(event.event_id)) counts.delivered++;
      else if (event.status === 'failed') counts.failed++;
      else if (event.status === null && event.dispatched_at && this.inWindow(event.dispatched_at))
        counts.skipped++;
      else if (!final && (event.status === 'pending' || event.dispatched_at === null))
        counts.pending++;
      else {
        const state =
          event.status === 'delivered'
            ? 'marked delivered but the receiver never acknowledged it'
            : event.status === null
              ? event.dispatched_at
                ? 'dispatched without a delivery, outside any disabled window'
                : 'never dispatched'
              : `still ${event.status} after convergence (attempts ${event.attempts}, last ${event.last_status_code ?? event.last_error})`;
        violate(
          'delivered',
          `${event.name} ${event.event_id} (${event.stream} #${event.sequence}): ${state}`,
        );
      }
    }
    // one message_created per message
    const createdPerMessage = new Map();
    for (const event of events) {
      if (event.name !== 'message_created') continue;
      createdPerMessage.set(event.object_id, (createdPerMessage.get(event.object_id) ?? 0) + 1);
    }
    for (const [id, count] of createdPerMessage)
      if (count > 1) violate('duplicates', `message ${id} has ${count} message_created events`);

    // receiver side: known ids, same body per webhook-id, one webhook-id per message, order, signatures
    const bodyOf = new Map();
    const webhookIdsPerMessage = new Map();
    const lastSequence = new Map();
    const firstSeen = new Set();
    let repeats = 0;
    let outOfOrder = 0;
    let badSignatures = 0;
    for (const record of this.records) {
      const [
        ,
        webhookId,
        name,
        ,
        ,
        ,
        sequence,
        ,
        acked,
        signature,
        bodyHash,
        bodyEventId,
        objectId,
      ] = record;
      if (signature === false) badSignatures++;
      if (bodyEventId !== webhookId)
        violate('duplicates', `webhook-id ${webhookId} carried event_id ${bodyEventId}`);
      const event = eventById.get(webhookId);
      if (!event) {
        violate(
          'delivered',
          `the receiver got webhook-id ${webhookId} (${name}), which is no event of the inbox`,
        );
        continue;
      }
      if (sequence !== event.sequence)
        violate(
          'ordered',
          `webhook-id ${webhookId} says sequence ${sequence}, the event has ${event.sequence}`,
        );
      if (bodyOf.has(webhookId) && bodyOf.get(webhookId) !== bodyHash)
        violate('duplicates', `webhook-id ${webhookId} was sent with two different bodies`);
      bodyOf.set(webhookId, bodyHash);
      if (name === 'message_created' && objectId !== null) {
        const ids = webhookIdsPerMessage.get(objectId) ?? new Set();
        ids.add(webhookId);
        webhookIdsPerMessage.set(objectId, ids);
      }
      if (!acked) continue;
      if (firstSeen.has(webhookId)) {
        repeats++;
        continue;
      }
      firstSeen.add(webhookId);
      const previous = lastSequence.get(event.stream) ?? 0;
      if (event.sequence <= previous) {
        outOfOrder++;
        violate(
          'ordered',
          `${event.stream}: #${event.sequence} (${name}) arrived after #${previous}`,
        );
      }
      lastSequence.set(event.stream, Math.max(previous, event.sequence));
    }
    for (const [id, ids] of webhookIdsPerMessage) {
      if (ids.size > 1)
        violate('duplicates', `message ${id} was delivered under ${ids.size} webhook-ids`);
    }
    if (badSignatures > 0)
      violate('signed', `${badSignatures} requests did not verify with the inbox secret`);

    return {
      requests: messages.length,
      answered,
      retried,
      gaveUp,
      answerLost,
      arrivals: this.records.length,
      repeats,
      outOfOrder,
      ...counts,
      violations,
    };
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = performance.now();
  const name = runName('chaos');
  log(
    `chaos ${args.short ? '(short) ' : ''}run ${name}: scenarios ${only.map((s) => `${s}×${repeatsOf(s)}`).join(', ')}`,
  );
  log(
    'PostgreSQL and Redis are shared with other work: the run uses its own database and a throwaway redis-server, and never restarts either service',
  );

  const redisPort = await freePort(6390);
  let redis = await startThrowawayRedis(redisPort);
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  log(`throwaway redis-server on :${redisPort} (no persistence)`);

  const databaseUrl = await createDatabase(name);
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  db.on('error', () => {});
  onCleanup('close chaos db pool', () => db.end());

  const receiver = await startReceiver(await freePort());
  const port = await freePort();
  const env = { ...SERVER_ENV, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, REDIS_PREFIX: name };
  let server = await startConversa({ port, env });
  const base = server.url;
  log(
    `Conversa on :${port}; WEBHOOK_TIMEOUT_MS=${WEBHOOK_TIMEOUT_MS}, retries ${SERVER_ENV.WEBHOOK_RETRY_SCHEDULE_MS} ms, relay every ${SERVER_ENV.WEBHOOK_RELAY_INTERVAL_MS} ms`,
  );

  const account = await seedAccount(db, 'Chaos');
  const inbox = await createInbox(base, account, 'Chaos API', receiver.url);
  await receiver.call('verify', { secret: inbox.secret, bodies: true });
  const conversations = await createConversations(base, inbox, C.conversations, 'chaos');
  const checker = new Checker(db, receiver, inbox);
  const load = new SteadyLoad(base, conversations, C.rate);
  log(`steady load: ${C.rate} msg/s over ${C.conversations} conversations`);
  load.start();
  onCleanup('stop load', () => load.stop());
  await sleep(1_500);

  const waitHealthy = async (label, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await api(base, 'GET', '/health', { timeoutMs: 2_000 }).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) return;
      if (Date.now() > deadline)
        throw new Error(`${label}: server not healthy again after ${timeoutMs} ms`);
      await sleep(200);
    }
  };
  const receiverMode = async (mode, holdMs) => {
    await receiver.call('mode', { mode });
    await sleep(holdMs);
    await receiver.call('mode', { mode: { status: 200 } });
  };

  const inject = {
    kill9: async () => {
      await server.kill9();
      await sleep(300);
      server = await startConversa({ port, env, label: 'conversa (restarted)' });
    },
    redis: async () => {
      await redis.kill9();
      await sleep(1_000);
      redis = await startThrowawayRedis(redisPort);
      await waitHealthy('redis');
    },
    postgres: async () => {
      // Only this run's database: refuse new connections and terminate the existing ones.
      await withAdmin(async (admin) => {
        const ident = pg.escapeIdentifier(name);
        await admin.query(`ALTER DATABASE ${ident} ALLOW_CONNECTIONS false`);
        try {
          const until = Date.now() + 3_000;
          while (Date.now() < until) {
            await admin.query(
              `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
              [name],
            );
            await sleep(150);
          }
        } finally {
          await admin.query(`ALTER DATABASE ${ident} ALLOW_CONNECTIONS true`);
        }
      });
      await waitHealthy('postgres');
    },
    r500: () => receiverMode({ status: 500 }, 2_000),
    timeout: () => receiverMode({ status: 200, hangMs: WEBHOOK_TIMEOUT_MS + 1_000 }, 2_500),
    slow: () => receiverMode({ status: 200, delayMs: 300, delayJitterMs: 400 }, 3_000),
    r429: () => receiverMode({ status: 429, retryAfter: 1 }, 2_500),
    r410: async () => {
      await receiver.call('mode', { mode: { status: 410 } });
      const deadline = Date.now() + 15_000;
      let disabledAt = null;
      while (!disabledAt && Date.now() < deadline) {
        await sleep(100);
        const { body } = await api(
          base,
          'GET',
          `/api/v1/accounts/${account.accountId}/inboxes/${inbox.id}/webhook`,
          { token: account.token },
        );
        disabledAt = body?.disabled_at ?? null;
      }
      await receiver.call('mode', { mode: { status: 200 } });
      if (!disabledAt)
        throw new Error('r410: the webhook was not disabled within 15 s of answering 410');
      const response = await api(
        base,
        'PATCH',
        `/api/v1/accounts/${account.accountId}/inboxes/${inbox.id}/webhook`,
        {
          token: account.token,
          body: { enabled: true },
        },
      );
      if (response.status !== 200 || response.body?.disabled_at)
        throw new Error(
          `r410: re-enabling answered ${response.status} ${JSON.stringify(response.body)}`,
        );
      const {
        rows: [{ now }],
      } = await db.query('SELECT now()');
      checker.disabledWindows.push([
        new Date(disabledAt).getTime() - 1,
        new Date(now).getTime() + 1,
      ]);
    },
  };

  const rows = [];
  const results = [];
  const seen = new Set();
  let violations = 0;
  // Checks are cumulative; a scenario's row lists the violations first seen after it (a fault
  // can surface later: a request broken by one scenario may be retried during the next).
  const report = (label, repeats, result, seconds) => {
    const fresh = result.violations.filter((v) => !seen.has(v.key));
    for (const v of fresh) seen.add(v.key);
    result.violations = fresh;
    violations += fresh.length;
    results.push({ scenario: label, repeats, seconds, ...result });
    const kinds = [...new Set(result.violations.map((v) => v.kind))];
    rows.push([
      label,
      repeats,
      `${result.answered}/${result.requests}`,
      result.retried,
      result.gaveUp,
      result.answerLost,
      result.events,
      result.delivered,
      result.failed,
      result.skipped,
      result.pending,
      result.repeats,
      result.violations.length === 0 ? 'ok' : `${result.violations.length} (${kinds.join(', ')})`,
      seconds,
    ]);
    const status = result.violations.length === 0 ? 'ok' : `${result.violations.length} VIOLATIONS`;
    log(
      `${label}: ${status}; events ${result.events}: delivered ${result.delivered}, failed ${result.failed}, skipped ${result.skipped}, pending ${result.pending}`,
    );
    for (const violation of result.violations.slice(0, 10))
      console.log(`    ${violation.kind}: ${violation.detail}`);
    if (result.violations.length > 10)
      console.log(`    ... and ${result.violations.length - 10} more`);
  };

  for (const scenario of only) {
    const repeats = repeatsOf(scenario);
    const scenarioStart = performance.now();
    for (let time = 1; time <= repeats; time++) {
      log(`${scenario} ${time}/${repeats}`);
      await inject[scenario]();
      await sleep(C.afterS * 1000);
    }
    const cutoff = await checker.cutoff();
    await checker.settle(cutoff, C.stallS, C.settleCapS);
    const result = await checker.check(load, cutoff, false);
    report(scenario, repeats, result, round((performance.now() - scenarioStart) / 1000, 0));
  }

  log(
    'stopping the load; waiting for every delivery to end (a crash leaves an attempt locked for WEBHOOK_TIMEOUT_MS + 5 s)',
  );
  await load.stop();
  const finalCutoff = await checker.cutoff();
  const finalStart = performance.now();
  const open = await checker.settle(finalCutoff, 40, C.finalCapS);
  if (open > 0) log(`${open} events still unresolved after waiting`);
  const final = await checker.check(load, finalCutoff, true);
  report('final (all, converged)', '-', final, round((performance.now() - finalStart) / 1000, 0));

  console.log(
    '\n' +
      table(rows, [
        'scenario',
        'times',
        '2xx/requests',
        'retried',
        'gave up',
        'answer lost',
        'events',
        'delivered',
        'failed',
        'skipped(410)',
        'pending',
        'repeats',
        'new violations',
        's',
      ]),
  );
  console.log(
    `\nPostgreSQL outage = the run's own database refusing connections with its backends terminated (the shared server is not restarted); Redis = a throwaway redis-server on :${redisPort} killed and restarted empty.`,
  );
  console.log(
    "delivered: acknowledged by the receiver; failed: recorded terminal failure (webhook_deliveries.status = 'failed'); skipped(410): dispatched while the endpoint was disabled by a 410; repeats: deliveries received again (same webhook-id).",
  );
  console.log(
    'Checks are cumulative; a row lists the violations first seen after that scenario (a request broken by one fault may only be retried, and duplicated, during the next).',
  );
  console.log(
    `load generator: ${load.skipped} sends skipped (over 400 requests in flight); server error log lines: ${server.errorLines()}`,
  );
  const seconds = round((performance.now() - started) / 1000, 0);
  log(`chaos run took ${seconds} s`);
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    `${RESULTS}chaos-latest.json`,
    JSON.stringify(
      {
        generated_at: new Date().toISOString(),
        mode: args.short ? 'short' : 'full',
        seconds,
        rate: C.rate,
        server_env: SERVER_ENV,
        results,
      },
      null,
      2,
    ) + '\n',
  );
  if (violations > 0) {
    console.error(`\nchaos: ${violations} invariant violations`);
    printChildOutput(3_000);
    return 1;
  }
  console.log('\nchaos: all invariants held');
  return 0;
}

runMain(main);
