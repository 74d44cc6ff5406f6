// npm run bench [-- --quick] [-- --profile] [-- --skip-reference] [-- --skip-read] [-- --read-only]
//               [-- --skip-round-trips] [-- --skip-two-process] [-- --round-trips-only]
// npm run bench -- --reports [--quick]: reports at size instead (bench/reports.mjs)
// npm run bench -- --uploads: the server RSS while ten 40 MB files upload at once
// npm run bench -- --streams [--quick]: delivery with 50,000 conversations waiting (bench/lib/streams.mjs)
//
// Builds (via the npm script), then on a fresh database and Redis prefix: starts the production
// server and a webhook receiver, drives Client API message creates with autocannon (max) and a
// paced open-loop sender (fixed rates), measures the POST -> signed webhook latency, a burst,
// the conversation list over a large account, peak RSS, and the same ingest-and-deliver work on
// the hand-written reference service (bench/reference) for a side-by-side ratio. Then Conversa
// again as two processes (PROCESS_ROLE=api and worker), and, for Conversa and the reference, a
// counting phase behind TCP proxies (bench/lib/wire-counter.mjs) that counts PostgreSQL round
// trips, statements and Redis commands per message. Writes bench/results/latest.json and
// bench/results/latency.svg and prints a table. Everything it created (processes, database,
// Redis keys) is removed at the end, also on failure or Ctrl-C.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  api,
  cleanRedisPrefixAtExit,
  createConversations,
  createDatabase,
  createInbox,
  freePort,
  log,
  machine,
  onCleanup,
  ROOT,
  round,
  runMain,
  runName,
  sampleMemories,
  sampleMemory,
  seedAccount,
  SHARED_REDIS_URL,
  sleep,
  startChild,
  startConversa,
  startConversaWorker,
  startReceiver,
  table,
  waitHealthy,
} from './lib/common.mjs';
import { curve, histogramOf, maxLoad, pacedLoad, summary } from './lib/load.mjs';
import { latencyChart } from './lib/svg.mjs';
import { uploadServerEnv, uploadSuite } from './lib/uploads.mjs';
import { startWireCounter } from './lib/wire-counter.mjs';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'skip-reference': { type: 'boolean', default: false },
    'skip-read': { type: 'boolean', default: false },
    'read-only': { type: 'boolean', default: false },
    'skip-round-trips': { type: 'boolean', default: false },
    'skip-two-process': { type: 'boolean', default: false },
    'round-trips-only': { type: 'boolean', default: false },
    reports: { type: 'boolean', default: false },
    uploads: { type: 'boolean', default: false },
    streams: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});
// `npm run bench --quick` (without `--`) reaches us as npm_config_quick.
if (process.env.npm_config_quick === 'true') args.quick = true;
if (process.env.npm_config_read_only === 'true') args['read-only'] = true;
if (process.env.npm_config_uploads === 'true') args.uploads = true;
if (process.env.npm_config_round_trips_only === 'true') args['round-trips-only'] = true;
if (args['read-only'] && args['skip-read']) {
  console.error('--read-only and --skip-read exclude each other');
  process.exit(2);
}
if (args['round-trips-only'] && (args['read-only'] || args['skip-round-trips'])) {
  console.error('--round-trips-only excludes --read-only and --skip-round-trips');
  process.exit(2);
}

if (args.help) {
  console.log(`Usage: npm run bench [-- --quick] [-- --profile] [-- --skip-reference] [-- --skip-read] [-- --read-only]
                     [-- --skip-round-trips] [-- --skip-two-process] [-- --round-trips-only]

  --quick           smaller counts and shorter phases (about 4 minutes)
  --profile         run the server with --cpu-prof (profile in bench/results/*.cpuprofile)
  --skip-reference  do not run the hand-written reference service
  --skip-read       do not seed the large account nor measure the conversation list
  --skip-round-trips  no counting phase (PostgreSQL round trips, statements and Redis
                    commands per message, through counting proxies, for Conversa and reference)
  --skip-two-process  no run of Conversa as PROCESS_ROLE=api plus a PROCESS_ROLE=worker
  --round-trips-only  only the counting phases (Conversa and, unless --skip-reference, the
                    reference): writes bench/results/round-trips-latest.json
  --reports         only the reports: 1,000,000 conversations and 10,000,000 messages seeded
                    by SQL (quick: a tenth), p50/p95/p99 of a 90-day report and each summary;
                    writes bench/results/reports-latest.json
  --read-only       only the conversation list (seed 100,000, quick: 10,000): no ingest, burst
                    nor reference; writes bench/results/read-latest.json and read-latency.svg
  --uploads         only the upload memory scenario: the server's RSS while ten 40 MB files
                    upload at once, over its idle RSS; writes bench/results/uploads-latest.json
  --streams         only delivery with 50,000 streams waiting on one endpoint (quick: 10,000);
                    writes bench/results/streams-latest.json (bench/lib/streams.mjs)

Environment: BENCH_DATABASE_SERVER_URL (postgres://postgres@127.0.0.1:5432),
BENCH_REDIS_URL (redis://127.0.0.1:6379).`);
  process.exit(0);
}

const P = args.quick
  ? {
      conversations: 50,
      connections: 32,
      warmupS: 2,
      maxS: 5,
      fixedS: 6,
      burst: 2_000,
      readSeed: 10_000,
      readS: 5,
      readMaxS: 3,
      requestTimeoutMs: 5_000,
      drainTimeoutS: 20,
      stallS: 5,
      burstCapS: 20,
      countMessages: 1_000,
      countWarmupS: 1,
    }
  : {
      conversations: 200,
      connections: 32,
      warmupS: 5,
      maxS: 20,
      fixedS: 30,
      burst: 10_000,
      readSeed: 100_000,
      readS: 30,
      readMaxS: 10,
      requestTimeoutMs: 10_000,
      drainTimeoutS: 120,
      stallS: 20,
      burstCapS: 120,
      countMessages: 2_000,
      countWarmupS: 2,
    };
const FIXED_RATE = 200;
const READ_RATE = 100;
const RESULTS = new URL('./results/', import.meta.url).pathname;

