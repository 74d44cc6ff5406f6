import { Inject, Injectable, Optional } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EventBus } from '@nestjs/cqrs';
import type { IEvent } from '@nestjs/cqrs';
import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { faultPoint } from '../common/index.js';
import type { AppConfig } from '../config/index.js';
import { ChangeFeed } from '../database/index.js';
import { requestIdempotencyKey } from '../idempotency/index.js';
import type { HeldKey } from '../idempotency/index.js';
import type { DomainEvent } from './domain-event.js';
import { recorded, recordEvents } from './record-event.js';
import type { RecordedEvent } from './record-event.js';

/** What a command handler's work gets: the transaction, and the ways to say what it changed. */
export interface Transaction {
  /** Reads and writes go through this manager: they commit or roll back together. */
  readonly manager: EntityManager;
  /**
   * Records the event: it is stored in the outbox in this transaction, with every event the
   * transaction records, in one statement after the work (with the key mark, before COMMIT; it
   * gets its stream sequence, event_id and time then), and published on the EventBus after
   * commit. Its payload is taken now. The work cannot see its row or metadata.
   */
  record(event: DomainEvent): void;
  /**
   * Stores what the transaction recorded so far and this event at once, and returns it with its
   * metadata: only for a work that must refer to its event's row in the same transaction (a
   * test ping's delivery). It costs a statement of its own; `record` is the way otherwise.
   */
  recordNow<E extends DomainEvent>(event: E): Promise<E>;
  /** Publishes an in-process event (not stored, not delivered) after commit. */
  publish(event: IEvent): void;
  /**
   * Announces a change of cached rows: every process's caches of `topic` drop them when this
   * commits (NOTIFY), and this process's at once after the commit.
   */
  announce(topic: string): Promise<void>;
}

/**
 * The work a handler hands to the unit of work. It may run more than once (a shared
 * transaction that rolls back runs it again on its own), so its only effects are through `tx`.
 */
export type Work<T> = (tx: Transaction) => Promise<T>;

export interface RunOptions {
  /**
   * What the work writes first and most, e.g. `conversation:42`. Works with a lane key queue on
   * one lane in arrival order (same key, same lane), and share a transaction with the works that
   * queued behind a running one (group commit). Without a key the work runs alone, at once, as
   * does a laned work started from inside another one (it would otherwise wait for itself).
   */
  lane?: string;
}

/** What one work said it changed: published and forgotten only once it committed. */
interface Effects {
  published: IEvent[];
  topics: Set<string>;
}

/** A work waiting on a lane, with what it needs to run as its caller would have run it. */
interface Member {
  work: Work<unknown>;
  /** The caller's Idempotency-Key, marked applied with this work's changes. */
  key: HeldKey | undefined;
  /** The caller's async context (request id, logging, the key): the work runs in it. */
  scope: AsyncResource;
  settle: { resolve(value: unknown): void; reject(error: unknown): void };
}

interface Lane {
  queue: Member[];
  running: boolean;
}

