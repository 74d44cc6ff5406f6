import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../src/common/index.js';
import { startAppContext } from '../support/app-context.js';
import type { TestAppContext } from '../support/app-context.js';
import { built } from '../support/built.js';
import { closeTestDatabase, testDatabase } from '../support/database.js';
import { createAccount } from '../support/factories.js';
import type { TestAccount } from '../support/factories.js';

// The app's own classes (see built.ts).
const { IdentifyContactCommand } =
  await built<typeof import('../../src/contacts/index.js')>('contacts/index.js');
const { CreateConversationCommand, CreateMessageCommand, MESSAGE_TYPES } =
  await built<typeof import('../../src/conversations/index.js')>('conversations/index.js');
const { SaveInboxCommand } =
  await built<typeof import('../../src/inboxes/index.js')>('inboxes/index.js');

/** CreateMessageCommand through the command bus, against the real database (no HTTP). */
describe('CreateMessageCommand', () => {
  let context: TestAppContext;
  let admin: TestAccount;
  let inboxId: number;
  let contactId: number;
  let contact: Actor;

  /** A new conversation of the contact; answers its internal id. */
  async function newConversation(): Promise<number> {
    const { ref } = await context.commands.execute(
      new IdentifyContactCommand(admin.accountId, inboxId, undefined, {}, false, contact),
    );
    const { id } = await context.commands.execute(
      new CreateConversationCommand(
        { accountId: admin.accountId, inboxId, contact: { contactInboxId: ref.id, contactId } },
        contact,
      ),
    );
    return id;
  }

  /** The contact's message, as the Client API sends it. */
  function send(conversationId: number, content: string, sourceId?: string) {
    return context.commands.execute(
      new CreateMessageCommand(
        conversationId,
        {
          messageType: 'incoming',
          content,
          sourceId: sourceId ?? null,
          sender: { type: 'contact', id: contactId },
        },
        contact,
      ),
    );
  }

  async function rows(sql: string, params: unknown[]) {
    return (await testDatabase().query(sql, params)).rows;
  }

  beforeAll(async () => {
    context = await startAppContext();
    admin = await createAccount('Handlers');
    const administrator: Actor = { type: 'user', id: admin.userId };
    ({ id: inboxId } = await context.commands.execute(
      new SaveInboxCommand(admin.accountId, null, { name: 'Handler tier' }, administrator),
    ));
    const identified = await context.commands.execute(
      new IdentifyContactCommand(
        admin.accountId,
        inboxId,
        undefined,
        { identifier: `crm-${randomUUID()}`, name: 'Hana' },
        false,
        { type: 'system', id: null },
      ),
    );
    contactId = identified.ref.contactId;
    contact = { type: 'contact', id: contactId };
  });
  afterAll(async () => {
    await context?.stop();
    await closeTestDatabase();
  });

  it('stores the message and its message_created event in the same transaction', async () => {
    const conversationId = await newConversation();
    const result = await send(conversationId, 'Where is my order?');

    expect(result).toMatchObject({
      created: true,
      message: { content: 'Where is my order?', message_type: MESSAGE_TYPES.indexOf('incoming') },
    });
    expect(
      await rows(`SELECT id::text, content FROM messages WHERE conversation_id = $1`, [
        conversationId,
      ]),
    ).toEqual([{ id: result.messageId, content: 'Where is my order?' }]);
    const events = await rows(
      `SELECT name, payload->>'content' AS content FROM domain_events
        WHERE conversation_id = $1 AND name = 'message_created'`,
      [conversationId],
    );
    expect(events).toEqual([{ name: 'message_created', content: 'Where is my order?' }]);
  });

  it('returns the existing message for a source_id the inbox already has, and records nothing', async () => {
    const conversationId = await newConversation();
    const sourceId = `crm-msg-${randomUUID()}`;
    const first = await send(conversationId, 'Once', sourceId);
    const again = await send(conversationId, 'Once, retried', sourceId);

    expect(first.created).toBe(true);
    expect(again).toMatchObject({
      created: false,
      messageId: first.messageId,
      message: { content: 'Once', source_id: sourceId },
    });
    expect(
      await rows(`SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1`, [
        conversationId,
      ]),
    ).toEqual([{ n: 1 }]);
    expect(
      await rows(
        `SELECT count(*)::int AS n FROM domain_events
          WHERE conversation_id = $1 AND name = 'message_created'`,
        [conversationId],
      ),
    ).toEqual([{ n: 1 }]);
  });

  it('creates one message when several commands race with one source_id', async () => {
    const conversationId = await newConversation();
    const sourceId = `crm-race-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, index) => send(conversationId, `Race ${index}`, sourceId)),
    );

    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.messageId)).size).toBe(1);
    expect(
      await rows(`SELECT count(*)::int AS n FROM messages WHERE source_id = $1`, [sourceId]),
    ).toEqual([{ n: 1 }]);
  });

  it('refuses a source_id that another conversation of the inbox already uses', async () => {
    const first = await newConversation();
    const second = await newConversation();
    const sourceId = `crm-taken-${randomUUID()}`;
    await send(first, 'In the first conversation', sourceId);

    const [{ display_id: displayId }] = await rows(
      `SELECT display_id FROM conversations WHERE id = $1`,
      [first],
    );
    await expect(send(second, 'In the second', sourceId)).rejects.toMatchObject({
      code: 'source_id_taken',
      extensions: { conversation_id: displayId },
    });
    expect(
      await rows(`SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1`, [second]),
    ).toEqual([{ n: 0 }]);
  });

  it('refuses a conversation that does not exist', async () => {
    await expect(send(2_000_000_000, 'Nowhere')).rejects.toMatchObject({
      code: 'conversation_not_found',
    });
  });
});
