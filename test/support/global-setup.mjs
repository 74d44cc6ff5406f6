import { existsSync } from 'node:fs';
import pg from 'pg';
import { assertTestDatabase, newTestRunName, SERVER_URL } from './test-environment.mjs';

const BUILT_DATABASE_MODULE = new URL('../../dist/src/database/index.js', import.meta.url);

/**
 * One database and one Redis key prefix per test run, so two runs on one machine never
 * collide. Jest starts its workers after this, and they inherit these variables. The schema
 * comes from the committed migrations, applied by the built app's own prepareDatabase.
 */
export default async function globalSetup() {
  // The app runs inside jest's workers, which needs require(esm) in jest (Node 24.9+).
  if (Number(process.versions.node.split('.')[0]) < 24) {
    throw new Error(
      `The tests need Node 24 (this is ${process.version}). Put it first on PATH with\n` +
        `  export PATH="$(scripts/node24.sh):$PATH"\n` +
        'which installs it into your user cache if needed (see the README).',
    );
  }
  if (!existsSync(BUILT_DATABASE_MODULE)) {
    throw new Error('dist/ is missing: run the tests with `npm test`, which builds first');
  }
  const name = newTestRunName();
  const databaseUrl = `${SERVER_URL}/${name}`;
  assertTestDatabase(databaseUrl);
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '5',
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: name,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    PASSWORD_HASH_COST: '12',
    HOST: '127.0.0.1',
    // Every server of the run shares one Redis prefix and one client IP; only the specs about
    // rate limiting (which start a server with their own limits and prefix) should ever hit one.
    RATE_LIMIT_PER_CREDENTIAL: '100000',
    RATE_LIMIT_PER_IP: '100000',
  });
  const client = new pg.Client({ connectionString: `${SERVER_URL}/postgres` });
  await client.connect();
  await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  await client.end();
  const { prepareDatabase } = await import(BUILT_DATABASE_MODULE.href);
  await prepareDatabase(databaseUrl);
}