/**
 * The one write path: every command handler that writes runs its work through `run`. In this
 * order, which is the invariant "committed => recorded => key marked => published after commit":
 *
 * 1. one database transaction runs the work; the events it records go to the outbox in it, all
 *    of them in one statement after the work (they get their sequences, ids and times then);
 * 2. the Idempotency-Key of the request that runs the handler (if any) is marked applied in that
 *    same last statement, so the mark commits exactly when the change and its events do;
 *    a throw anywhere (a domain error, a taken-over key) rolls all of it back, and nothing is
 *    announced or published;
 * 3. after COMMIT, this process forgets the announced caches and publishes the recorded events
 *    (and the in-process ones) on the EventBus, in a scope detached from the request: what the
 *    handlers of those events write (sagas, fan-out, deliveries) is not the request's, and must
 *    not mark its key. The bus is not durable; webhooks are driven from the outbox as well.
 *
 * Group commit: handlers only describe their work as a function of a Transaction and never see
 * how transactions are formed. Hot works name a lane (`RunOptions.lane`, e.g. their
 * conversation); each of `WRITE_LANES` lanes runs one transaction at a time. A work whose lane
 * is idle starts at once, alone (no wait at low load); works that arrive while it runs queue,
 * and the next transaction runs up to `WRITE_BATCH_MAX` of them one after another, each in its
 * caller's async context, then stores every member's events and marks the members' keys in
 * one statement, and commits them together: one BEGIN/COMMIT (and one WAL flush) for the batch.
 * If any of them throws, or what follows them does (an event or key mark refused), or the
 * transaction fails (deadlock, serialization, connection), the batch rolls back and each work
 * runs again alone, in order, so each caller gets exactly the outcome it would have had alone;
 * only works that committed are published. A lane key keeps one conversation's works on one lane, in
 * order, and keeps lanes from locking each other's conversations (no cross-batch deadlocks);
 * the event streams two lanes may share (a contact's, an inbox's) are locked by that one
 * statement, in stream order, at the very end of each transaction, so they cannot deadlock either.
 */
