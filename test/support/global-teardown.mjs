import { Redis } from 'ioredis';
import pg from 'pg';
import { assertTestDatabase, SERVER_URL, TEST_NAME } from './test-environment.mjs';

/** Drops the run's database and deletes every Redis key under its prefix. */
export default async function globalTeardown() {
  const name = assertTestDatabase(process.env.DATABASE_URL);
  const client = new pg.Client({ connectionString: `${SERVER_URL}/postgres` });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  await client.end();

  const prefix = process.env.REDIS_PREFIX;
  if (!TEST_NAME.test(prefix)) throw new Error(`Refusing to delete Redis keys under "${prefix}"`);
  const redis = new Redis(process.env.REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}
