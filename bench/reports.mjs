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

async function timed(db, label, sql, params = []) {
  const started = performance.now();
  const result = await db.query(sql, params);
  log(`  ${label}: ${round((performance.now() - started) / 1000, 1)} s`);
  return result;
}

/** The conversations, messages and the projection's tables, by set-based SQL. */
async function seed(db, url, conversations, messagesPerConversation) {
  const account = await seedAccount(db, 'Reports at size');
  const inboxes = [];
  for (let i = 1; i <= INBOXES; i++)
    inboxes.push((await createInbox(url, account, `Inbox ${i}`, null)).id);
  const started = performance.now();
  const contacts = Math.max(1_000, conversations / 10);
  const A = account.accountId;
  // The rows are consistent by construction; skipping the foreign-key triggers saves minutes.
  await db.query(`SET session_replication_role = replica`);
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
  // Conversation g: created in the last 365 days; agent, team, labels and status from g;
  // messages every `gap` minutes (1-50), incoming and outgoing in turn.
  await timed(
    db,
    `${conversations.toLocaleString('en')} conversations`,
    `WITH agents AS (SELECT array_agg(user_id ORDER BY user_id) AS ids FROM account_users WHERE account_id = $1 AND role = 'agent'),
          teams AS (SELECT array_agg(id ORDER BY id) AS ids FROM teams WHERE account_id = $1),
          links AS (SELECT array_agg(ci.id ORDER BY ci.id) AS ids, array_agg(ci.contact_id ORDER BY ci.id) AS contacts,
                           array_agg(ci.inbox_id ORDER BY ci.id) AS inboxes
                      FROM contact_inboxes ci JOIN contacts c ON c.id = ci.contact_id WHERE c.account_id = $1)
     INSERT INTO conversations (account_id, inbox_id, contact_id, contact_inbox_id, display_id, status,
                                assignee_id, team_id, labels, first_reply_created_at, last_activity_at, created_at, updated_at)
     SELECT $1, links.inboxes[1 + g % $3], links.contacts[1 + g % $3], links.ids[1 + g % $3], g,
            (ARRAY['resolved', 'resolved', 'resolved', 'open', 'pending', 'snoozed'])[1 + g % 6],
            CASE WHEN g % 7 = 0 THEN NULL ELSE agents.ids[1 + g % ${AGENTS}] END,
            CASE WHEN g % 3 = 0 THEN NULL ELSE teams.ids[1 + g % ${TEAMS}] END,
            CASE g % 5 WHEN 0 THEN ARRAY['billing'] WHEN 1 THEN ARRAY['vip', 'refund'] WHEN 2 THEN ARRAY['bug'] ELSE '{}' END,
            created + (1 + g % 50) * interval '1 minute', created + (1 + g % 50) * ${messagesPerConversation} * interval '1 minute',
            created, created
       FROM generate_series(1, $2) g, agents, teams, links,
            LATERAL (SELECT date_trunc('minute', now()) - ((g::bigint * 7919) % 525600) * interval '1 minute' AS created) t`,
    [A, conversations, contacts],
  );
  await db.query(
    `INSERT INTO conversation_display_counters (account_id, last_display_id) VALUES ($1, $2)
     ON CONFLICT (account_id) DO UPDATE SET last_display_id = EXCLUDED.last_display_id`,
    [A, conversations],
  );
  await timed(
    db,
    `${(conversations * messagesPerConversation).toLocaleString('en')} messages`,
    `INSERT INTO messages (account_id, inbox_id, conversation_id, message_type, content, sender_type, sender_id, created_at, updated_at)
     SELECT c.account_id, c.inbox_id, c.id, i % 2, 'Message ' || i,
            CASE WHEN i % 2 = 0 THEN 'contact' ELSE 'user' END,
            CASE WHEN i % 2 = 0 THEN c.contact_id ELSE c.assignee_id END,
            c.created_at + i * (1 + c.display_id % 50) * interval '1 minute',
            c.created_at + i * (1 + c.display_id % 50) * interval '1 minute'
       FROM conversations c, generate_series(0, $2 - 1) i WHERE c.account_id = $1`,
    [A, messagesPerConversation],
  );
  await seedProjection(db, A, messagesPerConversation);
  const counters = `conversations, incoming_messages, outgoing_messages, resolutions, resolution_sum,
    resolution_bh_sum, first_responses, first_response_sum, first_response_bh_sum, replies, reply_sum,
    reply_bh_sum, reopens, bot_handoffs, frt_under_1h, frt_1_4h, frt_4_8h, frt_8_24h, frt_over_24h`;
  await timed(
    db,
    'daily rollups',
    `INSERT INTO report_rollups_daily (account_id, dimension, dimension_key, day, ${counters})
     SELECT account_id, dimension, dimension_key, date_trunc('day', hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
            ${counters
              .split(',')
              .map((c) => `sum(${c.trim()})`)
              .join(', ')}
       FROM report_rollups WHERE account_id = $1 GROUP BY 1, 2, 3, 4`,
    [account.accountId],
  );
  await db.query(`SET session_replication_role = DEFAULT`);
  await timed(db, 'VACUUM ANALYZE', 'VACUUM ANALYZE');
  return { account, seconds: round((performance.now() - started) / 1000, 0) };
}

