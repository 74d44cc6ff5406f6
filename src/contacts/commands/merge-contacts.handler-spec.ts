import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { EventBus, IEvent } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../../config/index.js';
import { buildDataSourceOptions, ChangeFeed } from '../../database/index.js';
import { DomainEvent, UnitOfWork } from '../../outbox/index.js';
import { ContactInbox } from '../entities/contact-inbox.entity.js';
import { Contact } from '../entities/contact.entity.js';
import { MergeContactsCommand } from './merge-contacts.command.js';
import type { MoveContactRows } from './merge-contacts.command.js';
import { MergeContactsHandler } from './merge-contacts.handler.js';

/** Handler tier: a contact merge against the real database, no HTTP; one transaction. */
describe('MergeContactsHandler (real PostgreSQL): one unit of work', () => {
  let dataSource: DataSource;
  let observer: pg.Client;
  let handler: MergeContactsHandler;
  let published: IEvent[][];
  let accountId: number;
  let inboxId: number;

  const contact = async (values: Record<string, unknown>, sourceId: string) => {
    const {
      rows: [row],
    } = await observer.query(
      `INSERT INTO contacts (account_id, name, email, custom_attributes, labels)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [accountId, values.name, values.email ?? null, values.custom ?? {}, values.labels ?? []],
    );
    await observer.query(
      `INSERT INTO contact_inboxes (contact_id, inbox_id, source_id, pubsub_token)
       VALUES ($1, $2, $3, $3)`,
      [row.id, inboxId, sourceId],
    );
    return row.id as number;
  };

  /** Everything a merge may change, for the two contacts. */
  const state = async (ids: number[]) => ({
    contacts: (
      await observer.query(
        `SELECT id, name, email, custom_attributes, labels FROM contacts WHERE id = ANY($1) ORDER BY id`,
        [ids],
      )
    ).rows,
    links: (
      await observer.query(
        `SELECT contact_id, source_id FROM contact_inboxes WHERE contact_id = ANY($1) ORDER BY id`,
        [ids],
      )
    ).rows,
    events: (
      await observer.query(`SELECT name FROM domain_events WHERE account_id = $1`, [accountId])
    ).rows,
  });

  beforeAll(async () => {
    const url = process.env.DATABASE_URL!;
    dataSource = await new DataSource({
      ...buildDataSourceOptions(url, 2),
      entities: [Contact, ContactInbox],
    }).initialize();
    observer = new pg.Client({ connectionString: url });
    await observer.connect();
    accountId = (
      await observer.query(`INSERT INTO accounts (name) VALUES ('Merge spec') RETURNING id`)
    ).rows[0].id;
    inboxId = (
      await observer.query(
        `INSERT INTO inboxes (account_id, name, identifier, hmac_token)
         VALUES ($1, 'Spec', $2, 'x') RETURNING id`,
        [accountId, `merge-${randomUUID().slice(0, 8)}`],
      )
    ).rows[0].id;
    const changes = new ChangeFeed({ get: () => url } as unknown as AppConfig);
    const bus = { publishAll: (events: IEvent[]) => published.push(events) } as unknown as EventBus;
    handler = new MergeContactsHandler(new UnitOfWork(dataSource, changes, bus));
  });

  afterAll(async () => {
    await observer.end();
    await dataSource.destroy();
  });

  beforeEach(() => {
    published = [];
  });

  const merge = (baseId: number, mergeeId: number, moveRows: MoveContactRows) =>
    handler.execute(
      new MergeContactsCommand(accountId, baseId, mergeeId, { type: 'user', id: 1 }, moveRows),
    );

  it('a step that fails after rows moved leaves both contacts as they were, no event, nothing published', async () => {
    const base = await contact({ name: 'Base', labels: ['vip'] }, `b-${randomUUID()}`);
    const mergee = await contact(
      { name: 'Dup', email: `${randomUUID()}@example.test`, custom: { plan: 'pro' } },
      `m-${randomUUID()}`,
    );
    const before = await state([base, mergee]);
    let moved = false;
    const failing = async (manager: EntityManager) => {
      // The caller's rows move in the merge's transaction...
      await manager.query(`UPDATE contacts SET name = 'moved' WHERE id = $1`, [base]);
      moved = true;
      // ...and a failure after that undoes them with everything else.
      throw new Error('disk full');
    };
    await expect(merge(base, mergee, failing)).rejects.toThrow('disk full');
    expect(moved).toBe(true);
    expect(await state([base, mergee])).toEqual(before);
    expect(published).toEqual([]);
  });

  it('commits the merge with exactly one contact_merged event, published once after commit', async () => {
    const base = await contact({ name: 'Base', labels: ['vip'] }, `b-${randomUUID()}`);
    const email = `${randomUUID()}@example.test`;
    const mergee = await contact(
      { name: 'Dup', email, custom: { plan: 'pro' }, labels: ['lead', 'vip'] },
      `m-${randomUUID()}`,
    );
    const moves: number[][] = [];
    const { id } = await merge(base, mergee, async (_manager, from, to) => {
      moves.push([from, to]);
    });
    expect(id).toBe(base);
    expect(moves).toEqual([[mergee, base]]);
    const after = await state([base, mergee]);
    expect(after.contacts).toEqual([
      {
        id: base,
        name: 'Base',
        email,
        custom_attributes: { plan: 'pro' },
        labels: ['vip', 'lead'],
      },
    ]);
    expect(after.links.map((link) => link.contact_id)).toEqual([base, base]);
    expect(after.events.map((event) => event.name)).toEqual(['contact_merged']);
    expect(published).toHaveLength(1);
    expect(published[0].map((event) => (event as DomainEvent).meta.name)).toEqual([
      'contact_merged',
    ]);
  });
});
