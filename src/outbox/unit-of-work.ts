import { Injectable } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import type { IEvent } from '@nestjs/cqrs';
import { AsyncResource } from 'node:async_hooks';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { faultPoint } from '../common/index.js';
import { ChangeFeed } from '../database/index.js';
import { markKeyApplied, requestIdempotencyKey } from '../idempotency/index.js';
import type { DomainEvent } from './domain-event.js';
import { recordEvent } from './record-event.js';

/** What a command handler's work gets: the transaction, and the ways to say what it changed. */
export interface Transaction {
  /** Reads and writes go through this manager: they commit or roll back together. */
  readonly manager: EntityManager;
  /**
   * Stores the event in the outbox now (it gets its stream sequence, event_id and time), and
   * publishes it on the EventBus after commit; returns it, recorded.
   */
  record<E extends DomainEvent>(event: E): Promise<E>;
  /** Publishes an in-process event (not stored, not delivered) after commit. */
  publish(event: IEvent): void;
  /**
   * Announces a change of cached rows: every process's caches of `topic` drop them when this
   * commits (NOTIFY), and this process's at once after the commit.
   */
  announce(topic: string): Promise<void>;
}

/** The work a handler hands to the unit of work. */
export type Work<T> = (tx: Transaction) => Promise<T>;

/**
 * The one write path: every command handler that writes runs its work through `run`. In this
 * order, which is the invariant "committed => recorded => key marked => published after commit":
 *
 * 1. one database transaction runs the work; the events it records go to the outbox in it;
 * 2. the Idempotency-Key of the request that runs the handler (if any) is marked applied as the
 *    transaction's last statement, so the mark commits exactly when the change and its events do;
 *    a throw anywhere (a domain error, a taken-over key) rolls all of it back, and nothing is
 *    announced or published;
 * 3. after COMMIT, this process forgets the announced caches and publishes the recorded events
 *    (and the in-process ones) on the EventBus, in a scope detached from the request: what the
 *    handlers of those events write (sagas, fan-out, deliveries) is not the request's, and must
 *    not mark its key. The bus is not durable; webhooks are driven from the outbox as well.
 *
 * Handlers only describe their work as a function of a Transaction and never see how
 * transactions are formed: a later version may run several concurrent works in one
 * transaction (group commit, each in a savepoint) without a change to any handler.
 */
@Injectable()
export class UnitOfWork {
  /** An async scope from boot, outside any request, for what runs after commit. */
  private readonly detached = new AsyncResource('conversa.after-commit');

  constructor(
    private readonly dataSource: DataSource,
    private readonly changes: ChangeFeed,
    private readonly bus: EventBus,
  ) {}

  async run<T>(work: Work<T>): Promise<T> {
    const key = requestIdempotencyKey();
    const published: IEvent[] = [];
    const topics = new Set<string>();
    const result = await this.dataSource.transaction(async (manager) => {
      const tx: Transaction = {
        manager,
        record: async (event) => {
          published.push(await recordEvent(manager, event));
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
      const value = await work(tx);
      if (key) await markKeyApplied(manager, key);
      return value;
    });
    // Committed.
    for (const topic of topics) this.changes.forget(topic);
    if (published.length > 0) {
      faultPoint('crash_after_commit');
      this.detached.runInAsyncScope(() => this.bus.publishAll(published));
    }
    return result;
  }
}
