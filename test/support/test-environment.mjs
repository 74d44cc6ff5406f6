import { randomBytes } from 'node:crypto';

/** Names that mark a database or Redis prefix as a disposable test one. */
export const TEST_NAME = /^conversa_test_[a-z0-9_]+$/;

/** Refuses to touch anything whose name does not mark it as a test database. */
export function assertTestDatabase(url) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!TEST_NAME.test(name)) {
    throw new Error(
      `Refusing to use database "${name}" in tests: its name must match ${TEST_NAME}`,
    );
  }
  return name;
}

export function newTestRunName() {
  return `conversa_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** The PostgreSQL server the tests use (no database path). */
export const SERVER_URL =
  process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432';
