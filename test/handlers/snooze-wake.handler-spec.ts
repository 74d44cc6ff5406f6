import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Actor } from '../../src/common/index.js';
import { startAppContext } from '../support/app-context.js';
import type { TestAppContext } from '../support/app-context.js';
import { built } from '../support/built.js';
import { testDatabase } from '../support/database.js';
import { createAccount } from '../support/factories.js';
import type { TestAccount } from '../support/factories.js';
import { isolate } from '../support/webhooks.js';
import type { Isolation } from '../support/webhooks.js';

// The app's own classes (see built.ts).
const { IdentifyContactCommand } =
  await built<typeof import('../../src/contacts/index.js')>('contacts/index.js');
const {
  CreateConversationCommand,
  ReopenSnoozedConversationsCommand,
  SNOOZE_ENDED_ACTIVITY,
  ToggleStatusCommand,
} = await built<typeof import('../../src/conversations/index.js')>('conversations/index.js');
const { SaveInboxCommand } =
  await built<typeof import('../../src/inboxes/index.js')>('inboxes/index.js');

const HOUR = 3_600_000;

/**
 * The snooze wake-up as a command, against the real database: the due time is a parameter, so
 * "later" is a time the test names, not one it waits for.
 */
describe('ReopenSnoozedConversationsCommand', () => {
  let isolation: Isolation;
  let context: TestAppContext;
  let admin: TestAccount;
  let agent: Actor;
  let inboxId: number;

  async function snoozedConversation(until: Date | null): Promise<number> {
    const contact: Actor = { type: 'system', id: null };
    const { ref } = await context.commands.execute(
      new IdentifyContactCommand(
        admin.accountId,
        inboxId,
        undefined,
        { identifier: `crm-${randomUUID()}` },
        false,
        contact,
      ),
    );
    const { id } = await context.commands.execute(
      new CreateConversationCommand(
        {
          accountId: admin.accountId,
          inboxId,
          contact: { contactInboxId: ref.id, contactId: ref.contactId },
        },
        contact,
      ),
    );
    await context.commands.execute(new ToggleStatusCommand(id, 'snoozed', until, agent));
    return id;
  }

  const wake = (dueAt: Date, limit = 100) =>
    context.commands.execute(new ReopenSnoozedConversationsCommand(dueAt, limit));

  async function state(id: number) {
    const {
      rows: [row],
    } = await testDatabase().query(
      `SELECT status, snoozed_until FROM conversations WHERE id = $1`,
      [id],
    );
    return row;
  }

  async function statusEvents(id: number) {
    const { rows } = await testDatabase().query(
      `SELECT payload->>'status' AS status, payload->>'previous_status' AS previous, actor_type
         FROM domain_events WHERE conversation_id = $1 AND name = 'conversation_status_changed'
        ORDER BY id`,
      [id],
    );
    return rows;
  }

  async function activities(id: number): Promise<string[]> {
    const { rows } = await testDatabase().query(
      `SELECT content FROM messages WHERE conversation_id = $1 AND message_type = 2 ORDER BY id`,
      [id],
    );
    return rows.map((row) => row.content);
  }

  beforeAll(async () => {
    // A database of its own: the command takes every due conversation of the database, and
    // other specs' servers would wake this spec's conversations (and this spec theirs).
    isolation = await isolate('snooze_wake');
    context = await startAppContext();
    admin = await createAccount('Snooze wake');
    agent = { type: 'user', id: admin.userId };
    ({ id: inboxId } = await context.commands.execute(
      new SaveInboxCommand(admin.accountId, null, { name: 'Snoozes' }, agent),
    ));
  });
  afterAll(async () => {
    await context?.stop();
    await isolation?.release();
  });

  it('reopens a conversation once its time has passed, with an activity message and its event', async () => {
    const now = Date.now();
    const due = await snoozedConversation(new Date(now + HOUR));
    const later = await snoozedConversation(new Date(now + 3 * HOUR));
    const untimed = await snoozedConversation(null);

    expect(await wake(new Date(now + 2 * HOUR))).toBe(1);

    expect(await state(due)).toEqual({ status: 'open', snoozed_until: null });
    expect((await activities(due)).at(-1)).toBe(SNOOZE_ENDED_ACTIVITY);
    expect((await statusEvents(due)).at(-1)).toEqual({
      status: 'open',
      previous: 'snoozed',
      actor_type: 'system',
    });
    // Not due yet, and snoozed without a time (the contact's next message opens it).
    expect(await state(later)).toMatchObject({ status: 'snoozed' });
    expect(await state(untimed)).toEqual({ status: 'snoozed', snoozed_until: null });
    // Done once: a second pass finds nothing.
    expect(await wake(new Date(now + 2 * HOUR))).toBe(0);
    expect(await statusEvents(due)).toHaveLength(2);
  });

  it('never reopens a conversation changed since: snoozed again to later, resolved or opened', async () => {
    const now = Date.now();
    const resnoozed = await snoozedConversation(new Date(now + HOUR));
    const resolved = await snoozedConversation(new Date(now + HOUR));
    const opened = await snoozedConversation(new Date(now + HOUR));
    await context.commands.execute(
      new ToggleStatusCommand(resnoozed, 'snoozed', new Date(now + 5 * HOUR), agent),
    );
    await context.commands.execute(new ToggleStatusCommand(resolved, 'resolved', null, agent));
    await context.commands.execute(new ToggleStatusCommand(opened, 'open', null, agent));

    expect(await wake(new Date(now + 2 * HOUR))).toBe(0);

    expect(await state(resnoozed)).toEqual({
      status: 'snoozed',
      snoozed_until: new Date(now + 5 * HOUR),
    });
    expect(await state(resolved)).toMatchObject({ status: 'resolved' });
    expect(await activities(opened)).not.toContain(SNOOZE_ENDED_ACTIVITY);
  });

  it('works in batches, and concurrent passes share the due conversations', async () => {
    const now = Date.now();
    const due = [];
    for (let i = 0; i < 7; i++) due.push(await snoozedConversation(new Date(now + HOUR + i)));
    const dueAt = new Date(now + 2 * HOUR);

    expect(await wake(dueAt, 2)).toBe(2);
    const counts = await Promise.all([wake(dueAt, 3), wake(dueAt, 3), wake(dueAt, 3)]);
    expect(counts.reduce((sum, n) => sum + n, 0)).toBe(5);

    for (const id of due) {
      expect(await state(id)).toMatchObject({ status: 'open' });
      // Exactly one reopen each: snoozed by the agent, then opened by the system.
      expect(await statusEvents(id)).toEqual([
        expect.objectContaining({ status: 'snoozed' }),
        { status: 'open', previous: 'snoozed', actor_type: 'system' },
      ]);
      expect((await activities(id)).filter((text) => text === SNOOZE_ENDED_ACTIVITY)).toHaveLength(
        1,
      );
    }
  });

  it('skips a conversation another transaction holds, and takes it at a later pass', async () => {
    const now = Date.now();
    const held = await snoozedConversation(new Date(now + HOUR));
    const free = await snoozedConversation(new Date(now + HOUR));
    const holder = new pg.Client({ connectionString: isolation.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM conversations WHERE id = $1 FOR UPDATE', [held]);
      expect(await wake(new Date(now + 2 * HOUR))).toBe(1);
      expect(await state(free)).toMatchObject({ status: 'open' });
      expect(await state(held)).toMatchObject({ status: 'snoozed' });
      // The holder goes away without a change (as a crashed pass does: its batch rolls back).
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
    }
    expect(await wake(new Date(now + 2 * HOUR))).toBe(1);
    expect(await state(held)).toMatchObject({ status: 'open' });
  });
});
