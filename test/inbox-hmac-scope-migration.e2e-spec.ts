import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { accountPath, createInbox } from './support/api-channel.js';
import { testDatabase } from './support/database.js';
import { createAccount } from './support/factories.js';
import { revertThrough } from './support/migrations.js';
import { startServer } from './support/server.js';
import type { TestServer } from './support/server.js';
import { isolate } from './support/webhooks.js';
import type { Isolation } from './support/webhooks.js';

/**
 * InboxHmacScope1795483100000: inboxes that existed before it keep identifier_hash on every
 * Client API route (every_request, what they did); inboxes created after it get Chatwoot's
 * contact_routes.
 */
describe('inbox hmac_scope migration', () => {
  let isolation: Isolation;
  let server: TestServer | undefined;

  beforeAll(async () => {
    isolation = await isolate('hmac_scope_migration');
  });
  afterAll(async () => {
    await server?.stop();
    await isolation?.release();
  });

  it('keeps existing inboxes strict and gives new ones contact_routes', async () => {
    server = await startServer();
    const admin = await createAccount('Scope migration');
    const existing = await createInbox(server.http, admin, { hmac_mandatory: true });
    await server.stop();
    server = undefined;

    await revertThrough('InboxHmacScope1795483100000');
    const { rows: columns } = await testDatabase().query(
      `SELECT 1 FROM information_schema.columns WHERE table_name = 'inboxes' AND column_name = 'hmac_scope'`,
    );
    expect(columns).toEqual([]);

    server = await startServer();
    const shown = await server.http
      .get(`${accountPath(admin)}/inboxes/${existing.id}`)
      .set('api_access_token', admin.token)
      .expect(200);
    expect(shown.body).toMatchObject({ hmac_mandatory: true, hmac_scope: 'every_request' });
    const created = await createInbox(server.http, admin, { hmac_mandatory: true });
    expect(created.body.hmac_scope).toBe('contact_routes');
  });
});
