import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { closeTestDatabase } from './support/database.js';
import { createAccount } from './support/factories.js';
import { startServer, TestServer } from './support/server.js';

describe('smoke', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.stop();
    await closeTestDatabase();
  });

  it('returns the profile', async () => {
    const admin = await createAccount();
    const res = await server.http.get('/api/v1/profile').set('api_access_token', admin.token).expect(200);
    expect(res.body.email).toBe(admin.email);
  });
});
