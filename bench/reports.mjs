// npm run bench -- --reports [--quick]
//
// Reports at size: on a fresh database, seeds one account with 1,000,000 conversations and
// 10,000,000 messages (quick: 100,000 and 1,000,000) over the last year with set-based SQL
// (generate_series), and the reports projection's tables (reporting events, report
// conversations, hourly rollups) as the projection would hold them, computed from the same rows
// by GROUP BY. Then measures, against the production server, the latency of a 90-day account
// report and of each summary (sequential requests after a warm-up) and prints p50/p95/p99.
// Writes bench/results/reports-latest.json. The database is dropped at the end.
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import {
  api,
  cleanRedisPrefixAtExit,
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
  startConversa,
  table,
} from './lib/common.mjs';

const RESULTS = new URL('./results/', import.meta.url).pathname;
const AGENTS = 50;
const TEAMS = 10;
const INBOXES = 10;
/**
 * Conversations per seeding step. Every statement commits on its own and covers one step, so no
 * transaction lasts more than a second or two: a long one would hold back the cluster's
 * pg_snapshot_xmin, and every database's reports projection and event feed waits for it.
 */
const STEP = 10_000;
/** The conversations are spread evenly over the year before the run, in display_id order. */
const SPAN_MINUTES = 365 * 24 * 60;
/** The counters the seeded facts move (the others stay 0). */
const COUNTERS = [
  'conversations',
  'incoming_messages',
  'outgoing_messages',
  'resolutions',
  'resolution_sum',
  'resolution_bh_sum',
  'first_responses',
  'first_response_sum',
  'first_response_bh_sum',
  'replies',
  'reply_sum',
  'reply_bh_sum',
  'frt_under_1h',
];

/**
 * Runs `sql` once per step of `STEP` conversations ($1 account, $2..$3 the step's display ids,
 * then `params`), on each of `dbs` at once, each session taking a contiguous share of the steps
 * (so two sessions' rows meet only where their shares meet; a deadlock there is retried).
 */
async function stepped(dbs, label, total, sql, params = []) {
  const started = performance.now();
  const steps = Math.ceil(total / STEP);
  const share = Math.ceil(steps / dbs.length);
  await Promise.all(
    dbs.map(async (db, i) => {
      for (let step = i * share; step < Math.min(steps, (i + 1) * share); step++) {
        const first = 1 + step * STEP;
        const args = [params[0], first, Math.min(total, first + STEP - 1), ...params.slice(1)];
        for (let attempt = 1; ; attempt++) {
          try {
            await db.query(sql, args);
            break;
          } catch (error) {
            if (error.code !== '40P01' || attempt === 5) throw error;
          }
        }
      }
    }),
  );
  log(`  ${label}: ${round((performance.now() - started) / 1000, 1)} s`);
}

async function timed(db, label, sql, params = []) {
  const started = performance.now();
  const result = await db.query(sql, params);
  log(`  ${label}: ${round((performance.now() - started) / 1000, 1)} s`);
  return result;
}

/**
 * The conversations, messages and the projection's tables, by set-based SQL, a step of
 * conversations per statement. Conversation g (its display_id) is created at an even spacing
 * over the last year, so a step covers a few days and its rollup rows barely overlap the next
 * step's. Its agent, team, labels and status follow from g; its messages come every `gap`
 * minutes (1-50), incoming and outgoing in turn.
 */
async function seed(db, databaseUrl, url, conversations, messagesPerConversation) {
  // A second session: conversations and messages are written two steps at a time.
  const other = new pg.Client({ connectionString: databaseUrl });
  await other.connect();
  try {
    return await seedWith([db, other], url, conversations, messagesPerConversation);
  } finally {
    await other.end();
  }
}

