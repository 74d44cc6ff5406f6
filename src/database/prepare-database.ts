import pg from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source-options.js';
import { redactUrl } from './redact-url.js';

/** A start-up failure whose message is meant to be shown to the operator as it is. */
export class StartupError extends Error {}

// Any constant works; it only has to be the same in every process of this app.
const MIGRATION_LOCK_KEY = 4_108_812_231;

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

function unreachable(url: string, error: unknown): StartupError {
  const reason = error instanceof Error ? error.message || error.name : String(error);
  return new StartupError(`Cannot reach PostgreSQL at ${redactUrl(url)}: ${reason}`);
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Creates the database named in `url` when it does not exist yet. */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const name = databaseName(url);
  try {
    const client = await connect(url);
    await client.end();
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw unreachable(url, error);
  }
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  let client: pg.Client;
  try {
    client = await connect(maintenance.toString());
  } catch (error) {
    throw unreachable(url, error);
  }
  try {
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } catch (error) {
    // Another process created it between our check and now.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}

/**
 * Applies pending migrations. An advisory lock serialises concurrent starts (several API and
 * worker processes booting at once), so each migration runs exactly once.
 */
export async function runPendingMigrations(url: string): Promise<string[]> {
  let lock: pg.Client;
  try {
    lock = await connect(url);
  } catch (error) {
    throw unreachable(url, error);
  }
  const dataSource = new DataSource({ ...buildDataSourceOptions(url, 2), logging: false });
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end();
  }
}

/** Creates the database if missing and applies pending migrations. */
export async function prepareDatabase(url: string): Promise<string[]> {
  await ensureDatabaseExists(url);
  return runPendingMigrations(url);
}