/** The Client API message body: the send time travels in the content, so the receiver can time it. */
function messageMaker(conversations, prefix) {
  return (index, sentAtWall) => ({
    path: conversations[index % conversations.length].path,
    body: `{"content":"t=${sentAtWall.toFixed(3)} benchmark message ${index}","source_id":"${prefix}-${index}"}`,
  });
}

/**
 * Waits until the receiver has acknowledged every accepted message of `prefix`; gives up when
 * nothing new arrived for P.stallS seconds (or after P.drainTimeoutS), reporting what is missing.
 */
async function drain(receiver, prefix, load, lastPostAt) {
  const expected = load.accepted.size;
  const deadline = Date.now() + P.drainTimeoutS * 1000;
  let progress = await receiver.call('progress', { prefix });
  let lastChange = Date.now();
  while (
    progress.distinct < expected &&
    Date.now() < deadline &&
    Date.now() - lastChange < P.stallS * 1000
  ) {
    await sleep(100);
    const next = await receiver.call('progress', { prefix });
    if (next.distinct !== progress.distinct) lastChange = Date.now();
    progress = next;
  }
  const latencies = await receiver.call('latencies', { prefix });
  const hist = histogramOf(latencies);
  const windowS = (progress.lastAt - load.startedAt) / 1000;
  return {
    accepted: expected,
    delivered: progress.distinct,
    missing: Math.max(0, expected - progress.distinct),
    first_post_to_last_webhook_ms: progress.lastAt
      ? round(progress.lastAt - load.startedAt, 0)
      : null,
    last_post_to_last_webhook_ms: progress.lastAt
      ? Math.max(0, round(progress.lastAt - lastPostAt, 0))
      : null,
    delivered_per_s: progress.distinct && windowS > 0 ? round(progress.distinct / windowS, 1) : 0,
    e2e: summary(hist),
    hist,
  };
}

/** Waits (bounded) until Conversa has no undispatched event and no pending delivery. */
async function quiesce(db, label) {
  const deadline = Date.now() + P.drainTimeoutS * 1000;
  let last = null;
  let lastChange = Date.now();
  for (;;) {
    const {
      rows: [row],
    } = await db.query(
      `SELECT (SELECT count(*) FROM webhook_deliveries WHERE status = 'pending')::int AS pending,
              (SELECT count(*) FROM domain_events WHERE dispatched_at IS NULL)::int AS undispatched`,
    );
    const backlog = row.pending + row.undispatched;
    if (backlog === 0) return 0;
    if (backlog !== last) lastChange = Date.now();
    last = backlog;
    if (Date.now() > deadline || Date.now() - lastChange > P.stallS * 1000) {
      log(
        `${label}: still ${row.pending} pending deliveries and ${row.undispatched} undispatched events; going on`,
      );
      return backlog;
    }
    await sleep(200);
  }
}

function apiFigures(load) {
  return {
    requests: load.requests,
    ok: load.ok,
    rps: load.rps ?? round(load.ok / ((load.lastAnswerAt - load.startedAt) / 1000), 1),
    latency: load.latency,
    errors: load.errors,
    timeouts: load.timeouts ?? 0,
    non2xx: load.non2xx,
    // paced mode: requests not sent because every connection was still waiting (service stalled)
    dropped: load.dropped ?? 0,
    status_codes: load.statusCodes,
    ...(load.senderLagP99 !== undefined ? { sender_lag_p99_ms: load.senderLagP99 } : {}),
  };
}

const INGEST_PHASES = ['max', 'fixed_200', 'fixed_80pct', 'burst'];

/**
 * Ingest at max, at 200 msg/s, at 80 % of its own max, and a burst, against one service (max
 * always; the others when named in `phases`).
 */
async function ingestSuite(
  name,
  tag,
  url,
  conversations,
  receiver,
  memory,
  db,
  phases = INGEST_PHASES,
) {
  const out = {};
  // Between phases, let Conversa finish delivering (the reference has no backlog to query).
  const settle = async () => {
    if (db) out.backlog_left = (out.backlog_left ?? 0) + (await quiesce(db, name));
  };
  const phase = async (label, fn) => {
    memory?.phase();
    const result = await fn();
    if (memory) result.peak_rss_mb = memory.phase();
    out[label] = result;
    return result;
  };

  log(`${name}: warm-up ${P.warmupS} s`);
  const warm = await maxLoad({
    url,
    connections: P.connections,
    durationS: P.warmupS,
    makeRequest: messageMaker(conversations, `${tag}w`),
  });
  await drain(receiver, `${tag}w`, warm, warm.lastAnswerAt);
  await settle();

  log(`${name}: ingest at max, ${P.connections} connections, ${P.maxS} s (autocannon)`);
  const max = await phase('max', async () => {
    const load = await maxLoad({
      url,
      connections: P.connections,
      durationS: P.maxS,
      makeRequest: messageMaker(conversations, `${tag}m`),
    });
    const delivery = await drain(receiver, `${tag}m`, load, load.lastAnswerAt);
    return { api: apiFigures(load), delivery, hists: { api: load.hist, e2e: delivery.hist } };
  });
  // "Keeping up": messages per second from the first POST to the last webhook.
  max.sustained_msgs_per_s = Math.min(max.api.rps, max.delivery.delivered_per_s || 0);
  await settle();
  log(
    `${name}: max ${max.api.rps} req/s, delivered ${max.delivery.delivered}/${max.delivery.accepted} at ${max.delivery.delivered_per_s}/s`,
  );

  const fixed = async (label, rate, prefix) => {
    log(`${name}: ${rate} msg/s for ${P.fixedS} s (paced)`);
    return phase(label, async () => {
      const load = await pacedLoad({
        origin: url,
        rate,
        durationS: P.fixedS,
        timeoutMs: P.requestTimeoutMs,
        makeRequest: messageMaker(conversations, prefix),
      });
      const delivery = await drain(receiver, prefix, load, load.lastAnswerAt);
      await settle();
      return {
        rate,
        api: apiFigures(load),
        delivery,
        hists: { api: load.hist, e2e: delivery.hist },
      };
    });
  };
  if (phases.includes('fixed_200')) await fixed('fixed_200', FIXED_RATE, `${tag}f`);
  if (phases.includes('fixed_80pct')) {
    const eighty = Math.max(10, Math.round(0.8 * max.sustained_msgs_per_s));
    await fixed('fixed_80pct', eighty, `${tag}e`);
  }
  if (!phases.includes('burst')) return out;

  log(`${name}: burst of ${P.burst} messages (autocannon, ${P.connections * 2} connections)`);
  await phase('burst', async () => {
    const load = await maxLoad({
      url,
      connections: P.connections * 2,
      amount: P.burst,
      maxTimeS: P.burstCapS,
      makeRequest: messageMaker(conversations, `${tag}b`),
    });
    if (load.capped)
      log(
        `${name}: burst stopped after ${P.burstCapS} s with ${load.requests} of ${P.burst} answered`,
      );
    const delivery = await drain(receiver, `${tag}b`, load, load.lastAnswerAt);
    await settle();
    return {
      messages: P.burst,
      completed: !load.capped,
      api: apiFigures(load),
      post_duration_ms: round(load.lastAnswerAt - load.startedAt, 0),
      delivery,
      hists: { api: load.hist, e2e: delivery.hist },
    };
  });
  log(
    `${name}: burst delivered ${out.burst.delivery.delivered}/${out.burst.delivery.accepted}, last webhook ${out.burst.delivery.last_post_to_last_webhook_ms} ms after the last POST`,
  );
  return out;
}

