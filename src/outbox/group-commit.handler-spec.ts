import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { EventBus, IEvent } from '@nestjs/cqrs';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { NotFoundError, SYSTEM_ACTOR } from '../common/index.js';
import type { AppConfig } from '../config/index.js';
import { buildDataSourceOptions, ChangeFeed } from '../database/index.js';
import { requestIdempotencyKey, runApplyingKey } from '../idempotency/index.js';
import type { HeldKey } from '../idempotency/index.js';
import { DomainEvent, OutboxEvent } from './domain-event.js';
import type { StoredEvent } from './domain-event.js';
import { UnitOfWork } from './unit-of-work.js';
import type { Transaction } from './unit-of-work.js';

let accountId = 0;

@OutboxEvent('group_commit_tested', { subscribable: false })
class Noted extends DomainEvent {
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

  static fromStored(stored: StoredEvent): Noted {
    return new Noted(stored.stream, stored.payload.note as string);
  }
}

class Refused extends NotFoundError {
  constructor(note: string) {
    super('thing_refused', `Refused ${note}.`);
  }
}

/** What one work saw while it ran. */
interface Seen {
  note: string;
  txId: string;
  caller: string | undefined;
  key: HeldKey | undefined;
}

describe('UnitOfWork group commit (real PostgreSQL)', () => {
  let dataSource: DataSource;
  let observer: pg.Client;
  let published: string[];
  /** The events the bus was handed, as they were then. */
  let publishedEvents: { note: string; recorded: boolean; id?: string; sequence?: number }[];
  let seen: Seen[];
  let stream: string;
  /** The caller's own request context, as a request's logger or key would be. */
  const caller = new AsyncLocalStorage<string>();

  const settings = (values: { WRITE_BATCH_MAX: number; WRITE_LANES: number }) =>
    ({ get: (name: keyof typeof values) => values[name] }) as unknown as AppConfig;

  const makeUnitOfWork = (values: { WRITE_BATCH_MAX: number; WRITE_LANES: number }) => {
    const changes = new ChangeFeed({ get: () => process.env.DATABASE_URL } as unknown as AppConfig);
    const bus = {
      publishAll: (events: IEvent[]) => {
        for (const event of events) {
          if (!(event instanceof Noted)) continue;
          published.push(event.note);
          publishedEvents.push({
            note: event.note,
            recorded: event.recorded,
            ...(event.recorded ? { id: event.meta.id, sequence: event.meta.sequence } : {}),
          });
        }
      },
    } as unknown as EventBus;
    return new UnitOfWork(dataSource, changes, bus, settings(values));
  };

  /**
   * A work that records `note` on this test's stream (or on one of its own, `apart`: so it does
   * not wait for the stream's row lock), and notes what it saw.
   */
  const noting =
    (note: string, then?: (tx: Transaction) => Promise<void>, apart = false) =>
    async (tx: Transaction): Promise<string> => {
      const [{ tx_id }] = await tx.manager.query(`SELECT txid_current()::text AS tx_id`);
      seen.push({ note, txId: tx_id, caller: caller.getStore(), key: requestIdempotencyKey() });
      tx.record(new Noted(apart ? `test:${randomUUID()}` : stream, note));
      await then?.(tx);
      return note;
    };

  /** A work that holds its transaction until `release` is called (so later works queue). */
  const holding = () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const work = noting('first', async () => {
      started();
      await gate;
    });
    return { work, release, running };
  };

  /**
   * Runs `works` on lane a, queued behind a work that holds the lane until they all wait, so
   * that they share the next batch (each under its key of `keys`, if given); answers how each
   * one settled.
   */
  const batchedBehindFirst = async (
    uow: UnitOfWork,
    works: ((tx: Transaction) => Promise<string>)[],
    keys?: HeldKey[],
  ) => {
    const first = holding();
    const running = uow.run(first.work, { lane: 'a' });
    await first.running;
    const outcomes = Promise.allSettled(
      works.map((work, i) =>
        keys
          ? runApplyingKey(keys[i], () => uow.run(work, { lane: 'a' }))
          : uow.run(work, { lane: 'a' }),
      ),
    );
    first.release();
    await running;
    return outcomes;
  };

  /** What a batch of second, a refused member and fourth, behind first, must have left. */
  const onlyTheMiddleRefused = async (keys: HeldKey[]) => {
    expect(await storedNotes()).toEqual([
      [1, 'first'],
      [2, 'second'],
      [3, 'fourth'],
    ]);
    expect(await Promise.all(keys.map(applied))).toEqual([true, false, true]);
    expect(published).toEqual(['first', 'second', 'fourth']);
  };

  const claimKey = async (): Promise<HeldKey> => {
    const held = { scope: `test:${randomUUID()}`, key: randomUUID(), claimId: randomUUID() };
    await observer.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, expires_at, claim_id)
       VALUES ($1, $2, repeat('0', 64), now() + interval '1 hour', $3)`,
      [held.scope, held.key, held.claimId],
    );
    return held;
  };

  const applied = async (held: HeldKey) =>
    (await observer.query(`SELECT applied_at FROM idempotency_keys WHERE scope = $1`, [held.scope]))
      .rows[0].applied_at instanceof Date;

  const storedNotes = async () =>
    (
      await observer.query(
        `SELECT sequence, payload->>'note' AS note FROM domain_events WHERE stream = $1 ORDER BY sequence`,
        [stream],
      )
    ).rows.map((row) => [row.sequence, row.note]);

  const txOf = (note: string) => seen.filter((s) => s.note === note).map((s) => s.txId);

  beforeAll(async () => {
    const url = process.env.DATABASE_URL!;
    dataSource = await new DataSource(buildDataSourceOptions(url, 3)).initialize();
    observer = new pg.Client({ connectionString: url });
    await observer.connect();
    const { rows } = await observer.query(
      `INSERT INTO accounts (name) VALUES ('Group commit spec') RETURNING id`,
    );
    accountId = rows[0].id;
  });

  afterAll(async () => {
    await observer.end();
    await dataSource.destroy();
  });

  beforeEach(() => {
    published = [];
    publishedEvents = [];
    seen = [];
    stream = `test:${randomUUID()}`;
  });

  it('a work on an idle lane starts at once, alone; works queued behind it share the next transaction, each in its own caller context with its own key', async () => {
    const uow = makeUnitOfWork({ WRITE_BATCH_MAX: 32, WRITE_LANES: 1 });
    const first = holding();
    const running = caller.run('caller-first', () => uow.run(first.work, { lane: 'a' }));
    await first.running;
    const keys = await Promise.all([claimKey(), claimKey(), claimKey()]);
    const queued = ['second', 'third', 'fourth'].map((note, i) =>
      caller.run(`caller-${note}`, () =>
        runApplyingKey(keys[i], () => uow.run(noting(note), { lane: `other-${i}` })),
      ),
    );
    first.release();

    expect(await running).toBe('first');
    expect(await Promise.all(queued)).toEqual(['second', 'third', 'fourth']);
    // In arrival order, with exact sequences.
    expect(await storedNotes()).toEqual([
      [1, 'first'],
      [2, 'second'],
      [3, 'third'],
      [4, 'fourth'],
    ]);
    const [batchTx] = txOf('second');
    expect(txOf('third')).toEqual([batchTx]);
    expect(txOf('fourth')).toEqual([batchTx]);
    expect(txOf('first')).not.toEqual([batchTx]);
    // Each work ran in its caller's async context, with that caller's Idempotency-Key.
    expect(seen.map((s) => [s.note, s.caller, s.key?.claimId])).toEqual([
      ['first', 'caller-first', undefined],
      ['second', 'caller-second', keys[0].claimId],
      ['third', 'caller-third', keys[1].claimId],
      ['fourth', 'caller-fourth', keys[2].claimId],
    ]);
    for (const key of keys) expect(await applied(key)).toBe(true);
    expect(published).toEqual(['first', 'second', 'third', 'fourth']);
  });

  it('a member that throws fails alone with its own error; its batch-mates commit and are published', async () => {
    const uow = makeUnitOfWork({ WRITE_BATCH_MAX: 32, WRITE_LANES: 1 });
    const keys = await Promise.all([claimKey(), claimKey(), claimKey()]);
    const [second, refused, fourth] = await batchedBehindFirst(
      uow,
      [
        noting('second'),
        noting('refused', async () => {
          throw new Refused('third');
        }),
        noting('fourth'),
      ],
      keys,
    );

    expect(second).toEqual({ status: 'fulfilled', value: 'second' });
    expect(refused).toMatchObject({ status: 'rejected', reason: expect.any(Refused) });
    expect((refused as PromiseRejectedResult).reason.message).toBe('Refused third.');
    expect(fourth).toEqual({ status: 'fulfilled', value: 'fourth' });
    await onlyTheMiddleRefused(keys);
    // The batch ran once together (rolled back), then each member alone, in order.
    expect(seen.map((s) => s.note)).toEqual([
      'first',
      'second',
      'refused',
      'second',
      'refused',
      'fourth',
    ]);
  });

  it('a member whose statement fails (the transaction is aborted) or whose connection dies fails alone', async () => {
    const uow = makeUnitOfWork({ WRITE_BATCH_MAX: 32, WRITE_LANES: 1 });
    const results = await batchedBehindFirst(uow, [
      noting('second'),
      noting('bad statement', async ({ manager }) => {
        // A caught error leaves the transaction aborted: its next statement is refused.
        await manager.query(`SELECT 1 / 0`).catch(() => undefined);
        await manager.query(`SELECT 1`);
      }),
      noting('third'),
      noting('dies', async ({ manager }) => {
        await manager.query(`SELECT pg_terminate_backend(pg_backend_pid())`);
      }),
      noting('fourth'),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect((results[1] as PromiseRejectedResult).reason.message).toMatch(/aborted/);
    expect((await storedNotes()).map(([, note]) => note)).toEqual([
      'first',
      'second',
      'third',
      'fourth',
    ]);
    expect(published).toEqual(['first', 'second', 'third', 'fourth']);
  });

  it('a member that leaves the transaction aborted, last in its batch, does not make COMMIT roll back its batch-mates', async () => {
    const uow = makeUnitOfWork({ WRITE_BATCH_MAX: 32, WRITE_LANES: 1 });
    const first = holding();
    const running = uow.run(first.work, { lane: 'a' });
    await first.running;
    const second = uow.run(noting('second'), { lane: 'a' });
    const third = uow.run(noting('third'), { lane: 'a' });
    // PostgreSQL answers COMMIT of an aborted transaction with a silent ROLLBACK.
    const swallowing = uow.run(
      async ({ manager }) => {
        await manager.query(`SELECT 1 / 0`).catch(() => undefined);
      },
      { lane: 'a' },
    );
    first.release();
    await Promise.all([running, second, third, swallowing]);

    expect((await storedNotes()).map(([, note]) => note)).toEqual(['first', 'second', 'third']);
    expect(published).toEqual(['first', 'second', 'third']);
    // The batch-mates committed on their own (the batch rolled back), after the shared attempt.
    expect(txOf('second')).toHaveLength(2);
    expect(new Set(seen.map((s) => s.txId)).size).toBe(4);
  });

  it('a batch holds at most WRITE_BATCH_MAX works; one conversation stays in order across batches', async () => {
    const uow = makeUnitOfWork({ WRITE_BATCH_MAX: 2, WRITE_LANES: 4 });
    const first = holding();
    const running = uow.run(first.work, { lane: 'conversation:1' });
    await first.running;
    const notes = ['n1', 'n2', 'n3', 'n4', 'n5'];
    const queued = notes.map((note) => uow.run(noting(note), { lane: 'conversation:1' }));
    first.release();
    await running;
    expect(await Promise.all(queued)).toEqual(notes);

    expect((await storedNotes()).map(([, note]) => note)).toEqual(['first', ...notes]);
    const txIds = notes.map((note) => txOf(note)[0]);
    expect(txIds[0]).toBe(txIds[1]);
    expect(txIds[2]).toBe(txIds[3]);
    expect(new Set(txIds).size).toBe(3);
  });

  it('a work on a lane that runs another work of its lane does not wait for itself: the inner one runs alone', async () => {
    const uow = makeUnitOfWork({ WRITE_BATCH_MAX: 32, WRITE_LANES: 1 });
    const outer = await uow.run(
      noting('outer', async () => {
        expect(await uow.run(noting('inner', undefined, true), { lane: 'a' })).toBe('inner');
      }),
      { lane: 'a' },
    );
    expect(outer).toBe('outer');
    expect(txOf('inner')).not.toEqual(txOf('outer'));
    expect(published).toEqual(['inner', 'outer']);
  });

  it('a work without a lane, or with WRITE_BATCH_MAX 1, runs at once in its own transaction', async () => {
    const uow = makeUnitOfWork({ WRITE_BATCH_MAX: 32, WRITE_LANES: 1 });
    const first = holding();
    const running = uow.run(first.work, { lane: 'a' });
    await first.running;
    // The lane is busy until `first` is released; a work without a lane does not wait for it.
    expect(await uow.run(noting('unlaned', undefined, true))).toBe('unlaned');
    first.release();
    await running;

    const off = makeUnitOfWork({ WRITE_BATCH_MAX: 1, WRITE_LANES: 1 });
    const held = holding();
    const heldRun = off.run(held.work, { lane: 'a' });
    await held.running;
    expect(await off.run(noting('off', undefined, true), { lane: 'a' })).toBe('off');
    held.release();
    await heldRun;
    expect(new Set(seen.map((s) => s.txId)).size).toBe(seen.length);
  });

  /** A work that records each [stream, note] in order, and notes what it saw as `label`. */
  const recording =
    (label: string, notes: [string, string][]) =>
    async (tx: Transaction): Promise<string> => {
      const [{ tx_id }] = await tx.manager.query(`SELECT txid_current()::text AS tx_id`);
      seen.push({
        note: label,
        txId: tx_id,
        caller: caller.getStore(),
        key: requestIdempotencyKey(),
      });
      for (const [on, note] of notes) tx.record(new Noted(on, note));
      return label;
    };

  /** How many times this process stored recorded events while `call` ran. */
  async function eventStatements(call: () => Promise<unknown>): Promise<number> {
    let sent = 0;
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      if ((args[0] as { name?: string }).name === 'record_events') sent++;
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    try {
      await call();
    } finally {
      pg.Client.prototype.query = query;
    }
    return sent;
  }

  const storedOn = async (streams: string[]) =>
    (
      await observer.query(
        `SELECT id, stream, sequence, payload->>'note' AS note FROM domain_events
          WHERE stream = ANY($1) ORDER BY id`,
        [streams],
      )
    ).rows;

  it("a batch's events are stored in one statement: gapless sequences per stream in recording order, ids in recording order, metadata on the published events", async () => {
    const uow = makeUnitOfWork({ WRITE_BATCH_MAX: 32, WRITE_LANES: 1 });
    // An account-level stream, which works on other lanes (other conversations) may share.
    const shared = `account:${randomUUID()}`;
    const other = `test:${randomUUID()}`;
    const statements = await eventStatements(async () => {
      const first = holding();
      const running = uow.run(first.work, { lane: 'conversation:1' });
      await first.running;
      const queued = [
        recording('w1', [
          [stream, 'a1'],
          [shared, 's1'],
        ]),
        recording('w2', [[other, 'b1']]),
        recording('w3', [
          [stream, 'a2'],
          [shared, 's2'],
          [stream, 'a3'],
        ]),
        recording('w4', []),
      ].map((work, i) => uow.run(work, { lane: `conversation:${i + 1}` }));
      first.release();
      await running;
      expect(await Promise.all(queued)).toEqual(['w1', 'w2', 'w3', 'w4']);
    });

    // One statement for `first` alone, one for the whole batch.
    expect(statements).toBe(2);
    const [batchTx] = txOf('w1');
    for (const label of ['w2', 'w3', 'w4']) expect(txOf(label)).toEqual([batchTx]);
    // Ordered by id: recording order; each stream's sequences gapless, in recording order.
    const rows = await storedOn([stream, shared, other]);
    expect(rows.map((row) => [row.stream, row.sequence, row.note])).toEqual([
      [stream, 1, 'first'],
      [stream, 2, 'a1'],
      [shared, 1, 's1'],
      [other, 1, 'b1'],
      [stream, 3, 'a2'],
      [shared, 2, 's2'],
      [stream, 4, 'a3'],
    ]);
    // Published once committed, each with the metadata its row got.
    expect(publishedEvents).toEqual(
      rows.map((row) => ({
        note: row.note,
        recorded: true,
        id: String(row.id),
        sequence: row.sequence,
      })),
    );
  });

  it("a batch whose events' statement fails rolls back; each member runs again alone and gets its own outcome", async () => {
    const uow = makeUnitOfWork({ WRITE_BATCH_MAX: 32, WRITE_LANES: 1 });
    const keys = await Promise.all([claimKey(), claimKey(), claimKey()]);
    // jsonb refuses \u0000: the work runs fine, its event cannot be stored.
    const [second, refused, fourth] = await batchedBehindFirst(
      uow,
      [noting('second'), noting('refused \u0000'), noting('fourth')],
      keys,
    );

    expect(second).toEqual({ status: 'fulfilled', value: 'second' });
    expect(refused).toMatchObject({ status: 'rejected', reason: { code: '22P05' } });
    expect(fourth).toEqual({ status: 'fulfilled', value: 'fourth' });
    await onlyTheMiddleRefused(keys);
    // All of them ran together (rolled back), then each alone, in order.
    expect(seen.map((s) => s.note)).toEqual([
      'first',
      'second',
      'refused \u0000',
      'fourth',
      'second',
      'refused \u0000',
      'fourth',
    ]);
  });

  it('a batch with a key another attempt took over rolls back; each runs alone, only that one is refused', async () => {
    const uow = makeUnitOfWork({ WRITE_BATCH_MAX: 32, WRITE_LANES: 1 });
    const keys = await Promise.all([claimKey(), claimKey(), claimKey()]);
    await observer.query(`UPDATE idempotency_keys SET claim_id = $2 WHERE scope = $1`, [
      keys[1].scope,
      randomUUID(),
    ]);
    const [second, takenOver, fourth] = await batchedBehindFirst(
      uow,
      [noting('second'), noting('taken over'), noting('fourth')],
      keys,
    );

    expect(second).toEqual({ status: 'fulfilled', value: 'second' });
    expect(takenOver).toMatchObject({
      status: 'rejected',
      reason: { code: 'idempotency_key_in_flight' },
    });
    expect(fourth).toEqual({ status: 'fulfilled', value: 'fourth' });
    await onlyTheMiddleRefused(keys);
    // Together once (the events and marks in one statement, one key refused), then each alone.
    expect(seen.map((s) => s.note)).toEqual([
      'first',
      'second',
      'taken over',
      'fourth',
      'second',
      'taken over',
      'fourth',
    ]);
  });

  it('a batch whose COMMIT fails gives every caller that error, and runs nothing twice', async () => {
    const uow = makeUnitOfWork({ WRITE_BATCH_MAX: 32, WRITE_LANES: 1 });
    const first = holding();
    const running = uow.run(first.work, { lane: 'a' });
    await first.running;
    const outcomes = Promise.allSettled(
      [
        noting('second'),
        noting('deferred', async ({ manager }) => {
          // A deferred constraint is checked at COMMIT: the statements all succeed, COMMIT fails.
          await manager.query(
            `CREATE TEMP TABLE deferred_check (id int UNIQUE DEFERRABLE INITIALLY DEFERRED) ON COMMIT DROP`,
          );
          await manager.query(`INSERT INTO deferred_check VALUES (1), (1)`);
        }),
        noting('fourth'),
      ].map((work) => uow.run(work, { lane: 'a' })),
    );
    first.release();
    await running;

    const results = await outcomes;
    for (const result of results)
      expect(result).toMatchObject({ status: 'rejected', reason: { code: '23505' } });
    expect(await storedNotes()).toEqual([[1, 'first']]);
    expect(published).toEqual(['first']);
    expect(seen.map((s) => s.note)).toEqual(['first', 'second', 'deferred', 'fourth']);
  });

  it('stream rows are locked in stream order, not recording order (transactions sharing streams cannot deadlock)', async () => {
    const uow = makeUnitOfWork({ WRITE_BATCH_MAX: 32, WRITE_LANES: 1 });
    const [a, b] = [`${stream}:a`, `${stream}:b`];
    await observer.query(
      `INSERT INTO event_streams (stream, last_sequence) VALUES ($1, 0), ($2, 0)`,
      [a, b],
    );
    const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM event_streams WHERE stream = $1 FOR UPDATE`, [b]);
      // Recorded b first: in recording order it would wait for b holding nothing.
      const work = uow.run(
        recording('crossed', [
          [b, 'on b'],
          [a, 'on a'],
        ]),
      );
      // Until the events' statement waits for b's row.
      for (;;) {
        const { rows } = await observer.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO event_streams%'`,
        );
        if (rows.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // a sorts first: the waiting statement holds it already.
      const free = await observer.query(
        `SELECT 1 FROM event_streams WHERE stream = $1 FOR UPDATE SKIP LOCKED`,
        [a],
      );
      expect(free.rows).toEqual([]);
      await holder.query('ROLLBACK');
      expect(await work).toBe('crossed');
    } finally {
      await holder.end();
    }
    expect((await storedOn([a, b])).map((row) => [row.stream, row.sequence, row.note])).toEqual([
      [b, 1, 'on b'],
      [a, 1, 'on a'],
    ]);
  });
});