/**
 * What the projection holds for those rows: a first response per assigned conversation (the
 * second message), replies for the later outgoing ones, resolutions for resolved ones; and the
 * hourly rollups of all of it per dimension.
 */
async function seedProjection(db, A, perConversation) {
  await timed(
    db,
    'report_conversations',
    `INSERT INTO report_conversations (conversation_id, account_id, inbox_id, display_id, created_at, status,
                                       assignee_id, team_id, labels, first_reply_at, waiting_since, last_resolved_at)
     SELECT id, account_id, inbox_id, display_id, created_at, status, assignee_id, team_id, labels,
            CASE WHEN assignee_id IS NOT NULL THEN first_reply_created_at END,
            CASE WHEN status = 'open' AND display_id % 2 = 0 THEN last_activity_at END,
            CASE WHEN status = 'resolved' THEN last_activity_at END
       FROM conversations WHERE account_id = $1`,
    [A],
  );
  await timed(
    db,
    'reporting_events (first responses, resolutions)',
    `INSERT INTO reporting_events (account_id, name, value, value_in_business_hours, event_start_time, event_end_time,
                                   inbox_id, user_id, team_id, conversation_id, display_id, source_event_id, created_at)
     SELECT account_id, 'first_response', extract(epoch FROM first_reply_at - created_at),
            extract(epoch FROM first_reply_at - created_at), created_at, first_reply_at, inbox_id, assignee_id, team_id,
            conversation_id, display_id, 0, first_reply_at
       FROM report_conversations WHERE account_id = $1 AND first_reply_at IS NOT NULL
     UNION ALL
     SELECT account_id, 'conversation_resolved', extract(epoch FROM last_resolved_at - created_at),
            extract(epoch FROM last_resolved_at - created_at), created_at, last_resolved_at, inbox_id, assignee_id, team_id,
            conversation_id, display_id, 0, last_resolved_at
       FROM report_conversations WHERE account_id = $1 AND last_resolved_at IS NOT NULL`,
    [A],
  );
  // One row per (dimension, key, hour): the facts of each conversation fanned out to its keys.
  const facts = `
    WITH keys AS (
      SELECT rc.*, k.dimension, k.key
        FROM report_conversations rc,
        LATERAL (
          SELECT 'account' AS dimension, rc.account_id::text AS key
          UNION ALL SELECT 'inbox', rc.inbox_id::text
          UNION ALL SELECT 'agent', rc.assignee_id::text WHERE rc.assignee_id IS NOT NULL
          UNION ALL SELECT 'team', rc.team_id::text WHERE rc.team_id IS NOT NULL
          UNION ALL SELECT 'label', l FROM unnest(rc.labels) l
        ) k
       WHERE rc.account_id = $1)`;
  const upsert = (columns) => `
    INSERT INTO report_rollups (account_id, dimension, dimension_key, hour, ${columns})
    SELECT * FROM facts
    ON CONFLICT (account_id, dimension, dimension_key, hour) DO UPDATE SET
      ${columns
        .split(', ')
        .map((c) => `${c} = report_rollups.${c} + EXCLUDED.${c}`)
        .join(', ')}`;
  await timed(
    db,
    'rollups: conversations',
    `${facts}, facts AS (
       SELECT account_id, dimension, key, date_trunc('hour', created_at), count(*) FROM keys GROUP BY 1, 2, 3, 4
       UNION ALL
       SELECT account_id, 'status', status, date_trunc('hour', created_at), count(*) FROM report_conversations
        WHERE account_id = $1 GROUP BY 1, 2, 3, 4
       UNION ALL
       SELECT account_id, 'inbox_label', inbox_id || ':' || l, date_trunc('hour', created_at), count(*)
         FROM report_conversations, unnest(labels) l WHERE account_id = $1 GROUP BY 1, 2, 3, 4)
     ${upsert('conversations')}`,
    [A],
  );
  await timed(
    db,
    'rollups: first responses, replies, resolutions',
    `${facts}, facts AS (
       SELECT account_id, dimension, key, date_trunc('hour', first_reply_at), count(*),
              sum(extract(epoch FROM first_reply_at - created_at)), sum(extract(epoch FROM first_reply_at - created_at)),
              count(*) FILTER (WHERE first_reply_at - created_at < interval '1 hour'),
              count(*) FILTER (WHERE first_reply_at - created_at >= interval '1 hour'),
              count(*) * ${Math.floor((perConversation - 2) / 2)},
              sum(extract(epoch FROM first_reply_at - created_at)) * ${Math.floor((perConversation - 2) / 2)},
              sum(extract(epoch FROM first_reply_at - created_at)) * ${Math.floor((perConversation - 2) / 2)}
         FROM keys WHERE first_reply_at IS NOT NULL GROUP BY 1, 2, 3, 4)
     ${upsert('first_responses, first_response_sum, first_response_bh_sum, frt_under_1h, frt_1_4h, replies, reply_sum, reply_bh_sum')}`,
    [A],
  );
  await timed(
    db,
    'rollups: resolutions',
    `${facts}, facts AS (
       SELECT account_id, dimension, key, date_trunc('hour', last_resolved_at), count(*),
              sum(extract(epoch FROM last_resolved_at - created_at)), sum(extract(epoch FROM last_resolved_at - created_at))
         FROM keys WHERE last_resolved_at IS NOT NULL GROUP BY 1, 2, 3, 4)
     ${upsert('resolutions, resolution_sum, resolution_bh_sum')}`,
    [A],
  );
  await timed(
    db,
    'rollups: messages',
    `WITH facts AS (
       SELECT m.account_id, k.dimension, k.key, date_trunc('hour', m.created_at),
              count(*) FILTER (WHERE m.message_type = 0), count(*) FILTER (WHERE m.message_type = 1)
         FROM messages m JOIN report_conversations rc ON rc.conversation_id = m.conversation_id,
         LATERAL (
           SELECT 'account' AS dimension, rc.account_id::text AS key
           UNION ALL SELECT 'inbox', rc.inbox_id::text
           UNION ALL SELECT 'agent', rc.assignee_id::text WHERE rc.assignee_id IS NOT NULL
           UNION ALL SELECT 'team', rc.team_id::text WHERE rc.team_id IS NOT NULL
           UNION ALL SELECT 'label', l FROM unnest(rc.labels) l
         ) k
        WHERE m.account_id = $1 GROUP BY 1, 2, 3, 4)
     ${upsert('incoming_messages, outgoing_messages')}`,
    [A],
  );
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
  const { account, seconds } = await seed(db, server.url, conversations, perConversation);
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
