import pg from 'pg';
import { assertTestDatabase } from './test-environment.mjs';

let pool: pg.Pool | undefined;

/** A pool on the run's test database, for factories and for checking what was stored. */
export function testDatabase(): pg.Pool {
  assertTestDatabase(process.env.DATABASE_URL!);
  pool ??= new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 3 });
  return pool;
}

export async function closeTestDatabase(): Promise<void> {
  await pool?.end();
  pool = undefined;
}