async function seedWith(dbs, url, conversations, messagesPerConversation) {
  const [db] = dbs;
  const account = await seedAccount(db, 'Reports at size');
  const inboxes = [];
  for (let i = 1; i <= INBOXES; i++)
    inboxes.push((await createInbox(url, account, `Inbox ${i}`, null)).id);
  const started = performance.now();
  const contacts = Math.max(1_000, conversations / 10);
  const A = account.accountId;
  // The rows are consistent by construction; skipping the foreign-key triggers saves minutes.
  for (const session of dbs)
    await session.query(
      `SET session_replication_role = replica; SET synchronous_commit = off; SET jit = off`,
    );
  await timed(
    db,
    `${AGENTS} agents, ${TEAMS} teams`,
    `WITH agents AS (
       INSERT INTO users (name, email) SELECT 'Agent ' || g, 'agent' || g || '-' || $1::text || '@bench.test'
         FROM generate_series(1, ${AGENTS}) g RETURNING id)
     INSERT INTO account_users (account_id, user_id, role, availability) SELECT $1::int, id, 'agent', 'online' FROM agents`,
    [A],
  );
  await db.query(
    `INSERT INTO teams (account_id, name) SELECT $1, 'Team ' || g FROM generate_series(1, ${TEAMS}) g`,
    [A],
  );
  await timed(
    db,
    `${contacts.toLocaleString('en')} contacts`,
    `INSERT INTO contacts (account_id, name, identifier, created_at, updated_at)
     SELECT $1, 'Contact ' || g, 'c-' || g, now(), now() FROM generate_series(1, $2) g`,
    [A, contacts],
  );
  await db.query(
    `INSERT INTO contact_inboxes (contact_id, inbox_id, source_id, pubsub_token)
     SELECT c.id, ($2::int[])[1 + c.id % ${INBOXES}], 'src-' || c.id, md5('p' || c.id)
       FROM contacts c WHERE c.account_id = $1`,
    [A, inboxes],
  );
  // Lookup tables for the seeding: contact n (0-based), agent and team slots.
  await db.query(
    `CREATE UNLOGGED TABLE bench_contacts AS
     SELECT (row_number() OVER (ORDER BY ci.id) - 1)::int AS n, ci.id AS contact_inbox_id, ci.contact_id, ci.inbox_id
       FROM contact_inboxes ci JOIN contacts c ON c.id = ci.contact_id WHERE c.account_id = $1;
     ALTER TABLE bench_contacts ADD PRIMARY KEY (n);
     CREATE UNLOGGED TABLE bench_slots AS
     SELECT (SELECT array_agg(user_id ORDER BY user_id) FROM account_users WHERE account_id = $1 AND role = 'agent') AS agents,
            (SELECT array_agg(id ORDER BY id) FROM teams WHERE account_id = $1) AS teams`.replaceAll(
      '$1',
      String(Number(A)),
    ),
  );
  const gap = `(1 + g % 50)`;
  await stepped(
    dbs,
    `${conversations.toLocaleString('en')} conversations`,
    conversations,
    `INSERT INTO conversations (account_id, inbox_id, contact_id, contact_inbox_id, display_id, status,
                                assignee_id, team_id, labels, first_reply_created_at, last_activity_at, created_at, updated_at)
     SELECT $1, bc.inbox_id, bc.contact_id, bc.contact_inbox_id, g,
            (ARRAY['resolved', 'resolved', 'resolved', 'open', 'pending', 'snoozed'])[1 + g % 6],
            CASE WHEN g % 7 = 0 THEN NULL ELSE s.agents[1 + g % ${AGENTS}] END,
            CASE WHEN g % 3 = 0 THEN NULL ELSE s.teams[1 + g % ${TEAMS}] END,
            CASE g % 5 WHEN 0 THEN ARRAY['billing'] WHEN 1 THEN ARRAY['vip', 'refund'] WHEN 2 THEN ARRAY['bug'] ELSE '{}' END,
            created + ${gap} * interval '1 minute', created + ${gap} * $5::int * interval '1 minute', created, created
       FROM generate_series($2::int, $3::int) g
       JOIN bench_contacts bc ON bc.n = g % $4::int, bench_slots s,
       LATERAL (SELECT date_trunc('minute', now()) - interval '${SPAN_MINUTES} minutes'
                       + ((g - 1)::bigint * ${SPAN_MINUTES - 600} / $6::int) * interval '1 minute' AS created) t`,
    [A, contacts, messagesPerConversation, conversations],
  );
  await db.query(
    `INSERT INTO conversation_display_counters (account_id, last_display_id) VALUES ($1, $2)
     ON CONFLICT (account_id) DO UPDATE SET last_display_id = EXCLUDED.last_display_id`,
    [A, conversations],
  );
  await db.query(`DROP TABLE bench_contacts, bench_slots`);
  await stepped(
    dbs,
    `${(conversations * messagesPerConversation).toLocaleString('en')} messages`,
    conversations,
    `INSERT INTO messages (account_id, inbox_id, conversation_id, message_type, content, sender_type, sender_id, created_at, updated_at)
     SELECT c.account_id, c.inbox_id, c.id, i % 2, 'Message ' || i,
            CASE WHEN i % 2 = 0 THEN 'contact' ELSE 'user' END,
            CASE WHEN i % 2 = 0 THEN c.contact_id ELSE c.assignee_id END,
            c.created_at + i * (1 + c.display_id % 50) * interval '1 minute',
            c.created_at + i * (1 + c.display_id % 50) * interval '1 minute'
       FROM conversations c, generate_series(0, $4::int - 1) i
      WHERE c.account_id = $1 AND c.display_id BETWEEN $2 AND $3`,
    [A, messagesPerConversation],
  );
  await seedProjection(dbs, A, conversations, messagesPerConversation);
  for (const session of dbs) await session.query(`SET session_replication_role = DEFAULT`);
  // The tables reports read are vacuumed now (visibility map: index-only scans); the others
  // analysed. Autovacuum is kept off the seeded conversations and messages for the run, so it
  // does not go through them while latencies are measured.
  await db.query(
    `ALTER TABLE conversations SET (autovacuum_enabled = false);
     ALTER TABLE messages SET (autovacuum_enabled = false)`,
  );
  await timed(
    db,
    'VACUUM ANALYZE',
    `VACUUM ANALYZE report_rollups, report_rollups_daily, report_conversations, report_open_counts,
       reporting_events, report_inboxes, account_users, users, teams, inboxes, accounts, access_tokens`,
  );
  await timed(db, 'ANALYZE', `ANALYZE conversations, messages, contacts, contact_inboxes`);
  return { account, seconds: round((performance.now() - started) / 1000, 0) };
}