@Injectable()
export class UnitOfWork {
  /** An async scope from boot, outside any request, for what runs after commit. */
  private readonly detached = new AsyncResource('conversa.after-commit');
  private readonly batchMax: number;
  private readonly lanes: Lane[];
  /** Set while a lane's work runs: a work that waited for its own lane would wait forever. */
  private readonly onLane = new AsyncLocalStorage<true>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly changes: ChangeFeed,
    private readonly bus: EventBus,
    // Without settings (a spec that builds one by hand): every work alone, as WRITE_BATCH_MAX=1.
    @Optional() @Inject(ConfigService) config?: AppConfig,
  ) {
    this.batchMax = config?.get('WRITE_BATCH_MAX', { infer: true }) ?? 1;
    const lanes = config?.get('WRITE_LANES', { infer: true }) ?? 1;
    this.lanes = Array.from({ length: lanes }, () => ({ queue: [], running: false }));
  }

  run<T>(work: Work<T>, options: RunOptions = {}): Promise<T> {
    const key = requestIdempotencyKey();
    if (options.lane === undefined || this.batchMax <= 1 || this.onLane.getStore()) {
      return this.runAlone(work, key);
    }
    const lane = this.lanes[laneIndex(options.lane, this.lanes.length)];
    return new Promise<T>((resolve, reject) => {
      lane.queue.push({
        work,
        key,
        scope: new AsyncResource('conversa.unit-of-work'),
        settle: { resolve: resolve as (value: unknown) => void, reject },
      });
      if (!lane.running) {
        lane.running = true;
        // The lane's loop belongs to no request; each work runs in its own caller's scope.
        this.detached.runInAsyncScope(() => void this.drain(lane));
      }
    });
  }

  /** Runs the lane's queue, a batch per transaction, until it is empty. */
  private async drain(lane: Lane): Promise<void> {
    try {
      while (lane.queue.length > 0) {
        const batch = lane.queue.splice(0, this.batchMax);
        if (batch.length === 1) await this.runMemberAlone(batch[0]);
        else await this.runBatch(batch);
      }
    } finally {
      lane.running = false;
    }
  }

  private async runMemberAlone({ work, key, scope, settle }: Member): Promise<void> {
    try {
      settle.resolve(
        await scope.runInAsyncScope(() => this.onLane.run(true, () => this.runAlone(work, key))),
      );
    } catch (error) {
      settle.reject(error);
    }
  }

  /** Today's unit: one work, one transaction. */
  private async runAlone<T>(work: Work<T>, key: HeldKey | undefined): Promise<T> {
    const effects: Effects = { published: [], topics: new Set() };
    const result = await this.dataSource.transaction(async (manager) => {
      const recording: RecordedEvent[] = [];
      const value = await this.runWork(manager, work, effects, recording);
      await this.beforeCommit(manager, recording, key ? [key] : []);
      return value;
    });
    this.afterCommit(effects);
    return result;
  }

  /**
   * Several works in one transaction. If a work fails, or what follows them does (storing the
   * batch's events, a key mark: one member's event or key may be refused), nothing committed:
   * each runs again alone. If COMMIT itself fails, the outcome is unknown, as it would be for a
   * work alone: each caller gets that error, and nothing runs twice.
   */
  private async runBatch(batch: Member[]): Promise<void> {
    const done: { value: unknown; effects: Effects }[] = [];
    let committing = false;
    try {
      await this.dataSource.transaction(async (manager) => {
        const recording: RecordedEvent[] = [];
        for (const { work, scope } of batch) {
          const effects: Effects = { published: [], topics: new Set() };
          const value = await scope.runInAsyncScope(() =>
            this.onLane.run(true, () => this.runWork(manager, work, effects, recording)),
          );
          // A work that caught a statement's error left the transaction aborted: its COMMIT would
          // roll back everyone's work and report success. Alone, it has only its own to lose.
          if (transactionStatus(manager) === 'E') throw new Error('aborted by a batch member');
          done.push({ value, effects });
        }
        await this.beforeCommit(
          manager,
          recording,
          batch.flatMap(({ key }) => (key ? [key] : [])),
        );
        // Whatever fails from here on is COMMIT.
        committing = true;
      });
    } catch (error) {
      if (committing) {
        for (const { settle } of batch) settle.reject(error);
        return;
      }
      // Rolled back, all of it: whichever work failed fails again alone with its own error.
      for (const member of batch) await this.runMemberAlone(member);
      return;
    }
    // Committed, all of them.
    batch.forEach(({ scope, settle }, index) => {
      scope.runInAsyncScope(() => this.afterCommit(done[index].effects));
      settle.resolve(done[index].value);
    });
  }

  /** Runs one work; the events it records join the transaction's `recording`, in order. */
  private async runWork<T>(
    manager: EntityManager,
    work: Work<T>,
    { published, topics }: Effects,
    recording: RecordedEvent[],
  ): Promise<T> {
    const tx: Transaction = {
      manager,
      record: (event) => {
        recording.push(recorded(event));
        published.push(event);
      },
      recordNow: async (event) => {
        tx.record(event);
        await recordEvents(manager, recording.splice(0));
        return event;
      },
      publish: (event) => {
        published.push(event);
      },
      announce: async (topic) => {
        if (topics.has(topic)) return;
        topics.add(topic);
        await this.changes.announce(manager, topic);
      },
    };
    return work(tx);
  }

  /**
   * The transaction's last statement: its recorded events, all in one, with the key marks. A
   * mark is the commit's gate (it refuses a key another attempt took over) and holds the key's
   * row until COMMIT: marked last, it holds it least. Without events, the marks are one statement.
   */
  private async beforeCommit(
    manager: EntityManager,
    recording: RecordedEvent[],
    keys: HeldKey[],
  ): Promise<void> {
    await recordEvents(manager, recording.splice(0), keys);
  }

  private afterCommit({ published, topics }: Effects): void {
    for (const topic of topics) this.changes.forget(topic);
    if (published.length > 0) {
      faultPoint('crash_after_commit');
      this.detached.runInAsyncScope(() => this.bus.publishAll(published));
    }
  }
}

/** node-postgres's view of the connection's transaction: I(dle), T (open) or E (aborted). */
function transactionStatus(manager: EntityManager): string | undefined {
  const client = (manager.queryRunner as unknown as { databaseConnection?: PgConnection })
    .databaseConnection;
  return client?.getTransactionStatus?.() ?? undefined;
}

interface PgConnection {
  getTransactionStatus?(): string | null;
}

/** The lane of a key: a stable string hash (FNV-1a), so one key always maps to one lane. */
function laneIndex(key: string, lanes: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % lanes;
}
