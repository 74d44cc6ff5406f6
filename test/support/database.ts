import pg from 'pg';
import { assertTestDatabase } from './test-environment.mjs';

let pool: pg.Pool | undefined;

/** A pool on the run's test database, for factories and for checking what was stored. */
export function testDatabase(): pg.Pool {
  assertTestDatabase(process.env.DATABASE_URL!);
  if (!pool) {
    pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 3 });
    // An idle connection ended by the run's teardown (DROP DATABASE ... WITH (FORCE)) is not a
    // test failure; without a listener it would crash the jest process.
    pool.on('error', () => undefined);
  }
  return pool;
}

export async function closeTestDatabase(): Promise<void> {
  await pool?.end();
  pool = undefined;
}
