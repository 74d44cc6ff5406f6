import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { testDatabase } from './database.js';

const TYPEORM_CLI = new URL('../../node_modules/typeorm/cli.js', import.meta.url).pathname;
const ORMCONFIG = new URL('../../dist/ormconfig.js', import.meta.url).pathname;

/**
 * Reverts migrations, newest first, until `name` (a migration class name) is reverted too, so a
 * migration's test does not depend on how many came after it. Starting the server migrates up.
 */
export async function revertThrough(name: string): Promise<void> {
  for (;;) {
    const { rows } = await testDatabase().query(
      `SELECT name FROM typeorm_migrations ORDER BY id DESC LIMIT 1`,
    );
    await promisify(execFile)(
      process.execPath,
      [TYPEORM_CLI, 'migration:revert', '-d', ORMCONFIG],
      {
        env: process.env,
      },
    );
    if (rows[0]?.name === name) return;
  }
}
