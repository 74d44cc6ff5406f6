import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../src/common/index.js';
import type { ContactValues } from '../../src/contacts/index.js';
import { startAppContext } from '../support/app-context.js';
import type { TestAppContext } from '../support/app-context.js';
import { built } from '../support/built.js';
import { closeTestDatabase, testDatabase } from '../support/database.js';
import { createAccount } from '../support/factories.js';
import type { TestAccount } from '../support/factories.js';

// The app's own classes (see built.ts).
const { IdentifyContactCommand } =
  await built<typeof import('../../src/contacts/index.js')>('contacts/index.js');
const { SaveInboxCommand } =
  await built<typeof import('../../src/inboxes/index.js')>('inboxes/index.js');

/** The Client API's create-or-identify, through the command bus against the real database. */
describe('IdentifyContactCommand', () => {
  const system: Actor = { type: 'system', id: null };
  let context: TestAppContext;
  let admin: TestAccount;
  let inboxId: number;
  let otherInboxId: number;

  function identify(inbox: number, sourceId: string | undefined, values: ContactValues) {
    return context.commands.execute(
      new IdentifyContactCommand(admin.accountId, inbox, sourceId, values, false, system),
    );
  }

  async function contactsWith(identifier: string): Promise<number> {
    const { rows } = await testDatabase().query(
      `SELECT count(*)::int AS n FROM contacts WHERE account_id = $1 AND identifier = $2`,
      [admin.accountId, identifier],
    );
    return rows[0].n;
  }

  beforeAll(async () => {
    context = await startAppContext();
    admin = await createAccount('Identify');
    const administrator: Actor = { type: 'user', id: admin.userId };
    const save = (name: string) =>
      context.commands.execute(
        new SaveInboxCommand(admin.accountId, null, { name }, administrator),
      );
    ({ id: inboxId } = await save('Identify A'));
    ({ id: otherInboxId } = await save('Identify B'));
  });
  afterAll(async () => {
    await context?.stop();
    await closeTestDatabase();
  });

  it('creates a contact with a contact inbox, and records contact_created', async () => {
    const identifier = `crm-${randomUUID()}`;
    const { ref, created } = await identify(inboxId, undefined, { identifier, name: 'Iris' });

    expect(created).toBe(true);
    expect(ref).toMatchObject({ inboxId, sourceId: expect.any(String), hmacVerified: false });
    const { rows } = await testDatabase().query(
      `SELECT name, payload->>'identifier' AS identifier FROM domain_events
        WHERE account_id = $1 AND name = 'contact_created' AND payload->>'id' = $2`,
      [admin.accountId, String(ref.contactId)],
    );
    expect(rows).toEqual([{ name: 'contact_created', identifier }]);
  });

  it('finds the contact by identifier in another inbox, and gives it a contact inbox there', async () => {
    const identifier = `crm-${randomUUID()}`;
    const first = await identify(inboxId, undefined, { identifier, name: 'Jonas' });
    const second = await identify(otherInboxId, undefined, { identifier });

    expect(second.created).toBe(false);
    expect(second.ref).toMatchObject({ contactId: first.ref.contactId, inboxId: otherInboxId });
    expect(second.ref.sourceId).not.toBe(first.ref.sourceId);
    expect(await contactsWith(identifier)).toBe(1);
  });

  it('answers the contact of a known source_id, whatever else is sent', async () => {
    const identifier = `crm-${randomUUID()}`;
    const first = await identify(inboxId, undefined, { identifier, name: 'Kim' });
    const again = await identify(inboxId, first.ref.sourceId, {
      identifier: `crm-${randomUUID()}`,
    });

    expect(again).toMatchObject({
      created: false,
      ref: { id: first.ref.id, contactId: first.ref.contactId, sourceId: first.ref.sourceId },
    });
  });

  it('creates one contact when identifies of one identifier race', async () => {
    const identifier = `crm-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 6 }, () => identify(inboxId, undefined, { identifier })),
    );

    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.ref.contactId)).size).toBe(1);
    expect(await contactsWith(identifier)).toBe(1);
  });
});
