import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { accountPath } from './support/api-channel.js';
import { testDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { createAccount, createAgent, uniqueEmail } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { startServer } from './support/server.js';
import type { TestServer } from './support/server.js';

describe('Audit logs', () => {
  let server: TestServer;
  let admin: TestAccount;

  const logs = (token = admin.token, page?: number) =>
    server.http
      .get(`${accountPath(admin)}/audit_logs`)
      .query(page ? { page } : {})
      .set('api_access_token', token);

  beforeAll(async () => {
    server = await startServer();
    admin = await createAccount('Audited');
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("records an administrator's writes with who, when, where and what (never secrets)", async () => {
    const email = uniqueEmail('audited');
    const agent = await server.http
      .post(`${accountPath(admin)}/agents`)
      .set('api_access_token', admin.token)
      .send({ name: 'Audited Agent', email, role: 'agent', password: 'a secret password' })
      .expect(201);
    const team = await server.http
      .post(`${accountPath(admin)}/teams`)
      .set('api_access_token', admin.token)
      .send({ name: 'Audit team' })
      .expect(201);
    await server.http
      .patch(`${accountPath(admin)}/teams/${team.body.id}`)
      .set('api_access_token', admin.token)
      .send({ description: 'Renamed' })
      .expect(200);
    await server.http
      .delete(`${accountPath(admin)}/teams/${team.body.id}`)
      .set('api_access_token', admin.token)
      .expect(200);
    // A refused write changes nothing and is not recorded.
    await server.http
      .post(`${accountPath(admin)}/teams`)
      .set('api_access_token', admin.token)
      .send({ name: '' })
      .expect(422);

    const { body } = await logs().expect(200);
    expect(body).toMatchObject({ per_page: 15, total_entries: 4, current_page: 1 });
    const started = Math.floor(Date.now() / 1000) - 60;
    expect(
      body.audit_logs.map((log: Record<string, unknown>) => [
        log.action,
        log.auditable_type,
        log.auditable_id,
      ]),
    ).toEqual([
      ['destroy', 'Team', team.body.id],
      ['update', 'Team', team.body.id],
      ['create', 'Team', team.body.id],
      ['create', 'Agent', agent.body.id],
    ]);
    const [, update, , created] = body.audit_logs;
    expect(update).toMatchObject({
      associated_id: admin.accountId,
      associated_type: 'Account',
      user_id: admin.userId,
      user_type: 'User',
      username: admin.email,
      audited_changes: { description: 'Renamed' },
      version: 1,
      comment: 'PATCH /api/v1/accounts/:account_id/teams/:id',
      remote_address: expect.stringMatching(/127\.0\.0\.1$/),
      request_uuid: expect.any(String),
    });
    expect(update.created_at).toBeGreaterThanOrEqual(started);
    expect(created.audited_changes).toEqual({
      name: 'Audited Agent',
      email,
      role: 'agent',
      password: '[FILTERED]',
    });
    expect(JSON.stringify(body)).not.toContain('a secret password');
  });

  it('is for administrators only, and does not record reads or agents', async () => {
    const agent = await createAgent(server.http, admin);
    await logs(agent.token).expect(403);
    const before = (await logs().expect(200)).body.total_entries;
    await server.http
      .get(`${accountPath(admin)}/teams`)
      .set('api_access_token', admin.token)
      .expect(200);
    await server.http
      .post('/api/v1/profile/availability')
      .set('api_access_token', agent.token)
      .send({ availability: 'busy' });
    // A read and an agent's own write add nothing.
    expect((await logs().expect(200)).body.total_entries).toBe(before);
  });

  it('deletes entries older than AUDIT_LOG_RETENTION_DAYS', async () => {
    const db = testDatabase();
    const { rows } = await db.query(
      `INSERT INTO audit_logs (account_id, auditable_type, action, operation, request_uuid, created_at)
       VALUES ($1, 'Team', 'create', 'POST /x', 'old', now() - interval '3 days') RETURNING id`,
      [admin.accountId],
    );
    const pruning = await startServer({ AUDIT_LOG_RETENTION_DAYS: '2' });
    try {
      await eventually(async () => {
        const left = await db.query(`SELECT 1 FROM audit_logs WHERE id = $1`, [rows[0].id]);
        expect(left.rowCount).toBe(0);
      });
      expect((await logs().expect(200)).body.total_entries).toBeGreaterThan(0);
    } finally {
      await pruning.stop();
    }
  });
});
