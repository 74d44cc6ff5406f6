import type { DataSource, EntityManager } from 'typeorm';

interface PgQueryable {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** PostgreSQL's answer when a statement prepared before a migration now returns other columns. */
const RESULT_TYPE_CHANGED = '0A000';

/**
 * A hot query as a named prepared statement: PostgreSQL parses and plans it once per
 * connection instead of on every call. For the read models' joins and the delivery claims,
 * planning took 1-5 ms against well under 1 ms of execution, and was most of the database's CPU
 * under load. Runs in the caller's transaction when given its EntityManager; values are passed
 * to node-postgres as TypeORM would pass them. Names must be unique per query text.
 */
export class PreparedQuery<Row> {
  /** Set once the table changed under a prepared plan: plain queries until the process restarts. */
  private unprepared = false;

  constructor(
    readonly name: string,
    readonly text: string,
  ) {}

  async rows(on: EntityManager | DataSource, values: unknown[]): Promise<Row[]> {
    const client = await connectionOf(on);
    if (this.unprepared) return (await client.query({ text: this.text, values })).rows as Row[];
    try {
      const result = await client.query({ name: this.name, text: this.text, values });
      return result.rows as Row[];
    } catch (error) {
      // A migration added a column (say, during a rolling deploy): statements this process
      // prepared earlier now fail on every connection that has them. Stop preparing this one.
      if ((error as { code?: string }).code !== RESULT_TYPE_CHANGED) throw error;
      this.unprepared = true;
      return (await client.query({ text: this.text, values })).rows as Row[];
    }
  }

  async first(on: EntityManager | DataSource, values: unknown[]): Promise<Row | undefined> {
    return (await this.rows(on, values))[0];
  }
}

async function connectionOf(on: EntityManager | DataSource): Promise<PgQueryable> {
  const runner = 'queryRunner' in on ? on.queryRunner : undefined;
  if (runner) {
    // Never fall back to the pool from a finished transaction: it would run outside it.
    if (runner.isReleased) throw new Error('PreparedQuery: the transaction has already ended');
    return (await runner.connect()) as PgQueryable;
  }
  const dataSource = 'driver' in on ? on : on.connection;
  // Outside a transaction: the pool, which runs it on any connection (each prepares it once).
  return (dataSource.driver as unknown as { master: PgQueryable }).master;
}