/**
 * What the projection holds for those rows: report_conversations; a first response per assigned
 * conversation (its second message) and a resolution per resolved one as reporting events; and
 * the hourly and daily rollups of the conversations, messages, first responses, replies (each
 * later agent message, to the contact's message before it) and resolutions per dimension key.
 */
async function seedProjection(dbs, A, conversations, perConversation) {
  const [db] = dbs;
  await stepped(
    dbs,
    'report_conversations',
    conversations,
    `INSERT INTO report_conversations (conversation_id, account_id, inbox_id, display_id, created_at, status,
                                       assignee_id, team_id, labels, first_reply_at, waiting_since, last_resolved_at)
     SELECT id, account_id, inbox_id, display_id, created_at, status, assignee_id, team_id, labels,
            CASE WHEN assignee_id IS NOT NULL THEN first_reply_created_at END,
            CASE WHEN status = 'open' AND display_id % 2 = 0 THEN last_activity_at END,
            CASE WHEN status = 'resolved' THEN last_activity_at END
       FROM conversations WHERE account_id = $1 AND display_id BETWEEN $2 AND $3`,
    [A],
  );
  await db.query(
    `INSERT INTO report_open_counts (account_id, assignee_id, open, unattended)
     SELECT account_id, coalesce(assignee_id, 0), count(*),
            count(*) FILTER (WHERE first_reply_at IS NULL OR waiting_since IS NOT NULL)
       FROM report_conversations WHERE account_id = $1 AND status = 'open' GROUP BY 1, 2`,
    [A],
  );
  await stepped(
    dbs,
    'reporting_events (first responses, resolutions)',
    conversations,
    `INSERT INTO reporting_events (account_id, name, value, value_in_business_hours, event_start_time, event_end_time,
                                   inbox_id, user_id, team_id, conversation_id, display_id, source_event_id, created_at)
     SELECT account_id, e.name, extract(epoch FROM e.at - created_at), extract(epoch FROM e.at - created_at),
            created_at, e.at, inbox_id, assignee_id, team_id, conversation_id, display_id, 0, e.at
       FROM report_conversations,
            LATERAL (SELECT 'first_response' AS name, first_reply_at AS at WHERE first_reply_at IS NOT NULL
                     UNION ALL
                     SELECT 'conversation_resolved', last_resolved_at WHERE last_resolved_at IS NOT NULL) e
      WHERE account_id = $1 AND display_id BETWEEN $2 AND $3`,
    [A],
  );
  // What a conversation's messages move in each hour from its creation's: by its gap (1-50
  // minutes) and the minute of the hour it was created at, per hour offset, the messages
  // (incoming, outgoing), its first response, later replies, its creation and resolution.
  await db.query(
    `CREATE UNLOGGED TABLE bench_message_hours AS
     WITH marks AS (
       SELECT gap, minute, (minute + i * gap) / 60 AS offset_hours, (i % 2 = 0)::int AS incoming,
              (i % 2 = 1)::int AS outgoing, (i = 1)::int AS first, (i % 2 = 1 AND i > 1)::int AS replies,
              (i = 0)::int AS created, 0 AS resolution
         FROM generate_series(1, 50) gap, generate_series(0, 59) minute, generate_series(0, $1::int - 1) i
       UNION ALL
       SELECT gap, minute, (minute + $1::int * gap) / 60, 0, 0, 0, 0, 0, 1
         FROM generate_series(1, 50) gap, generate_series(0, 59) minute)
     SELECT gap, minute, offset_hours, sum(incoming)::int AS incoming, sum(outgoing)::int AS outgoing,
            sum(first)::int AS first, sum(replies)::int AS replies, sum(created)::int AS created,
            sum(resolution)::int AS resolution
       FROM marks GROUP BY 1, 2, 3`.replaceAll('$1::int', String(Number(perConversation))),
  );
  await db.query(`ALTER TABLE bench_message_hours ADD PRIMARY KEY (gap, minute, offset_hours)`);
  // Per step: each conversation's facts per hour with the counters they move, summed in one
  // pass for every dimension (GROUPING SETS), then keyed, into the hourly rollups and per UTC
  // day into the daily ones. Status and inbox × label count conversations only.
  const assigned = '(c.assignee_id IS NOT NULL)::int';
  const resolved = "(c.status = 'resolved')::int";
  const facts = {
    conversations: 'h.created',
    incoming_messages: 'h.incoming',
    outgoing_messages: 'h.outgoing',
    resolutions: `h.resolution * ${resolved}`,
    resolution_sum: `h.resolution * ${resolved} * $4::int * c.gap`,
    resolution_bh_sum: `h.resolution * ${resolved} * $4::int * c.gap`,
    first_responses: `h.first * ${assigned}`,
    first_response_sum: `h.first * ${assigned} * c.gap`,
    first_response_bh_sum: `h.first * ${assigned} * c.gap`,
    replies: `h.replies * ${assigned}`,
    reply_sum: `h.replies * ${assigned} * c.gap`,
    reply_bh_sum: `h.replies * ${assigned} * c.gap`,
    frt_under_1h: `h.first * ${assigned} * (c.gap < 3600)::int`,
  };
  const sums = COUNTERS.map((c) => `sum(${c}) AS ${c}`).join(', ');
  const keyedSums = COUNTERS.map((c) =>
    c === 'conversations'
      ? `sum(${c}) AS ${c}`
      : `sum(CASE WHEN k.conversations_only THEN 0 ELSE ${c} END) AS ${c}`,
  ).join(', ');
  const adds = (table) => COUNTERS.map((c) => `${c} = ${table}.${c} + EXCLUDED.${c}`).join(', ');
  await stepped(
    dbs,
    'hourly and daily rollups',
    conversations,
    `WITH c AS (
       SELECT account_id, inbox_id, status, assignee_id, team_id, labels, created_at,
              1 + display_id % 50 AS gap_minutes, (1 + display_id % 50) * 60 AS gap,
              extract(minute FROM created_at AT TIME ZONE 'UTC')::int AS minute
         FROM report_conversations WHERE account_id = $1 AND display_id BETWEEN $2 AND $3),
     facts AS (
       SELECT c.account_id, c.inbox_id, c.status, c.assignee_id, c.team_id, c.labels,
              date_trunc('hour', c.created_at) + h.offset_hours * interval '1 hour' AS hour,
              ${COUNTERS.map((c) => `${facts[c]} AS ${c}`).join(', ')}
         FROM c JOIN bench_message_hours h ON h.gap = c.gap_minutes AND h.minute = c.minute
        WHERE h.created + h.incoming + h.outgoing > 0 OR (h.resolution = 1 AND c.status = 'resolved')),
     grouped AS (
       SELECT account_id, hour, inbox_id, assignee_id, team_id, labels, status,
              GROUPING(inbox_id, assignee_id, team_id, labels, status) AS unused, ${sums}
         FROM facts
        GROUP BY account_id, hour,
              GROUPING SETS ((), (inbox_id), (assignee_id), (team_id), (labels), (status), (inbox_id, labels))),
     hourly AS (
       SELECT g.account_id, k.dimension, k.key AS dimension_key, g.hour, ${keyedSums}
         FROM grouped g,
         LATERAL (
           SELECT 'account' AS dimension, g.account_id::text AS key, false AS conversations_only WHERE g.unused = 31
           UNION ALL SELECT 'inbox', g.inbox_id::text, false WHERE g.unused = 15
           UNION ALL SELECT 'agent', g.assignee_id::text, false WHERE g.unused = 23 AND g.assignee_id IS NOT NULL
           UNION ALL SELECT 'team', g.team_id::text, false WHERE g.unused = 27 AND g.team_id IS NOT NULL
           UNION ALL SELECT 'label', l, false FROM unnest(g.labels) l WHERE g.unused = 29
           UNION ALL SELECT 'status', g.status, true WHERE g.unused = 30 AND g.conversations > 0
           UNION ALL SELECT 'inbox_label', g.inbox_id || ':' || l, true FROM unnest(g.labels) l
                      WHERE g.unused = 13 AND g.conversations > 0
         ) k
        GROUP BY 1, 2, 3, 4),
     stored AS (
       INSERT INTO report_rollups AS r (account_id, dimension, dimension_key, hour, ${COUNTERS.join(', ')})
       SELECT * FROM hourly
       ON CONFLICT (account_id, dimension, dimension_key, hour) DO UPDATE SET ${adds('r')})
     INSERT INTO report_rollups_daily AS r (account_id, dimension, dimension_key, day, ${COUNTERS.join(', ')})
     SELECT account_id, dimension, dimension_key, date_trunc('day', hour, 'UTC'), ${sums}
       FROM hourly GROUP BY 1, 2, 3, 4
     ON CONFLICT (account_id, dimension, dimension_key, day) DO UPDATE SET ${adds('r')}`,
    [A, perConversation],
  );
  await db.query(`DROP TABLE bench_message_hours`);
}

