import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { accountPath, createInbox } from './support/api-channel.js';
import { testDatabase } from './support/database.js';
import { createAccount } from './support/factories.js';
import { revertThrough } from './support/migrations.js';
import type { TestAccount } from './support/factories.js';
import { startServer } from './support/server.js';
import type { TestServer } from './support/server.js';
import { isolate } from './support/webhooks.js';
import type { Isolation } from './support/webhooks.js';

/**
 * InboxWebhooksInEndpoints1795474000000 moves inbox webhook URLs and secrets from the inbox
 * rows to the webhooks module's endpoint rows, and back on revert: what the API shows of every
 * inbox is the same before the revert, in the old layout, and after migrating again.
 */
describe('inbox webhooks migration', () => {
  let isolation: Isolation;
  let server: TestServer | undefined;
  let admin: TestAccount;

  beforeAll(async () => {
    isolation = await isolate('wh_migration');
  });
  afterAll(async () => {
    await server?.stop();
    await isolation?.release();
  });

  it('moves URLs and secrets (the previous one too) down to the inboxes and up again, unchanged', async () => {
    server = await startServer();
    admin = await createAccount('Migration');
    const get = (path: string) =>
      server!.http.get(`${accountPath(admin)}/${path}`).set('api_access_token', admin.token);
    const withUrl = await createInbox(server.http, admin, {
      webhook_url: 'https://crm.example.test/conversa',
    });
    await server.http
      .post(`${accountPath(admin)}/inboxes/${withUrl.id}/webhook/rotate_secret`)
      .set('api_access_token', admin.token)
      .expect(200);
    const withoutUrl = await createInbox(server.http, admin);
    // hmac_scope comes from a later migration, which sets inboxes that existed before it apart.
    const shown = async () => ({
      inboxes: (await get('inboxes').expect(200)).body.payload.map(
        ({ hmac_scope: _scope, ...inbox }: Record<string, unknown>) => inbox,
      ),
      webhook: (await get(`inboxes/${withUrl.id}/webhook`).expect(200)).body,
    });
    const before = await shown();
    expect(before.webhook).toMatchObject({
      url: 'https://crm.example.test/conversa',
      previous_secret_active: true,
    });
    const endpoints = await testDatabase().query(
      `SELECT inbox_id, url, secret, previous_secret, previous_secret_expires_at FROM webhook_endpoints
        WHERE kind = 'inbox' AND account_id = $1 ORDER BY inbox_id`,
      [admin.accountId],
    );
    await server.stop();
    server = undefined;

    await revertThrough('InboxWebhooksInEndpoints1795474000000');
    const { rows: reverted } = await testDatabase().query(
      `SELECT id AS inbox_id, webhook_url AS url, webhook_secret AS secret,
              webhook_previous_secret AS previous_secret,
              webhook_previous_secret_expires_at AS previous_secret_expires_at
         FROM inboxes WHERE account_id = $1 ORDER BY id`,
      [admin.accountId],
    );
    expect(reverted).toEqual(endpoints.rows);
    expect(reverted.map((row) => row.inbox_id)).toEqual([withUrl.id, withoutUrl.id]);
    const { rows: emptied } = await testDatabase().query(
      `SELECT url, secret FROM webhook_endpoints WHERE kind = 'inbox' AND account_id = $1`,
      [admin.accountId],
    );
    expect(emptied.every((row) => row.url === null && row.secret === null)).toBe(true);
    // Before, an inbox got its endpoint row only once its webhook was used.
    await testDatabase().query(
      `DELETE FROM webhook_endpoints WHERE kind = 'inbox' AND inbox_id = $1`,
      [withoutUrl.id],
    );

    // Starting the server migrates up again, from the old layout.
    server = await startServer();
    expect(await shown()).toEqual(before);
  });
});
