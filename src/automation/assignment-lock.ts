import type { DataSource } from 'typeorm';

/** Per-account queues of this process's assignment work. */
const queues = new Map<number, Promise<unknown>>();

/**
 * Runs `work` while holding the account's assignment lock, so capacity and round-robin
 * decisions never race, whichever server process makes them. Work is first queued per account
 * inside the process, so only one pool connection per process ever waits on the PostgreSQL
 * advisory lock (waiters must not starve the lock holder of connections); across processes the
 * session advisory lock, on that one dedicated connection, serialises the decisions.
 */
export function withAssignmentLock<T>(
  dataSource: DataSource,
  accountId: number,
  work: () => Promise<T>,
): Promise<T> {
  const previous = queues.get(accountId) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => lockAndRun(dataSource, accountId, work));
  const tail = run.catch(() => undefined);
  queues.set(accountId, tail);
  void tail.then(() => {
    if (queues.get(accountId) === tail) queues.delete(accountId);
  });
  return run;
}

async function lockAndRun<T>(
  dataSource: DataSource,
  accountId: number,
  work: () => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`assignment:${accountId}`]);
    try {
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`assignment:${accountId}`]);
    }
  } finally {
    await runner.release();
  }
}