function percentiles(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return {
    p50: round(at(50), 1),
    p95: round(at(95), 1),
    p99: round(at(99), 1),
    max: round(sorted[sorted.length - 1], 1),
  };
}

async function measure(url, token, path, requests) {
  for (let i = 0; i < 10; i++) {
    const { status, body } = await api(url, 'GET', path, { token });
    if (status !== 200)
      throw new Error(`GET ${path}: ${status} ${JSON.stringify(body).slice(0, 300)}`);
  }
  const samples = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    const { status } = await api(url, 'GET', path, { token });
    samples.push(performance.now() - started);
    if (status !== 200) throw new Error(`GET ${path}: ${status}`);
  }
  return percentiles(samples);
}

export async function reportsBench({ quick }) {
  const started = performance.now();
  const conversations = quick ? 100_000 : 1_000_000;
  const perConversation = 10;
  const requests = quick ? 100 : 300;
  const name = runName('bench');
  log(`reports bench ${quick ? '(quick) ' : ''}run ${name}`);
  mkdirSync(RESULTS, { recursive: true });
  const databaseUrl = await createDatabase(name);
  cleanRedisPrefixAtExit(SHARED_REDIS_URL, name);
  const server = await startConversa({
    port: await freePort(),
    env: {
      DATABASE_URL: databaseUrl,
      REDIS_URL: SHARED_REDIS_URL,
      REDIS_PREFIX: name,
      RATE_LIMIT_PER_CREDENTIAL: '100000000',
      RATE_LIMIT_PER_IP: '100000000',
      PUBLIC_URL: 'http://127.0.0.1',
    },
  });
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  onCleanup('close bench db client', () => db.end());
  log(
    `seeding ${conversations.toLocaleString('en')} conversations, ${(conversations * perConversation).toLocaleString('en')} messages`,
  );
  const { account, seconds } = await seed(
    db,
    databaseUrl,
    server.url,
    conversations,
    perConversation,
  );
  log(`seeded in ${seconds} s`);
  const counts = (
    await db.query(
      `SELECT (SELECT count(*) FROM conversations)::int AS conversations, (SELECT count(*) FROM messages)::int AS messages,
              (SELECT count(*) FROM report_rollups)::int AS rollup_rows, (SELECT count(*) FROM report_rollups_daily)::int AS daily_rollup_rows, (SELECT count(*) FROM reporting_events)::int AS reporting_events`,
    )
  ).rows[0];
  const until = Math.floor(Date.now() / 1000);
  const since = until - 90 * 86_400;
  const range = `since=${since}&until=${until}`;
  const A = `/api/v2/accounts/${account.accountId}`;
  const agent = (
    await db.query(
      `SELECT min(user_id) AS id FROM account_users WHERE account_id = $1 AND role = 'agent'`,
      [account.accountId],
    )
  ).rows[0].id;
  const paths = {
    'account report, conversations_count, 90 days by day': `${A}/reports?metric=conversations_count&${range}`,
    'account report, avg_first_response_time, 90 days by day': `${A}/reports?metric=avg_first_response_time&${range}`,
    'account report, 90 days by week, UTC-5': `${A}/reports?metric=outgoing_messages_count&group_by=week&timezone_offset=-5&${range}`,
    'agent report, 90 days': `${A}/reports?metric=avg_resolution_time&type=agent&id=${agent}&${range}`,
    'reports/summary (with previous 90 days)': `${A}/reports/summary?${range}`,
    'summary_reports/agent': `${A}/summary_reports/agent?${range}`,
    'summary_reports/inbox': `${A}/summary_reports/inbox?${range}`,
    'summary_reports/team': `${A}/summary_reports/team?${range}`,
    'summary_reports/channel': `${A}/summary_reports/channel?${range}`,
    'reports/conversations (live)': `${A}/reports/conversations?type=account`,
    first_response_time_distribution: `${A}/reports/first_response_time_distribution?${range}`,
    inbox_label_matrix: `${A}/reports/inbox_label_matrix?${range}`,
    outgoing_messages_count: `${A}/reports/outgoing_messages_count?group_by=agent&${range}`,
    // Not a report: the same authentication and framework for a trivial read, so the figures
    // above can be told apart from what any request costs on the machine at the time.
    'baseline (not a report): GET /api/v1/profile': '/api/v1/profile',
  };
  const results = {};
  for (const [label, path] of Object.entries(paths)) {
    results[label] = await measure(server.url, account.token, path, requests);
    log(`  ${label}: p99 ${results[label].p99} ms`);
  }
  // A picture of the 90 days, as the README shows it.
  const picture = await fetch(
    `${server.url}${A}/reports?metric=conversations_count&group_by=week&${range}&format=svg`,
    {
      headers: { api_access_token: account.token },
    },
  );
  writeFileSync(`${RESULTS}reports-90-days.svg`, await picture.text());
  await server.stop(30_000);
  const report = {
    generated_at: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    machine: machine(),
    stored: counts,
    seed_seconds: seconds,
    requests_per_operation: requests,
    note: 'Sequential requests (one at a time) after 10 warm-up requests, on a shared 2-core machine with the server, PostgreSQL and the client on the same cores.',
    latency_ms: results,
  };
  writeFileSync(`${RESULTS}reports-latest.json`, JSON.stringify(report, null, 2) + '\n');
  console.log(
    `\nReports at size: ${counts.conversations.toLocaleString('en')} conversations, ${counts.messages.toLocaleString('en')} messages, ${counts.rollup_rows.toLocaleString('en')} rollup rows; ${requests} requests each (ms)\n`,
  );
  console.log(
    table(
      Object.entries(results).map(([label, r]) => [label, r.p50, r.p95, r.p99, r.max]),
      ['operation', 'p50', 'p95', 'p99', 'max'],
    ),
  );
  log(
    `wrote bench/results/reports-latest.json (${round((performance.now() - started) / 1000, 0)} s)`,
  );
  return 0;
}
