import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { EventBus, IEvent } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { NotFoundError, SYSTEM_ACTOR } from '../common/index.js';
import type { AppConfig } from '../config/index.js';
import { buildDataSourceOptions, ChangeFeed } from '../database/index.js';
import { requestIdempotencyKey, runApplyingKey } from '../idempotency/index.js';
import type { HeldKey } from '../idempotency/index.js';
import { DomainEvent, loadEvent, OutboxEvent } from './domain-event.js';
import type { StoredEvent } from './domain-event.js';
import { toStoredEvent } from './record-event.js';
import { UnitOfWork } from './unit-of-work.js';

/** The account this spec's events belong to (created in beforeAll). */
let accountId = 0;

/** An event of this spec only: the catalogue is open, so a test can register its own. */
@OutboxEvent('unit_of_work_tested', { subscribable: false })
class Tested extends DomainEvent {
  readonly inboxId = null;
  readonly conversationId = null;

  constructor(
    readonly stream: string,
    readonly note: string,
  ) {
    super(SYSTEM_ACTOR);
  }

  get accountId(): number {
    return accountId;
  }

  toPayload(): Record<string, unknown> {
    return { note: this.note };
  }

  static fromStored(stored: StoredEvent): Tested {
    return new Tested(stored.stream, stored.payload.note as string);
  }
}

class Thrown extends NotFoundError {
  constructor() {
    super('thing_not_found', 'No such thing.');
  }
}

/** What the bus was handed, and whether the change was visible to others by then. */
interface Publication {
  events: IEvent[];
  committedBeforePublish: boolean;
  keyInScope: HeldKey | undefined;
}