/** Per-message figures of one counting window (`snapshot` of bench/lib/wire-counter.mjs). */
function perMessage(snapshot, messages, seconds) {
  const each = (count) => round(count / Math.max(1, messages), 2);
  const eachOf = (counts) =>
    Object.fromEntries(Object.entries(counts).map(([key, count]) => [key, each(count)]));
  return {
    messages,
    window_s: round(seconds, 1),
    postgres_round_trips: each(snapshot.postgres.round_trips),
    // Syncs and Queries: more than round trips only when a client pipelines
    postgres_requests: each(snapshot.postgres.requests),
    postgres_statements: each(snapshot.postgres.statements),
    redis_commands: each(snapshot.redis.commands),
    totals: {
      postgres_round_trips: snapshot.postgres.round_trips,
      postgres_requests: snapshot.postgres.requests,
      postgres_statements: snapshot.postgres.statements,
      redis_commands: snapshot.redis.commands,
      postgres_connections_opened: snapshot.postgres.connections,
      redis_connections_opened: snapshot.redis.connections,
    },
    // per message, the most frequent first
    statements_per_message: eachOf(snapshot.postgres.by_statement),
    redis_commands_per_message: eachOf(snapshot.redis.by_command),
  };
}

/**
 * The counting phase: the service runs behind the counting proxies (`counter`), gets a short
 * warm-up, then P.countMessages messages at FIXED_RATE and as many again at max (autocannon);
 * every PostgreSQL round trip, statement and Redis command from the first POST until the last
 * webhook is recorded (and, for Conversa, nothing is left pending) is divided by the messages
 * created (stored with the phase's source_id prefix, whatever their requests' answers), so the
 * background work (relay, fan-out, delivery, job bookkeeping) is included. Also the idle rate
 * (per second, nothing sent) to tell background polling apart. `hasBacklog`: the service keeps
 * Conversa's outbox and deliveries tables, so the end waits until nothing is pending.
 */
async function countSuite(name, tag, url, conversations, receiver, counter, db, hasBacklog) {
  const settle = async () => {
    if (hasBacklog) await quiesce(db, `${name} counting`);
    // the last jobs' bookkeeping (Bull's completion) follows the webhook's answer
    await sleep(500);
  };
  log(`${name}: counting warm-up ${P.countWarmupS} s at ${FIXED_RATE} msg/s`);
  const warm = await pacedLoad({
    origin: url,
    rate: FIXED_RATE,
    durationS: P.countWarmupS,
    timeoutMs: P.requestTimeoutMs,
    makeRequest: messageMaker(conversations, `${tag}w`),
  });
  await drain(receiver, `${tag}w`, warm, warm.lastAnswerAt);
  await settle();

  await counter.reset();
  const idleStarted = performance.now();
  await sleep(2_000);
  const idle = await counter.snapshot();
  const idleS = (performance.now() - idleStarted) / 1000;
  const out = {
    idle_per_s: {
      postgres_round_trips: round(idle.postgres.round_trips / idleS, 1),
      redis_commands: round(idle.redis.commands / idleS, 1),
    },
  };

  const measure = async (label, prefix, send) => {
    await counter.reset();
    const started = performance.now();
    const load = await send(messageMaker(conversations, prefix));
    const delivery = await drain(receiver, prefix, load, load.lastAnswerAt);
    await settle();
    const snapshot = await counter.snapshot();
    const {
      rows: [{ created }],
    } = await db.query(`SELECT count(*)::int AS created FROM messages WHERE source_id LIKE $1`, [
      `${prefix}-%`,
    ]);
    out[label] = {
      ...perMessage(snapshot, created, (performance.now() - started) / 1000),
      api: apiFigures(load),
      delivered: delivery.delivered,
      missing: delivery.missing,
    };
    log(
      `${name}: ${label} per message: ${out[label].postgres_round_trips} PostgreSQL round trips, ${out[label].postgres_statements} statements, ${out[label].redis_commands} Redis commands (${created} messages)`,
    );
  };
  log(`${name}: counting ${P.countMessages} messages at ${FIXED_RATE} msg/s`);
  await measure('at_200', `${tag}a`, (makeRequest) =>
    pacedLoad({
      origin: url,
      rate: FIXED_RATE,
      durationS: P.countMessages / FIXED_RATE,
      timeoutMs: P.requestTimeoutMs,
      makeRequest,
    }),
  );
  log(`${name}: counting ${P.countMessages} messages at max (${P.connections} connections)`);
  await measure('at_max', `${tag}m`, (makeRequest) =>
    maxLoad({
      url,
      connections: P.connections,
      amount: P.countMessages,
      maxTimeS: P.burstCapS,
      makeRequest,
    }),
  );
  return out;
}

