// npm run coverage:chatwoot [-- --check]
//
// Writes docs/chatwoot-coverage.md: every operation of Chatwoot's documented API
// (test/contract/chatwoot/), whether Conversa routes it, and the notes of
// docs/chatwoot-coverage.notes.json. The routes come from the built server's own /docs-json,
// started on a throwaway database and Redis prefix (as `npm run fuzz` does). With --check it
// writes nothing and exits non-zero when the committed table is stale;
// test/chatwoot-contract.e2e-spec.ts runs the same check inside `npm test`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  cleanRedisPrefixAtExit,
  createDatabase,
  freePort,
  log,
  runMain,
  runName,
  SHARED_REDIS_URL,
  startConversa,
} from '../bench/lib/common.mjs';
import {
  notesProblems,
  readCommittedTable,
  readNotes,
  renderCoverage,
  TABLE_FILE,
} from '../test/support/chatwoot-coverage.mjs';

const { values: args } = parseArgs({
  options: { check: { type: 'boolean', default: false } },
  strict: true,
});

async function conversaDocument() {
  const name = runName('coverage');
  const databaseUrl = await createDatabase(name);
  cleanRedisPrefixAtExit(SHARED_REDIS_URL, name);
  const server = await startConversa({
    port: await freePort(),
    label: 'conversa',
    env: {
      DATABASE_URL: databaseUrl,
      REDIS_URL: SHARED_REDIS_URL,
      REDIS_PREFIX: name,
      PROCESS_ROLE: 'api',
      LOG_LEVEL: 'error',
    },
  });
  const response = await fetch(`${server.url}/docs-json`);
  if (response.status !== 200) throw new Error(`GET /docs-json answered ${response.status}`);
  const doc = await response.json();
  await server.stop();
  return doc;
}

async function main() {
  const doc = await conversaDocument();
  const notes = readNotes();
  const problems = notesProblems(notes, doc);
  if (problems.length)
    throw new Error(`docs/chatwoot-coverage.notes.json:\n${problems.join('\n')}`);
  const table = renderCoverage(doc, notes);
  const path = fileURLToPath(TABLE_FILE);
  if (args.check) {
    if (table === readCommittedTable()) return 0;
    console.error(`${path} is stale: run npm run coverage:chatwoot and commit it`);
    return 1;
  }
  writeFileSync(path, table);
  log(`wrote ${path}: ${table.match(/^\*\*.*?\*\*/m)?.[0] ?? ''}`);
  return 0;
}

runMain(main);