describe('UnitOfWork (real PostgreSQL)', () => {
  let dataSource: DataSource;
  let observer: pg.Client;
  let uow: UnitOfWork;
  let published: Publication[];
  let stream: string;

  const storedRows = async () =>
    (
      await observer.query(
        `SELECT id, event_id, name, account_id, inbox_id, conversation_id, stream, sequence,
                actor_type, actor_id, payload, occurred_at FROM domain_events WHERE stream = $1 ORDER BY sequence`,
        [stream],
      )
    ).rows;

  const claimKey = async (): Promise<HeldKey> => {
    const held = { scope: `test:${randomUUID()}`, key: randomUUID(), claimId: randomUUID() };
    await observer.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, expires_at, claim_id)
       VALUES ($1, $2, repeat('0', 64), now() + interval '1 hour', $3)`,
      [held.scope, held.key, held.claimId],
    );
    return held;
  };

  const appliedAt = async (held: HeldKey) =>
    (await observer.query(`SELECT applied_at FROM idempotency_keys WHERE scope = $1`, [held.scope]))
      .rows[0].applied_at;

  beforeAll(async () => {
    const url = process.env.DATABASE_URL!;
    dataSource = await new DataSource(buildDataSourceOptions(url, 2)).initialize();
    observer = new pg.Client({ connectionString: url });
    await observer.connect();
    const { rows } = await observer.query(
      `INSERT INTO accounts (name) VALUES ('Unit of work spec') RETURNING id`,
    );
    accountId = rows[0].id;
    // Not started: announce needs only the transaction's connection (NOTIFY).
    const changes = new ChangeFeed({ get: () => url } as unknown as AppConfig);
    const bus = {
      publishAll: (events: IEvent[]) => {
        // Synchronous, like the EventBus: what the bus's handlers would see at this moment.
        const entry: Publication = {
          events,
          committedBeforePublish: false,
          keyInScope: requestIdempotencyKey(),
        };
        published.push(entry);
        const ids = events.filter((e) => e instanceof DomainEvent).map((e) => e.meta.id);
        void observer
          .query(`SELECT count(*)::int AS n FROM domain_events WHERE id = ANY($1::bigint[])`, [ids])
          .then(({ rows }) => (entry.committedBeforePublish = rows[0].n === ids.length));
      },
    } as unknown as EventBus;
    uow = new UnitOfWork(dataSource, changes, bus);
  });

  afterAll(async () => {
    await observer.end();
    await dataSource.destroy();
  });

  /** The statements (text or prepared name) this process sent to PostgreSQL while `call` ran. */
  async function counting(call: () => Promise<unknown>): Promise<string[]> {
    const sent: string[] = [];
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const config = args[0] as string | { name?: string; text: string };
      if (this !== observer)
        sent.push(typeof config === 'string' ? config : (config.name ?? config.text));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    try {
      await call();
    } finally {
      pg.Client.prototype.query = query;
    }
    return sent.map((text) => text.replace(/\s+/g, ' ').trim());
  }

  beforeEach(() => {
    published = [];
    stream = `test:${randomUUID()}`;
  });

  it('commits the change with its events (in sequence) and the key mark, then publishes outside the request', async () => {
    const held = await claimKey();
    let first: Tested;
    const result = await runApplyingKey(held, () =>
      uow.run(async ({ record, publish }) => {
        first = new Tested(stream, 'one');
        record(first);
        record(new Tested(stream, 'two'));
        publish({ kind: 'in-process' });
        // Recorded: stored with the others after the work, nothing published yet.
        expect(first.recorded).toBe(false);
        expect(published).toEqual([]);
        return 'done';
      }),
    );

    expect(result).toBe('done');
    // Its metadata was assigned in the transaction, before it was published.
    expect(first!.meta).toMatchObject({ name: 'unit_of_work_tested', sequence: 1, stream });
    const rows = await storedRows();
    expect(rows.map((row) => [row.sequence, row.payload])).toEqual([
      [1, { note: 'one' }],
      [2, { note: 'two' }],
    ]);
    expect(await appliedAt(held)).toBeInstanceOf(Date);
    expect(published).toHaveLength(1);
    const [publication] = published;
    expect(publication.events.map((e) => (e instanceof Tested ? e.note : e))).toEqual([
      'one',
      'two',
      { kind: 'in-process' },
    ]);
    // Published after commit, and in a scope where the request's key is not active.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(publication.committedBeforePublish).toBe(true);
    expect(publication.keyInScope).toBeUndefined();
    // The stored row loads as the same typed event.
    const loaded = loadEvent(toStoredEvent(rows[0]));
    expect(loaded).toBeInstanceOf(Tested);
    expect(loaded.body()).toEqual({
      note: 'one',
      event: 'unit_of_work_tested',
      event_id: rows[0].event_id,
      sequence: 1,
      occurred_at: rows[0].occurred_at.toISOString(),
    });
  });

  it('a domain error rolls back the change, its events and the key mark; nothing is published', async () => {
    const held = await claimKey();
    const outcome = runApplyingKey(held, () =>
      uow.run(async ({ manager, record, announce }) => {
        record(new Tested(stream, 'lost'));
        await announce('tested_topic');
        await manager.query(`UPDATE idempotency_keys SET response_status = 201 WHERE scope = $1`, [
          held.scope,
        ]);
        throw new Thrown();
      }),
    );

    await expect(outcome).rejects.toBeInstanceOf(Thrown);
    expect(await storedRows()).toEqual([]);
    expect(await appliedAt(held)).toBeNull();
    const [key] = (
      await observer.query(`SELECT response_status FROM idempotency_keys WHERE scope = $1`, [
        held.scope,
      ])
    ).rows;
    expect(key.response_status).toBeNull();
    expect(published).toEqual([]);
  });

  it('a key another attempt took over refuses the commit: rolled back, nothing published', async () => {
    const held = await claimKey();
    await observer.query(`UPDATE idempotency_keys SET claim_id = $2 WHERE scope = $1`, [
      held.scope,
      randomUUID(),
    ]);
    const outcome = runApplyingKey(held, () =>
      uow.run(async ({ record }) => record(new Tested(stream, 'taken over'))),
    );

    await expect(outcome).rejects.toMatchObject({ code: 'idempotency_key_in_flight' });
    expect(await storedRows()).toEqual([]);
    expect(published).toEqual([]);
  });

  it('outside a keyed request, commits and publishes without marking anything', async () => {
    await uow.run(async ({ record }) => record(new Tested(stream, 'plain')));
    expect((await storedRows()).map((row) => row.payload)).toEqual([{ note: 'plain' }]);
    expect(published.map((p) => p.events.length)).toEqual([1]);
  });

  it("stores a work's events and marks its key in one statement after it; no statement without events", async () => {
    const held = await claimKey();
    const statements = await counting(() =>
      runApplyingKey(held, () =>
        uow.run(async ({ manager, record }) => {
          record(new Tested(stream, 'one'));
          record(new Tested(`${stream}:other`, 'elsewhere'));
          record(new Tested(stream, 'two'));
          // Not stored yet: nothing may depend on the row before the end of the work.
          const [{ n }] = await manager.query(
            `SELECT count(*)::int AS n FROM domain_events WHERE stream = $1`,
            [stream],
          );
          expect(n).toBe(0);
        }),
      ),
    );
    expect(statements.slice(-2)).toEqual(['record_events_marking_keys', 'COMMIT']);
    expect(statements.filter((text) => text.startsWith('record_events'))).toHaveLength(1);
    expect(await appliedAt(held)).toBeInstanceOf(Date);
    expect((await storedRows()).map((row) => [row.sequence, row.payload])).toEqual([
      [1, { note: 'one' }],
      [2, { note: 'two' }],
    ]);

    const quiet = await counting(() => uow.run(async ({ publish }) => publish({ kind: 'x' })));
    expect(quiet).toEqual(['START TRANSACTION', 'COMMIT']);

    // A keyed work that records nothing marks its key in a statement of its own.
    const another = await claimKey();
    const unrecorded = await counting(() =>
      runApplyingKey(another, () => uow.run(async ({ publish }) => publish({ kind: 'x' }))),
    );
    expect(unrecorded).toEqual([
      'START TRANSACTION',
      expect.stringContaining('UPDATE idempotency_keys'),
      'COMMIT',
    ]);
    expect(await appliedAt(another)).toBeInstanceOf(Date);
  });

  it('recordNow stores what was recorded so far and the event at once, with its metadata', async () => {
    await uow.run(async ({ manager, record, recordNow }) => {
      record(new Tested(stream, 'before'));
      const now = await recordNow(new Tested(stream, 'now'));
      expect(now.meta).toMatchObject({ sequence: 2, stream });
      const [row] = await manager.query(`SELECT sequence FROM domain_events WHERE id = $1`, [
        now.meta.id,
      ]);
      expect(row.sequence).toBe(2);
      record(new Tested(stream, 'after'));
    });
    expect((await storedRows()).map((row) => [row.sequence, row.payload.note])).toEqual([
      [1, 'before'],
      [2, 'now'],
      [3, 'after'],
    ]);
  });
});
