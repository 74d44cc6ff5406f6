// npm run fuzz [-- --runs 100000] [-- --seed N] [-- --op 'METHOD /path' --path P] [-- --minutes M]
//              [-- --out report.json]
//
// The long run of the OpenAPI fuzz suite (test/support/fuzz.mjs; the short run is
// test/fuzz.e2e-spec.ts inside `npm test`). Starts the built server (PROCESS_ROLE=api, so no
// delivery worker writes in the background) on a throwaway database and Redis prefix, seeds the
// fixture, reads the operations from /docs-json and sends `--runs` generated requests one at a
// time, the same share for every operation. Prints the seed first; every failure class is
// printed with `--seed N --op 'O' --path P`, which replays exactly that request (on a fresh
// fixture, so ids are the same). Exits non-zero when anything failed.
import { randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Fixture } from '../test/support/api-fixture.mjs';
import { formatReport, runFuzz } from '../test/support/fuzz.mjs';
import { loadOperations } from '../test/support/openapi-walk.mjs';
import {
  cleanRedisPrefixAtExit,
  createDatabase,
  freePort,
  log,
  onCleanup,
  runMain,
  runName,
  SHARED_REDIS_URL,
  startConversa,
} from './lib/common.mjs';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '100000' },
    seed: { type: 'string' },
    path: { type: 'string' },
    op: { type: 'string' },
    minutes: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});
if (args.help) {
  console.log(
    "Usage: npm run fuzz -- [--runs 100000] [--seed N] [--op 'METHOD /path' --path P] [--minutes M] [--out report.json]",
  );
  process.exit(0);
}

/** The errors the server logged for 5xx answers, by request id (pino JSON lines). */
function collectErrors(stream) {
  const errors = new Map();
  let pending = '';
  stream.on('data', (chunk) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) {
      if (!line.includes('"context":"Errors"')) continue;
      try {
        const entry = JSON.parse(line);
        if (entry.err && entry.request_id) errors.set(entry.request_id, entry.err);
      } catch {
        // not a JSON line
      }
      // Only the first error of each class matters for the report; keep memory flat.
      if (errors.size > 5_000) errors.delete(errors.keys().next().value);
    }
  });
  return async (requestId) => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const error = errors.get(requestId);
      if (error) return error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return undefined;
  };
}

async function main() {
  const seed = args.seed !== undefined ? Number(args.seed) : randomInt(2 ** 31);
  const runs = Number(args.runs);
  log(
    `fuzz: seed ${seed}, ${args.path ? `replaying run ${args.path}` : `${runs} requests`} ` +
      `(a failure replays with: npm run fuzz -- --seed ${seed} --op '<operation>' --path <run>)`,
  );
  const name = runName('fuzz');
  const databaseUrl = await createDatabase(name);
  cleanRedisPrefixAtExit(SHARED_REDIS_URL, name);
  const port = await freePort();
  const server = await startConversa({
    port,
    label: 'conversa',
    env: {
      DATABASE_URL: databaseUrl,
      REDIS_URL: SHARED_REDIS_URL,
      REDIS_PREFIX: name,
      PROCESS_ROLE: 'api',
      // Nothing delivers with PROCESS_ROLE=api, so /health would rightly fail after 5 minutes.
      WEBHOOK_MAX_DELAY_MS: String(7 * 24 * 3600_000),
      LOG_LEVEL: 'error',
      RATE_LIMIT_PER_CREDENTIAL: '1000000000',
      RATE_LIMIT_PER_IP: '1000000000',
      PASSWORD_HASH_COST: '10',
    },
  });
  const errorFor = collectErrors(server.child.stdout);
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  db.on('error', () => {});
  onCleanup('close fuzz db pool', () => db.end());

  const fixture = await Fixture.create(server.url, db);
  const { doc, operations } = await loadOperations(server.url);
  log(`server on :${port}, ${operations.length} operations in /docs-json, fixture ready`);

  const report = await runFuzz({
    baseUrl: server.url,
    db,
    doc,
    operations,
    fixture,
    runs,
    seed,
    path: args.path,
    only: args.op,
    timeLimitMs: args.minutes ? Number(args.minutes) * 60_000 : undefined,
    errorFor,
    replayCommand: (operation, run) =>
      `npm run fuzz -- --seed ${seed} --op '${operation}' --path ${run}`,
  });
  console.log(`\n${formatReport(report)}`);
  if (args.out) writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
  if (!server.alive()) throw new Error(`the server died during the run:\n${server.output()}`);
  return report.failures.length > 0 ? 1 : 0;
}

runMain(main);
