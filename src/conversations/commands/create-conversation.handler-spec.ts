import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { EventBus, IEvent, QueryBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { Actor } from '../../common/index.js';
import type { AppConfig } from '../../config/index.js';
import { buildDataSourceOptions, ChangeFeed } from '../../database/index.js';
import { DomainEvent, UnitOfWork } from '../../outbox/index.js';
import type { ActorNames } from '../actor-names.service.js';
import { MessageSourceIdTakenError } from '../conversations.errors.js';
import { Conversation } from '../entities/conversation.entity.js';
import { Message } from '../entities/message.entity.js';
import { CreateConversationCommand } from './create-conversation.command.js';
import { CreateConversationHandler } from './create-conversation.handler.js';

/** Handler tier: the command against the real database, no HTTP. */
describe('CreateConversationHandler (real PostgreSQL): one transaction', () => {
  let dataSource: DataSource;
  let observer: pg.Client;
  let handler: CreateConversationHandler;
  let published: IEvent[][];
  let accountId: number;
  let inboxId: number;
  let contactId: number;
  let contactInboxId: number;
  const actor: Actor = { type: 'contact', id: 0 };

  const command = (message: { sourceId: string }) =>
    new CreateConversationCommand(
      {
        accountId,
        inboxId,
        contact: { contactInboxId, contactId },
        message: {
          messageType: 'incoming',
          content: 'hello',
          sourceId: message.sourceId,
          sender: { type: 'contact', id: contactId },
        },
      },
      { ...actor, id: contactId },
    );

  const stored = async () =>
    (
      await observer.query(
        `SELECT name, conversation_id FROM domain_events WHERE account_id = $1 ORDER BY id`,
        [accountId],
      )
    ).rows;

  const conversationIds = async () =>
    (
      await observer.query(`SELECT id FROM conversations WHERE contact_inbox_id = $1 ORDER BY id`, [
        contactInboxId,
      ])
    ).rows.map((row) => row.id);

  beforeAll(async () => {
    const url = process.env.DATABASE_URL!;
    dataSource = await new DataSource({
      ...buildDataSourceOptions(url, 2),
      entities: [Conversation, Message],
    }).initialize();
    observer = new pg.Client({ connectionString: url });
    await observer.connect();
    const suffix = randomUUID().slice(0, 8);
    accountId = (
      await observer.query(
        `INSERT INTO accounts (name) VALUES ('Create conversation spec') RETURNING id`,
      )
    ).rows[0].id;
    inboxId = (
      await observer.query(
        `INSERT INTO inboxes (account_id, name, identifier, hmac_token)
         VALUES ($1, 'Spec', $2, 'x') RETURNING id`,
        [accountId, `spec-${suffix}`],
      )
    ).rows[0].id;
    contactId = (
      await observer.query(
        `INSERT INTO contacts (account_id, name) VALUES ($1, 'Ada') RETURNING id`,
        [accountId],
      )
    ).rows[0].id;
    contactInboxId = (
      await observer.query(
        `INSERT INTO contact_inboxes (contact_id, inbox_id, source_id, pubsub_token)
         VALUES ($1, $2, $3, $3) RETURNING id`,
        [contactId, inboxId, `source-${suffix}`],
      )
    ).rows[0].id;
    // Not started: announce needs only the transaction's connection (NOTIFY).
    const changes = new ChangeFeed({ get: () => url } as unknown as AppConfig);
    const bus = { publishAll: (events: IEvent[]) => published.push(events) } as unknown as EventBus;
    // Without an assignee or a team the handler asks other modules nothing.
    const unused = new Proxy(
      {},
      {
        get: () => {
          throw new Error('not expected to be asked');
        },
      },
    );
    handler = new CreateConversationHandler(
      new UnitOfWork(dataSource, changes, bus),
      unused as QueryBus,
      unused as ActorNames,
    );
  });

  afterAll(async () => {
    await observer.end();
    await dataSource.destroy();
  });

  beforeEach(() => {
    published = [];
  });

  it('commits the conversation and its first message, events in order, published once after commit', async () => {
    const { id, created } = await handler.execute(command({ sourceId: 'first' }));

    expect(created).toBe(true);
    expect(await conversationIds()).toEqual([id]);
    expect(await stored()).toEqual([
      { name: 'conversation_created', conversation_id: id },
      { name: 'message_created', conversation_id: id },
    ]);
    expect(published).toHaveLength(1);
    expect(published[0].map((event) => (event as DomainEvent).meta.name)).toEqual([
      'conversation_created',
      'message_created',
    ]);
  });

  it('a later step that fails (a message source_id another conversation has) leaves no conversation, no event, nothing published', async () => {
    const before = {
      conversations: await conversationIds(),
      events: await stored(),
      counter: (
        await observer.query(
          `SELECT last_display_id FROM conversation_display_counters WHERE account_id = $1`,
          [accountId],
        )
      ).rows,
    };

    // The conversation is inserted and conversation_created recorded before the message fails.
    await expect(handler.execute(command({ sourceId: 'first' }))).rejects.toBeInstanceOf(
      MessageSourceIdTakenError,
    );

    expect(await conversationIds()).toEqual(before.conversations);
    expect(await stored()).toEqual(before.events);
    expect(
      (
        await observer.query(
          `SELECT last_display_id FROM conversation_display_counters WHERE account_id = $1`,
          [accountId],
        )
      ).rows,
    ).toEqual(before.counter);
    expect(published).toEqual([]);
  });
});