/** 100,000 (quick: 10,000) conversations with a message each, by bulk SQL, in their own account. */
async function seedReadAccount(db, url, count) {
  const account = await seedAccount(db, 'Readers');
  const inbox = await createInbox(url, account, 'Readers API', null);
  const second = await createInbox(url, account, 'Readers API 2', null);
  const started = performance.now();
  await db.query('BEGIN');
  try {
    await db.query(
      `INSERT INTO contacts (account_id, name, email, identifier, created_at, updated_at)
     SELECT $1, 'Reader ' || g, 'reader' || g || '@bench.test', 'reader-' || g, now() - g * interval '1 minute', now()
       FROM generate_series(1, $2) g`,
      [account.accountId, count],
    );
    await db.query(
      `INSERT INTO contact_inboxes (contact_id, inbox_id, source_id, pubsub_token)
     SELECT c.id, CASE WHEN c.id % 5 = 0 THEN $3::int ELSE $2::int END, 'reader-src-' || c.id, md5('pubsub' || c.id || random())
       FROM contacts c WHERE c.account_id = $1`,
      [account.accountId, inbox.id, second.id],
    );
    await db.query(
      `INSERT INTO conversations (account_id, inbox_id, contact_id, contact_inbox_id, display_id, status, priority,
                                assignee_id, labels, waiting_since, last_activity_at, created_at, updated_at)
     SELECT $1, ci.inbox_id, ci.contact_id, ci.id, row_number() OVER (ORDER BY ci.id),
            (ARRAY['open', 'open', 'open', 'pending', 'resolved', 'resolved', 'snoozed'])[1 + ci.id % 7],
            (ARRAY[NULL, NULL, 'low', 'medium', 'high', 'urgent'])[1 + ci.id % 6],
            CASE WHEN ci.id % 3 = 0 THEN $2::int END,
            CASE WHEN ci.id % 10 = 0 THEN ARRAY['vip'] WHEN ci.id % 10 = 1 THEN ARRAY['billing', 'vip'] ELSE '{}' END,
            now() - (ci.id % 1000) * interval '1 minute',
            now() - (random() * interval '90 days'), now() - interval '91 days', now()
       FROM contact_inboxes ci JOIN contacts c ON c.id = ci.contact_id WHERE c.account_id = $1`,
      [account.accountId, account.userId],
    );
    await db.query(
      `INSERT INTO conversation_display_counters (account_id, last_display_id) VALUES ($1, $2)
     ON CONFLICT (account_id) DO UPDATE SET last_display_id = EXCLUDED.last_display_id`,
      [account.accountId, count],
    );
    await db.query(
      `INSERT INTO messages (account_id, inbox_id, conversation_id, message_type, content, sender_type, sender_id, created_at, updated_at)
     SELECT c.account_id, c.inbox_id, c.id, 0, 'Hello, I need help with order ' || c.display_id, 'contact', c.contact_id,
            c.last_activity_at, c.last_activity_at
       FROM conversations c WHERE c.account_id = $1`,
      [account.accountId],
    );
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK').catch(() => {});
    throw error;
  }
  // VACUUM as well: a table of this size has been vacuumed by the time it is read, and the
  // list's counts are index-only scans that rely on the visibility map it sets.
  await db.query('VACUUM ANALYZE contacts, contact_inboxes, conversations, messages');
  return { account, inbox, seconds: round((performance.now() - started) / 1000, 1) };
}

async function readSuite(url, db, memory) {
  await quiesce(db, 'read');
  log(`read: seeding ${P.readSeed.toLocaleString('en')} conversations by bulk SQL`);
  const { account, inbox, seconds } = await seedReadAccount(db, url, P.readSeed);
  log(`read: seeded in ${seconds} s`);
  const base = `/api/v1/accounts/${account.accountId}/conversations`;
  const queries = [
    `${base}?status=open`,
    `${base}?status=open&assignee_type=unassigned`,
    `${base}?status=pending&assignee_type=assigned`,
    `${base}?status=all&labels%5B%5D=vip`,
    `${base}?status=resolved&inbox_id=${inbox.id}&page=3`,
    `${base}?status=open&assignee_type=me&sort_by=created_at_desc`,
  ];
  for (const path of queries) {
    const { status, body } = await api(url, 'GET', path, { token: account.token });
    if (status !== 200)
      throw new Error(`GET ${path}: ${status} ${JSON.stringify(body).slice(0, 300)}`);
  }
  const makeRequest = (index) => ({ path: queries[index % queries.length] });
  const headers = { api_access_token: account.token };
  // Like the ingest phases: a warm-up first, not measured (the pool's connections and the
  // server's code are cold right after the start; the first second ran at 150-200 ms).
  log(`read: warm-up ${P.warmupS} s at ${READ_RATE} req/s (not measured)`);
  await pacedLoad({
    origin: url,
    method: 'GET',
    rate: READ_RATE,
    durationS: P.warmupS,
    timeoutMs: P.requestTimeoutMs,
    makeRequest,
    headers,
  });
  log(
    `read: conversation list at ${READ_RATE} req/s for ${P.readS} s (paced, ${queries.length} filter combinations)`,
  );
  memory?.phase();
  const paced = await pacedLoad({
    origin: url,
    method: 'GET',
    rate: READ_RATE,
    durationS: P.readS,
    timeoutMs: P.requestTimeoutMs,
    makeRequest,
    headers,
  });
  log(`read: conversation list at max for ${P.readMaxS} s (autocannon, 16 connections)`);
  const max = await maxLoad({
    url,
    method: 'GET',
    connections: 16,
    durationS: P.readMaxS,
    makeRequest,
    headers,
  });
  return {
    conversations: P.readSeed,
    seed_seconds: seconds,
    filters: queries.map((path) => path.slice(base.length) || '(none)'),
    fixed_100: { rate: READ_RATE, api: apiFigures(paced) },
    max: { api: apiFigures(max) },
    peak_rss_mb: memory?.phase(),
    hists: { paced: paced.hist },
  };
}

function strip(value) {
  if (Array.isArray(value)) return value.map(strip);
  if (value instanceof Set) return value.size;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'hists' && key !== 'hist')
        .map(([key, inner]) => [key, strip(inner)]),
    );
  }
  return value;
}

function versions(db) {
  const read = (command, args) => {
    try {
      return execFileSync(command, args, {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      return null;
    }
  };
  return Promise.all([
    db.query('SHOW server_version').then(({ rows }) => rows[0].server_version),
  ]).then(([postgres]) => ({
    postgres,
    redis: read('redis-server', ['--version'])?.match(/v=(\S+)/)?.[1] ?? null,
    commit: read('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']),
    dirty: Boolean(read('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no'])),
  }));
}

