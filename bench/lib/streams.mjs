// npm run bench -- --streams [--quick]: delivery with 50,000 conversations (streams) waiting on
// one endpoint (quick: 10,000).
//
// On a fresh database, the production server (with bench/lib/claim-timer.mjs timing each
// delivery claim inside it) and a local receiver, it seeds by set-based SQL one pending
// delivery for each of N streams on the inbox's webhook, then:
//   held:    the N deliveries wait for a retry an hour away (N streams pending, none due), while
//            Client API messages on 100 other conversations go in at max (autocannon);
//   backlog: the N deliveries become due at once, while messages go in at max again.
// For each phase it reports the claim's time per round (ms, p99/mean, as the server's
// connection sees it; and, free of the machine's load, the claim under EXPLAIN ANALYZE: execution
// ms and buffers touched), ingest msg/s against delivered msg/s, and in the backlog phase how
// long everything took to go out. Writes bench/results/streams-latest.json.
import { readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import {
  cleanRedisPrefixAtExit,
  createConversations,
  createDatabase,
  createInbox,
  freePort,
  log,
  machine,
  onCleanup,
  round,
  runName,
  seedAccount,
  SHARED_REDIS_URL,
  sleep,
  startConversa,
  startReceiver,
  table,
} from './common.mjs';
import { histogramOf, maxLoad, summary } from './load.mjs';

const RESULTS = new URL('../results/', import.meta.url).pathname;
const TIMER = new URL('./claim-timer.mjs', import.meta.url).pathname;

/** N pending deliveries on `endpointId`, one per stream, due in an hour, all in one transaction. */
async function seedStreams(db, { accountId, inboxId, endpointId, streams }) {
  const started = performance.now();
  await db.query('BEGIN');
  try {
    const {
      rows: [events],
    } = await db.query(
      `WITH seeded AS (
         INSERT INTO domain_events (name, account_id, inbox_id, stream, sequence, actor_type, payload, dispatched_at)
         SELECT 'bench_waiting', $1, $2, 'bench-stream:' || g, 1, 'system',
                jsonb_build_object('stream', g), now()
           FROM generate_series(1, $3) g
         RETURNING id)
       SELECT min(id) AS first, max(id) AS last FROM seeded`,
      [accountId, inboxId, streams],
    );
    const {
      rows: [deliveries],
    } = await db.query(
      `WITH seeded AS (
         INSERT INTO webhook_deliveries (endpoint_id, event_row_id, stream, sequence, attempts, next_attempt_at, last_error)
         SELECT $1, id, stream, sequence, 1, now() + interval '1 hour', 'bench: waiting for a retry'
           FROM domain_events WHERE id BETWEEN $2 AND $3
         RETURNING id)
       SELECT min(id) AS first, max(id) AS last FROM seeded`,
      [endpointId, events.first, events.last],
    );
    // Versions with stream heads keep one per waiting stream (as their fan-out would).
    const {
      rows: [{ heads }],
    } = await db.query(`SELECT to_regclass('webhook_stream_heads') IS NOT NULL AS heads`);
    if (heads)
      await db.query(
        `INSERT INTO webhook_stream_heads (endpoint_id, stream, sequence, due_at)
         SELECT endpoint_id, stream, sequence, next_attempt_at FROM webhook_deliveries WHERE id BETWEEN $1 AND $2`,
        [deliveries.first, deliveries.last],
      );
    await db.query('COMMIT');
    await db.query('VACUUM ANALYZE domain_events, webhook_deliveries');
    if (heads) await db.query('VACUUM ANALYZE webhook_stream_heads');
    return {
      deliveries: [deliveries.first, deliveries.last],
      heads,
      seconds: round((performance.now() - started) / 1000, 1),
    };
  } catch (error) {
    await db.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** The server's claim figures since the previous call (bench/lib/claim-timer.mjs). */
async function claimFigures(server, file) {
  const before = readDump(file)?.dump ?? 0;
  process.kill(server.pid, 'SIGUSR2');
  for (let waited = 0; waited < 5_000; waited += 20) {
    const dump = readDump(file);
    if (dump && dump.dump > before) {
      const hist = histogramOf(dump.durations);
      const total = dump.durations.reduce((sum, value) => sum + value, 0);
      return {
        statement: dump.statement,
        rounds: dump.durations.length,
        claimed: dump.claimed,
        ms_mean: dump.durations.length ? round(total / dump.durations.length, 2) : null,
        ms: summary(hist),
      };
    }
    await sleep(20);
  }
  throw new Error('the server did not report its claim figures');
}

/**
 * The claim as PostgreSQL runs it, without the machine's load in the figure: the statement the
 * server last ran, with its parameters, under EXPLAIN (ANALYZE, BUFFERS) in a transaction that
 * is rolled back. Median of `runs`: execution ms and buffers touched (shared hit + read).
 */
async function explainClaim(db, statement, oneDue, runs = 5) {
  if (!statement) return null;
  const samples = [];
  for (let run = 0; run < runs; run += 1) {
    await db.query('BEGIN');
    try {
      // One stream with a delivery due, as under traffic (with none due, a plan may skip the
      // work altogether); rolled back with the rest.
      if (oneDue) await addOneDue(db, oneDue);
      const {
        rows: [row],
      } = await db.query({
        text: `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.text}`,
        values: statement.values,
      });
      const [plan] = row['QUERY PLAN'];
      samples.push({
        ms: plan['Execution Time'],
        buffers: plan.Plan['Shared Hit Blocks'] + plan.Plan['Shared Read Blocks'],
      });
    } finally {
      await db.query('ROLLBACK');
    }
  }
  const median = (key) => samples.map((sample) => sample[key]).sort((a, b) => a - b)[runs >> 1];
  return {
    execution_ms: round(median('ms'), 3),
    buffers: median('buffers'),
    parameters: statement.values,
  };
}

/** A stream with one delivery due now on the endpoint (and its head, where heads exist). */
async function addOneDue(db, { accountId, inboxId, endpointId, heads }) {
  const {
    rows: [delivery],
  } = await db.query(
    `WITH event AS (
       INSERT INTO domain_events (name, account_id, inbox_id, stream, sequence, actor_type, payload, dispatched_at)
       VALUES ('bench_waiting', $1, $2, 'bench-due', 1, 'system', '{}', now()) RETURNING id, stream, sequence)
     INSERT INTO webhook_deliveries (endpoint_id, event_row_id, stream, sequence)
     SELECT $3, id, stream, sequence FROM event RETURNING stream, sequence`,
    [accountId, inboxId, endpointId],
  );
  if (heads)
    await db.query(
      `INSERT INTO webhook_stream_heads (endpoint_id, stream, sequence, due_at) VALUES ($1, $2, $3, now())`,
      [endpointId, delivery.stream, delivery.sequence],
    );
}

function readDump(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Waits until the receiver has every accepted message of `prefix` (or nothing moved for 10 s). */
async function delivered(receiver, prefix, load, timeoutS) {
  const deadline = Date.now() + timeoutS * 1000;
  let progress = await receiver.call('progress', { prefix });
  let lastChange = Date.now();
  while (
    progress.distinct < load.accepted.size &&
    Date.now() < deadline &&
    Date.now() - lastChange < 10_000
  ) {
    await sleep(100);
    const next = await receiver.call('progress', { prefix });
    if (next.distinct !== progress.distinct) lastChange = Date.now();
    progress = next;
  }
  const windowS = progress.lastAt ? (progress.lastAt - load.startedAt) / 1000 : 0;
  return {
    accepted: load.accepted.size,
    delivered: progress.distinct,
    last_post_to_last_webhook_ms: progress.lastAt
      ? Math.max(0, round(progress.lastAt - load.lastAnswerAt, 0))
      : null,
    delivered_per_s: windowS > 0 ? round(progress.distinct / windowS, 1) : 0,
  };
}

export async function streamsBench({ quick }) {
  const P = quick
    ? { streams: 10_000, live: 50, connections: 16, phaseS: 6, drainS: 60 }
    : { streams: 50_000, live: 100, connections: 32, phaseS: 20, drainS: 240 };
  const name = runName('bench');
  log(`bench streams ${quick ? '(quick) ' : ''}run ${name}: database and Redis prefix ${name}`);
  mkdirSync(RESULTS, { recursive: true });
  const databaseUrl = await createDatabase(name);
  cleanRedisPrefixAtExit(SHARED_REDIS_URL, name);
  const receiver = await startReceiver(await freePort());
  const timerFile = join(tmpdir(), `${name}-claims.json`);
  onCleanup('remove claim timer file', () => rmSync(timerFile, { force: true }));
  const server = await startConversa({
    port: await freePort(),
    nodeArgs: ['--import', TIMER],
    healthTimeoutMs: 180_000,
    env: {
      DATABASE_URL: databaseUrl,
      REDIS_URL: SHARED_REDIS_URL,
      REDIS_PREFIX: name,
      RATE_LIMIT_PER_CREDENTIAL: '100000000',
      RATE_LIMIT_PER_IP: '100000000',
      WEBHOOK_ALLOWED_TARGETS: '127.0.0.0/8',
      PUBLIC_URL: 'http://127.0.0.1',
      CLAIM_TIMER_FILE: timerFile,
    },
  });
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  onCleanup('close bench db client', () => db.end());

  const account = await seedAccount(db, 'Streams');
  const inbox = await createInbox(server.url, account, 'Streams API', receiver.url);
  const {
    rows: [{ id: endpointId }],
  } = await db.query(`SELECT id FROM webhook_endpoints WHERE kind = 'inbox' AND inbox_id = $1`, [
    inbox.id,
  ]);
  log(`creating ${P.live} conversations to send messages to, through the Client API`);
  const live = await createConversations(server.url, inbox, P.live, 'live');
  log(`seeding ${P.streams.toLocaleString('en')} waiting streams by SQL`);
  const seed = await seedStreams(db, {
    accountId: account.accountId,
    inboxId: inbox.id,
    endpointId,
    streams: P.streams,
  });
  log(`seeded in ${seed.seconds} s`);
  const messages = (prefix) => (index, sentAtWall) => ({
    path: live[index % live.length].path,
    body: `{"content":"t=${sentAtWall.toFixed(3)} streams bench ${index}","source_id":"${prefix}-${index}"}`,
  });
  const ingest = async (prefix) => {
    const load = await maxLoad({
      url: server.url,
      connections: P.connections,
      durationS: P.phaseS,
      makeRequest: messages(prefix),
    });
    return { load, delivery: await delivered(receiver, prefix, load, P.drainS) };
  };
  const waitingLeft = async () => {
    const {
      rows: [row],
    } = await db.query(
      `SELECT count(*)::int AS n FROM webhook_deliveries WHERE id BETWEEN $1 AND $2 AND status = 'pending'`,
      seed.deliveries,
    );
    return row.n;
  };

  // Warm-up (not measured): the server's code and its connections are cold after the start.
  await ingest('sw');
  await claimFigures(server, timerFile);

  log(`held: ${P.streams.toLocaleString('en')} streams waiting, messages at max for ${P.phaseS} s`);
  const held = await ingest('sh');
  const { statement, ...heldClaims } = await claimFigures(server, timerFile);
  log('held: EXPLAIN ANALYZE of the claim with every stream waiting and one more due');
  const oneDue = { accountId: account.accountId, inboxId: inbox.id, endpointId, heads: seed.heads };
  heldClaims.explain_one_due = await explainClaim(db, statement, oneDue);

  log(`backlog: the ${P.streams.toLocaleString('en')} waiting deliveries due now, messages at max`);
  await db.query(
    `UPDATE webhook_deliveries SET next_attempt_at = now() WHERE id BETWEEN $1 AND $2`,
    seed.deliveries,
  );
  if (seed.heads)
    await db.query(
      `UPDATE webhook_stream_heads SET due_at = now() WHERE endpoint_id = $1 AND due_at IS NOT NULL`,
      [endpointId],
    );
  const explainAllDue = await explainClaim(db, statement);
  const backlogStarted = performance.now();
  const load = await maxLoad({
    url: server.url,
    connections: P.connections,
    durationS: P.phaseS,
    makeRequest: messages('sb'),
  });
  const leftAfterIngest = await waitingLeft();
  // Oldest due first: the waiting deliveries go before the new messages, so wait for both.
  let left = leftAfterIngest;
  let progress = await receiver.call('progress', { prefix: 'sb' });
  const drainDeadline = Date.now() + P.drainS * 1000;
  while ((left > 0 || progress.distinct < load.accepted.size) && Date.now() < drainDeadline) {
    await sleep(250);
    left = await waitingLeft();
    progress = await receiver.call('progress', { prefix: 'sb' });
  }
  const backlogSeconds = (performance.now() - backlogStarted) / 1000;
  const backlogClaims = await claimFigures(server, timerFile);
  delete backlogClaims.statement;
  backlogClaims.explain_all_due = explainAllDue;

  const phase = ({ load, delivery }, claims) => ({
    ingest_msgs_per_s: load.rps,
    api_errors: load.errors + load.non2xx,
    ...delivery,
    // Every message out, at the rate they came in (a lag that grows lowers delivered/s).
    keeps_pace:
      delivery.delivered >= delivery.accepted && delivery.delivered_per_s >= 0.9 * load.rps,
    claim: claims,
  });
  const report = {
    generated_at: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    machine: machine(),
    parameters: P,
    seed,
    held: phase(held, heldClaims),
    backlog: {
      ingest_msgs_per_s: load.rps,
      api_errors: load.errors + load.non2xx,
      accepted: load.accepted.size,
      delivered: progress.distinct,
      waiting_left_after_ingest: leftAfterIngest,
      waiting_left_at_end: left,
      // Everything that went out in the phase: the waiting deliveries and the new messages.
      delivered_per_s: round((P.streams - left + progress.distinct) / backlogSeconds, 1),
      seconds_to_deliver_all:
        left === 0 && progress.distinct >= load.accepted.size ? round(backlogSeconds, 1) : null,
      keeps_pace: left === 0 && progress.distinct >= load.accepted.size,
      claim: backlogClaims,
    },
    conversa_server_error_lines: server.errorLines(),
    note: 'Shared 2-core machine (server, PostgreSQL, Redis, load generator and receiver on the same cores, other work running): compare before/after runs of the same day, not absolute figures.',
  };
  report.machine.load_average_end = machine().load_average;
  await server.stop(30_000);
  await receiver.stop();
  writeFileSync(`${RESULTS}streams-latest.json`, JSON.stringify(report, null, 2) + '\n');

  const row = (label, figures, explain) => [
    label,
    figures.ingest_msgs_per_s,
    figures.delivered_per_s,
    `${figures.delivered}/${figures.accepted}`,
    figures.claim.rounds,
    figures.claim.ms_mean,
    figures.claim.ms.p99,
    explain ? `${explain.execution_ms} ms, ${explain.buffers} buffers` : '',
  ];
  console.log(
    table(
      [
        row('held (one due)', report.held, report.held.claim.explain_one_due),
        row('backlog (all due)', report.backlog, report.backlog.claim.explain_all_due),
      ],
      [
        `phase (${P.streams} streams)`,
        'ingest msg/s',
        'delivered msg/s',
        'new msgs delivered',
        'claims',
        'claim ms mean',
        'p99',
        'EXPLAIN ANALYZE claim',
      ],
    ),
  );
  console.log(
    `backlog: ${left} of ${P.streams} waiting deliveries left, ${
      report.backlog.seconds_to_deliver_all === null
        ? 'not all delivered in time'
        : `everything delivered ${report.backlog.seconds_to_deliver_all} s after they became due`
    }`,
  );
  log('wrote bench/results/streams-latest.json');
  return 0;
}
