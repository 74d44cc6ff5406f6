import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const ORMCONFIG = new URL('../../dist/ormconfig.js', import.meta.url).href;

// Runs in a child process (the CLI's data source, on process.env's DATABASE_URL): reverts the
// newest migration until the one named REVERT_THROUGH is reverted too.
const REVERT = `
const { default: dataSource } = await import(${JSON.stringify(ORMCONFIG)});
await dataSource.initialize();
try {
  for (;;) {
    const [last] = await dataSource.query('SELECT name FROM typeorm_migrations ORDER BY id DESC LIMIT 1');
    if (!last) throw new Error('no migration named ' + process.env.REVERT_THROUGH + ' was applied');
    await dataSource.undoLastMigration({ transaction: 'each' });
    if (last.name === process.env.REVERT_THROUGH) break;
  }
} finally {
  await dataSource.destroy();
}`;

/**
 * Reverts migrations, newest first, until `name` (a migration class name) is reverted too, so a
 * migration's test does not depend on how many came after it. Starting the server migrates up.
 */
export async function revertThrough(name: string): Promise<void> {
  await promisify(execFile)(process.execPath, ['--input-type=module', '-e', REVERT], {
    env: { ...process.env, REVERT_THROUGH: name },
  });
}