/** The chart's bar panel: per-message costs and the headline figures of each service. */
function sideBySide(report) {
  const services = ['Conversa', 'Reference', 'Conversa api + worker'];
  const of = (conversa, reference, twoProcess) => [conversa, reference, twoProcess];
  const counts = report.round_trips ?? {};
  const measures = [
    {
      label: `PostgreSQL round trips per message (${FIXED_RATE} msg/s)`,
      values: of(
        counts.conversa?.at_200.postgres_round_trips,
        counts.reference?.at_200.postgres_round_trips,
      ),
      digits: 2,
    },
    {
      label: 'PostgreSQL round trips per message at max',
      values: of(
        counts.conversa?.at_max.postgres_round_trips,
        counts.reference?.at_max.postgres_round_trips,
      ),
      digits: 2,
    },
    {
      label: `PostgreSQL statements per message (${FIXED_RATE} msg/s)`,
      values: of(
        counts.conversa?.at_200.postgres_statements,
        counts.reference?.at_200.postgres_statements,
      ),
      digits: 2,
    },
    {
      label: `Redis commands per message (${FIXED_RATE} msg/s)`,
      values: of(counts.conversa?.at_200.redis_commands, counts.reference?.at_200.redis_commands),
      digits: 2,
    },
    {
      label: 'Ingest at max, webhooks keeping up (msg/s)',
      values: of(
        report.conversa?.max.sustained_msgs_per_s,
        report.reference?.max.sustained_msgs_per_s,
        report.two_process?.max.sustained_msgs_per_s,
      ),
      digits: 0,
    },
    {
      label: `POST→webhook p99 at ${FIXED_RATE} msg/s (ms)`,
      values: of(
        report.conversa?.fixed_200.delivery.e2e.p99,
        report.reference?.fixed_200.delivery.e2e.p99,
        report.two_process?.fixed_200.delivery.e2e.p99,
      ),
    },
    {
      label: 'Peak RSS (MB; api + worker: both together)',
      values: of(
        report.memory?.peakRssMb,
        report.reference_memory?.peakRssMb,
        report.two_process?.memory.total,
      ),
      digits: 0,
    },
  ]
    .map((measure) => ({
      ...measure,
      values: measure.values.map((value) => (typeof value === 'number' ? value : null)),
    }))
    .filter((measure) => measure.values.some((value) => value !== null));
  return measures.length > 0
    ? { title: 'Side by side (one run; round trips counted through proxies)', services, measures }
    : undefined;
}

/**
 * Issue 17's targets, each with the figure it reads and whether it is met (null when not
 * measured). The burst target is for 10,000 messages: a quick run's smaller burst only hints.
 */
function targetsOf(report) {
  const c = report.conversa;
  const figure = (value, test) =>
    value === null || value === undefined
      ? { value: null, met: null }
      : { value, met: test(value) };
  const clean = (a) => a.errors + a.non2xx + (a.dropped ?? 0) === 0;
  return {
    ingest_ratio: {
      target: '≥ 1.0 × reference, 0 errors',
      ...figure(report.ratio?.sustained_ingest, (v) => v >= 1 && clean(c.max.api)),
    },
    api_p99_at_200: {
      target: 'p99 ≤ 15 ms',
      ...figure(c?.fixed_200.api.latency.p99, (v) => v <= 15),
    },
    e2e_at_200: {
      target: 'p50 ≤ 10 ms, p99 ≤ 50 ms',
      ...figure(
        c && c.fixed_200.delivery.e2e.count
          ? [c.fixed_200.delivery.e2e.p50, c.fixed_200.delivery.e2e.p99]
          : null,
        ([p50, p99]) => p50 <= 10 && p99 <= 50 && c.fixed_200.delivery.missing === 0,
      ),
    },
    burst: {
      target: '10,000: last webhook ≤ 5 s after the last POST',
      ...figure(
        c?.burst.delivery.last_post_to_last_webhook_ms,
        (v) => v <= 5_000 && c.burst.delivery.missing === 0,
      ),
      // a quick run's burst is smaller: its figure only hints
      ...(c && c.burst.messages < 10_000 ? { met: null, burst_messages: c.burst.messages } : {}),
    },
    peak_rss: {
      target: 'peak RSS ≤ 300 MB',
      ...figure(report.memory?.peakRssMb, (v) => v <= 300),
    },
    list_p99: {
      target: 'p99 ≤ 50 ms',
      ...figure(report.read?.fixed_100.api.latency.p99, (v) => v <= 50),
    },
  };
}

