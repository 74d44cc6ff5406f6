import { randomBytes } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent.js';
import { hashPassword, issueToken } from '../../src/accounts/credentials.js';
import { testDatabase } from './database.js';

export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomBytes(5).toString('hex')}@example.test`;
}

export interface TestAccount {
  accountId: number;
  userId: number;
  token: string;
  email: string;
  password: string;
}

export const TEST_PASSWORD = 'correct horse battery';

/** An account with one administrator and a personal token, written straight to the database. */
export async function createAccount(name = 'Acme'): Promise<TestAccount> {
  const db = testDatabase();
  const email = uniqueEmail('admin');
  const issued = issueToken();
  const passwordHash = await hashPassword(TEST_PASSWORD, 12);
  const {
    rows: [row],
  } = await db.query(
    `WITH account AS (INSERT INTO accounts (name) VALUES ($1) RETURNING id),
          member AS (INSERT INTO users (name, email, password_hash) VALUES ('Ada Admin', $2, $3) RETURNING id),
          membership AS (
            INSERT INTO account_users (account_id, user_id, role, availability)
            SELECT account.id, member.id, 'administrator', 'online' FROM account, member RETURNING account_id, user_id),
          token AS (
            INSERT INTO access_tokens (user_id, name, kind, token_hash, hint)
            SELECT member.id, 'test', 'personal', $4, $5 FROM member RETURNING id)
     SELECT membership.account_id, membership.user_id FROM membership, token`,
    [name, email, passwordHash, issued.hash, issued.hint],
  );
  return {
    accountId: row.account_id,
    userId: row.user_id,
    token: issued.token,
    email,
    password: TEST_PASSWORD,
  };
}

/** Adds an agent through the API (as the administrator) and signs them in. */
export async function createAgent(
  http: TestAgent,
  admin: TestAccount,
  role: 'agent' | 'administrator' = 'agent',
): Promise<{ userId: number; token: string; email: string }> {
  const email = uniqueEmail(role);
  const created = await http
    .post(`/api/v1/accounts/${admin.accountId}/agents`)
    .set('api_access_token', admin.token)
    .send({ name: `Agent ${email.slice(0, 14)}`, email, role, password: TEST_PASSWORD })
    .expect(201);
  const signIn = await http
    .post('/auth/sign_in')
    .send({ email, password: TEST_PASSWORD })
    .expect(200);
  return { userId: created.body.id, token: signIn.body.access_token, email };
}