function printReport(report) {
  const rows = [];
  const targets = report.targets ?? {};
  const errs = (a) => `${a.errors}/${a.non2xx}/${a.dropped ?? 0}`;
  const lat = (l) => (l && l.count ? `${l.p50} / ${l.p95} / ${l.p99}` : '-');
  const rss = (v) => (v && typeof v === 'object' ? `${v.api} + ${v.worker}` : v);
  /** A target's text with its verdict, on Conversa's (single process) rows only. */
  const target = (service, key) => {
    const t = targets[key];
    if (service !== 'conversa' || !t) return '';
    const verdict = t.met === true ? 'met' : t.met === false ? 'NOT MET' : 'n/a';
    return `${t.target}: ${verdict}`;
  };
  const add = (service, s) => {
    if (!s) return;
    rows.push([
      service,
      'ingest max (req/s)',
      s.max.api.rps,
      lat(s.max.api.latency),
      errs(s.max.api),
      `${s.max.delivery.delivered}/${s.max.delivery.accepted} @ ${s.max.delivery.delivered_per_s}/s`,
      rss(s.max.peak_rss_mb),
      target(service, 'ingest_ratio'),
    ]);
    for (const key of ['fixed_200', 'fixed_80pct']) {
      const f = s[key];
      if (!f) continue;
      rows.push([
        service,
        `${f.rate} msg/s: API`,
        f.api.ok,
        lat(f.api.latency),
        errs(f.api),
        '',
        rss(f.peak_rss_mb),
        key === 'fixed_200' ? target(service, 'api_p99_at_200') : '',
      ]);
      rows.push([
        service,
        `${f.rate} msg/s: POST->webhook`,
        f.delivery.delivered,
        lat(f.delivery.e2e),
        '',
        `missing ${f.delivery.missing}`,
        '',
        key === 'fixed_200' ? target(service, 'e2e_at_200') : '',
      ]);
    }
    const b = s.burst;
    if (!b) return;
    rows.push([
      service,
      `burst ${b.messages}`,
      `${b.api.rps} req/s`,
      lat(b.api.latency),
      errs(b.api),
      `last webhook +${b.delivery.last_post_to_last_webhook_ms} ms, missing ${b.delivery.missing}`,
      rss(b.peak_rss_mb),
      target(service, 'burst'),
    ]);
  };
  add('conversa', report.conversa);
  add('api+worker', report.two_process);
  add('reference', report.reference);
  if (report.read) {
    const r = report.read;
    rows.push([
      'conversa',
      `list @${r.fixed_100.rate}/s (${r.conversations.toLocaleString('en')} convs)`,
      r.fixed_100.api.ok,
      lat(r.fixed_100.api.latency),
      errs(r.fixed_100.api),
      '',
      r.peak_rss_mb,
      target('conversa', 'list_p99'),
    ]);
    rows.push([
      'conversa',
      'list max (req/s)',
      r.max.api.rps,
      lat(r.max.api.latency),
      errs(r.max.api),
      '',
      '',
      '',
    ]);
  }
  if (report.memory) {
    rows.push([
      'conversa',
      'peak RSS, whole run (MB)',
      '',
      '',
      '',
      '',
      report.memory.peakRssMb,
      target('conversa', 'peak_rss'),
    ]);
  }
  if (report.two_process) {
    const m = report.two_process.memory;
    rows.push(['api+worker', 'peak RSS (MB)', '', '', '', '', `${m.api} + ${m.worker}`, '']);
  }
  if (report.reference_memory) {
    rows.push([
      'reference',
      'peak RSS (MB)',
      '',
      '',
      '',
      '',
      report.reference_memory.peakRssMb,
      '',
    ]);
  }
  if (rows.length > 0)
    console.log(
      '\n' +
        table(rows, [
          'service',
          'measure',
          'count / rate',
          'p50 / p95 / p99 ms',
          'err/non2xx/dropped',
          'webhooks',
          'peak RSS MB',
          'target (issue 17)',
        ]),
    );
  if (report.round_trips) {
    const counted = [];
    for (const [service, phases] of Object.entries(report.round_trips)) {
      for (const [label, f] of [
        [`${FIXED_RATE} msg/s`, phases.at_200],
        ['at max', phases.at_max],
      ]) {
        counted.push([
          service,
          label,
          f.messages,
          f.postgres_round_trips,
          f.postgres_statements,
          f.redis_commands,
          f.totals.postgres_connections_opened,
        ]);
      }
      counted.push([
        service,
        'idle (per second)',
        '',
        phases.idle_per_s.postgres_round_trips,
        '',
        phases.idle_per_s.redis_commands,
        '',
      ]);
    }
    console.log(
      `\nPer message, counted through proxies (${P.countMessages} messages a phase, from the first POST until every webhook is delivered):\n` +
        table(counted, [
          'service',
          'phase',
          'messages',
          'PG round trips',
          'PG statements',
          'Redis commands',
          'PG connections opened',
        ]),
    );
    if (report.round_trips_ratio)
      console.log(
        `Conversa / reference, PostgreSQL round trips per message: ${report.round_trips_ratio.postgres_round_trips_at_200} at ${FIXED_RATE} msg/s, ${report.round_trips_ratio.postgres_round_trips_at_max} at max`,
      );
    const top = Object.entries(report.round_trips.conversa?.at_200.statements_per_message ?? {});
    if (top.length > 0) {
      console.log(`\nConversa's statements per message at ${FIXED_RATE} msg/s (most frequent):`);
      for (const [sql, count] of top.slice(0, 10))
        console.log(`  ${String(count).padStart(5)}  ${sql.slice(0, 110)}`);
    }
  }
  if (report.ratio) {
    console.log(
      `\nConversa / reference, sustained ingest with delivery: ${report.ratio.sustained_ingest} (${report.conversa.max.sustained_msgs_per_s} vs ${report.reference.max.sustained_msgs_per_s} msg/s)`,
    );
    console.log(
      `Conversa / reference: API max req/s ${report.ratio.api_max_rps}, POST->webhook p99 at ${FIXED_RATE}/s ${report.ratio.e2e_p99_at_200}, burst of ${P.burst} first POST to last webhook ${report.ratio.burst_total_time}`,
    );
  }
  if (report.two_process) {
    const t = report.two_process;
    console.log(
      `Conversa api + worker / single process: sustained ingest ${t.vs_single.sustained_ingest} (${t.max.sustained_msgs_per_s} msg/s), POST->webhook p99 at ${FIXED_RATE}/s ${t.vs_single.e2e_p99_at_200}; peak RSS api ${t.memory.api} MB + worker ${t.memory.worker} MB (together ${t.memory.total} MB)`,
    );
  }
  if (report.memory)
    console.log(
      `Conversa peak RSS: ${report.memory.peakRssMb} MB sampled, VmHWM ${report.memory.vmHwmMb} MB`,
    );
  console.log(`\n${report.note}`);
}

/** `--uploads`: the server's RSS while ten 40 MB attachments upload at once. */
async function uploadsMain() {
  const name = runName('bench');
  log(`bench uploads run ${name}: database and Redis prefix ${name}`);
  mkdirSync(RESULTS, { recursive: true });
  const databaseUrl = await createDatabase(name);
  cleanRedisPrefixAtExit(SHARED_REDIS_URL, name);
  const port = await freePort();
  const server = await startConversa({
    port,
    env: {
      DATABASE_URL: databaseUrl,
      REDIS_URL: SHARED_REDIS_URL,
      REDIS_PREFIX: name,
      PUBLIC_URL: 'http://127.0.0.1',
      ...uploadServerEnv(),
    },
  });
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  onCleanup('close bench db client', () => db.end());
  const report = {
    generated_at: new Date().toISOString(),
    machine: machine(),
    uploads: await uploadSuite(server, db),
    conversa_server_error_lines: server.errorLines(),
  };
  await server.stop(30_000);
  writeFileSync(`${RESULTS}uploads-latest.json`, JSON.stringify(report, null, 2) + '\n');
  console.log(table([Object.values(report.uploads)], Object.keys(report.uploads)));
  log('wrote bench/results/uploads-latest.json');
  return 0;
}

async function main() {
  if (args.uploads) return uploadsMain();
  const started = performance.now();
  const readOnly = args['read-only'];
  const countOnly = args['round-trips-only'];
  const name = runName('bench');
  const refPrefix = `${name}_ref`;
  log(
    `bench ${args.quick ? '(quick) ' : ''}${readOnly ? '(read only) ' : ''}${countOnly ? '(round trips only) ' : ''}run ${name}: database and Redis prefix ${name}`,
  );
  mkdirSync(RESULTS, { recursive: true });

  const databaseUrl = await createDatabase(name);
  cleanRedisPrefixAtExit(SHARED_REDIS_URL, name);
  cleanRedisPrefixAtExit(SHARED_REDIS_URL, refPrefix);
  const receiver = readOnly ? null : await startReceiver(await freePort());

  const serverEnv = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: SHARED_REDIS_URL,
    REDIS_PREFIX: name,
    RATE_LIMIT_PER_CREDENTIAL: '100000000',
    RATE_LIMIT_PER_IP: '100000000',
    WEBHOOK_ALLOWED_TARGETS: '127.0.0.0/8',
    PUBLIC_URL: 'http://127.0.0.1',
  };
  // The counting proxies, started once for whichever services are counted.
  let counter = null;
  const countingProxies = async () =>
    (counter ??= await startWireCounter({ databaseUrl, redisUrl: SHARED_REDIS_URL }));
  const counting = !readOnly && !args['skip-round-trips'];
  const countedEnv = async () => {
    const proxies = await countingProxies();
    return { ...serverEnv, DATABASE_URL: proxies.databaseUrl, REDIS_URL: proxies.redisUrl };
  };

  const port = await freePort();
  const nodeArgs = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${RESULTS}`] : [];
  // --round-trips-only: the one server is the counted one (seeding is not counted)
  log(
    `starting Conversa (production build)${countOnly ? ' behind the counting proxies' : ''} on :${port}`,
  );
  const server = await startConversa({
    port,
    env: countOnly ? await countedEnv() : serverEnv,
    nodeArgs,
  });
  const memory = sampleMemory(server.pid);

  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  onCleanup('close bench db client', () => db.end());
  const report = {
    generated_at: new Date().toISOString(),
    mode: `${args.quick ? 'quick' : 'full'}${readOnly ? ' read-only' : ''}${countOnly ? ' round-trips-only' : ''}`,
    machine: machine(),
    versions: await versions(db),
    parameters: { ...P, fixed_rate: FIXED_RATE, read_rate: READ_RATE },
    note: 'Taken on a shared 2-core machine (server, PostgreSQL, Redis, load generator and receiver on the same cores, other work running): compare the Conversa/reference ratio of one run, not absolute figures across runs.',
  };

  let conversations = [];
  if (!readOnly) {
    const account = await seedAccount(db, 'Bench');
    const inbox = await createInbox(server.url, account, 'Bench API', receiver.url);
    log(`creating ${P.conversations} contacts and conversations through the Client API`);
    conversations = await createConversations(server.url, inbox, P.conversations, 'bench');

    if (!countOnly)
      report.conversa = await ingestSuite(
        'conversa',
        'c',
        server.url,
        conversations,
        receiver,
        memory,
        db,
      );
  }
  if (!args['skip-read'] && !countOnly) report.read = await readSuite(server.url, db, memory);
  const singleMemory = memory.stop();
  if (!countOnly) {
    report.memory = singleMemory;
    report.conversa_server_error_lines = server.errorLines();
    log(
      `stopping Conversa (peak RSS ${report.memory.peakRssMb} MB, VmHWM ${report.memory.vmHwmMb} MB)`,
    );
    await server.stop(30_000);
  }

  if (counting) {
    const proxies = await countingProxies();
    let counted = server;
    if (!countOnly) {
      const countedPort = await freePort();
      log(`starting Conversa behind the counting proxies on :${countedPort}`);
      counted = await startConversa({
        port: countedPort,
        label: 'conversa (counted)',
        env: await countedEnv(),
      });
    }
    report.round_trips = {
      conversa: await countSuite(
        'conversa',
        'cq',
        counted.url,
        conversations,
        receiver,
        proxies,
        db,
        true,
      ),
    };
    report.conversa_server_error_lines =
      (report.conversa_server_error_lines ?? 0) + counted.errorLines();
    await counted.stop(30_000);
  }

  if (!readOnly && !countOnly && !args['skip-two-process']) {
    const apiPort = await freePort();
    log(`starting Conversa as two processes: PROCESS_ROLE=api on :${apiPort}, PROCESS_ROLE=worker`);
    const apiProcess = await startConversa({
      port: apiPort,
      label: 'conversa-api',
      env: { ...serverEnv, PROCESS_ROLE: 'api' },
      nodeArgs,
    });
    const worker = await startConversaWorker({ env: serverEnv, nodeArgs });
    const memories = sampleMemories({ api: apiProcess.pid, worker: worker.pid });
    report.two_process = await ingestSuite(
      'conversa api+worker',
      't',
      apiProcess.url,
      conversations,
      receiver,
      memories,
      db,
      ['max', 'fixed_200'],
    );
    report.two_process.memory = memories.stop();
    report.two_process.server_error_lines = apiProcess.errorLines() + worker.errorLines();
    report.two_process.vs_single = {
      sustained_ingest: round(
        report.two_process.max.sustained_msgs_per_s / report.conversa.max.sustained_msgs_per_s,
        2,
      ),
      e2e_p99_at_200: round(
        report.two_process.fixed_200.delivery.e2e.p99 / report.conversa.fixed_200.delivery.e2e.p99,
        2,
      ),
    };
    log(
      `stopping Conversa api + worker (peak RSS api ${report.two_process.memory.api} MB, worker ${report.two_process.memory.worker} MB)`,
    );
    await apiProcess.stop(30_000);
    await worker.stop(30_000);
  }

  const startReference = async (label, env) => {
    const refPort = await freePort();
    log(`starting the ${label} (bench/reference/server.mjs) on :${refPort}`);
    const handle = startChild({
      label,
      args: [new URL('./reference/server.mjs', import.meta.url).pathname],
      env: {
        NODE_ENV: 'production',
        PORT: String(refPort),
        DATABASE_URL: databaseUrl,
        REDIS_URL: SHARED_REDIS_URL,
        REDIS_PREFIX: refPrefix,
        ...env,
      },
    });
    handle.url = `http://127.0.0.1:${refPort}`;
    await waitHealthy(handle, `${handle.url}/health`);
    return handle;
  };
  if (counting && !args['skip-reference']) {
    const proxies = await countingProxies();
    const counted = await startReference('reference service behind the counting proxies', {
      DATABASE_URL: proxies.databaseUrl,
      REDIS_URL: proxies.redisUrl,
    });
    report.round_trips.reference = await countSuite(
      'reference',
      'rq',
      counted.url,
      conversations,
      receiver,
      proxies,
      db,
      false,
    );
    await counted.stop(10_000);
  }
  if (!args['skip-reference'] && !readOnly && !countOnly) {
    const reference = await startReference('reference service', {});
    const refMemory = sampleMemory(reference.pid);
    report.reference = await ingestSuite(
      'reference',
      'r',
      reference.url,
      conversations,
      receiver,
      refMemory,
    );
    report.reference_memory = refMemory.stop();
    await reference.stop(10_000);
    report.ratio = {
      sustained_ingest: round(
        report.conversa.max.sustained_msgs_per_s / report.reference.max.sustained_msgs_per_s,
        2,
      ),
      api_max_rps: round(report.conversa.max.api.rps / report.reference.max.api.rps, 2),
      e2e_p99_at_200: round(
        report.conversa.fixed_200.delivery.e2e.p99 / report.reference.fixed_200.delivery.e2e.p99,
        2,
      ),
      // first POST to last webhook of the burst (a lower bound for Conversa when messages are missing)
      burst_total_time: round(
        report.conversa.burst.delivery.first_post_to_last_webhook_ms /
          Math.max(1, report.reference.burst.delivery.first_post_to_last_webhook_ms),
        2,
      ),
    };
  }
  if (report.round_trips?.reference) {
    const ratio = (phase) =>
      round(
        report.round_trips.conversa[phase].postgres_round_trips /
          Math.max(0.01, report.round_trips.reference[phase].postgres_round_trips),
        2,
      );
    report.round_trips_ratio = {
      postgres_round_trips_at_200: ratio('at_200'),
      postgres_round_trips_at_max: ratio('at_max'),
    };
  }
  await counter?.stop();
  report.targets = targetsOf(report);
  report.machine.load_average_end = machine().load_average;
  report.duration_s = round((performance.now() - started) / 1000, 0);

  const series = [];
  const push = (label, hist, dashed) =>
    hist && hist.totalCount > 0 && series.push({ label, points: curve(hist), dashed });
  push(`Conversa POST→webhook @${FIXED_RATE}/s`, report.conversa?.fixed_200.hists.e2e);
  push(`Reference POST→webhook @${FIXED_RATE}/s`, report.reference?.fixed_200.hists.e2e);
  push(
    `Conversa POST→webhook @${report.conversa?.fixed_80pct.rate}/s (80%)`,
    report.conversa?.fixed_80pct.hists.e2e,
  );
  push(
    `Reference POST→webhook @${report.reference?.fixed_80pct.rate}/s (80%)`,
    report.reference?.fixed_80pct.hists.e2e,
  );
  push(`Conversa API @${FIXED_RATE}/s`, report.conversa?.fixed_200.hists.api, true);
  push(`Reference API @${FIXED_RATE}/s`, report.reference?.fixed_200.hists.api, true);
  push(`api+worker POST→webhook @${FIXED_RATE}/s`, report.two_process?.fixed_200.hists.e2e);
  push(`api+worker API @${FIXED_RATE}/s`, report.two_process?.fixed_200.hists.api, true);
  if (report.read) push(`Conversation list @${READ_RATE}/s`, report.read.hists.paced, true);
  report.curves = Object.fromEntries(series.map((s) => [s.label, s.points]));
  const svg = latencyChart({
    title: readOnly
      ? 'Conversation list latency'
      : 'Latency distributions (Conversa vs hand-written reference)',
    subtitle: `${report.mode} run ${report.generated_at.slice(0, 16)}Z · ${report.machine.cpus} cores (${report.machine.cpu_model}) · shared machine`,
    series,
    bars: readOnly ? undefined : sideBySide(report),
  });
  // A read-only or round-trips-only run writes its own files, so the last full run's results stay.
  const prefix = readOnly ? 'read-' : countOnly ? 'round-trips-' : '';
  if (!countOnly) writeFileSync(`${RESULTS}${prefix}latency.svg`, svg);
  const json = strip(report);
  writeFileSync(`${RESULTS}${prefix}latest.json`, JSON.stringify(json, null, 2) + '\n');
  printReport(json);
  log(
    `wrote bench/results/${prefix}latest.json${countOnly ? '' : ` and bench/results/${prefix}latency.svg`} (${report.duration_s} s)`,
  );
  const late = [
    ...INGEST_PHASES.filter((key) => json.conversa?.[key]?.delivery.missing > 0),
    ...INGEST_PHASES.filter((key) => json.two_process?.[key]?.delivery.missing > 0).map(
      (key) => `api+worker ${key}`,
    ),
  ];
  if (late.length > 0) {
    console.log(
      `Note: some accepted messages had not reached the receiver when the drain window closed (${late.join(', ')}: see "missing").`,
    );
  }
  return 0;
}

if (args.reports) {
  const { reportsBench } = await import('./reports.mjs');
  runMain(() => reportsBench({ quick: args.quick }));
} else if (args.streams) {
  // 50,000 conversations waiting on one endpoint (quick: 10,000): bench/lib/streams.mjs
  const { streamsBench } = await import('./lib/streams.mjs');
  runMain(() => streamsBench({ quick: args.quick }));
} else {
  runMain(main);
}
