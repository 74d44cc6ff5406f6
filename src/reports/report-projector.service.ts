import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EventBus } from '@nestjs/cqrs';
import type { Subscription } from 'rxjs';
import type { Environment } from '../config/index.js';
import { DomainEvent, readSettledEvents, UnitOfWork } from '../outbox/index.js';
import { ProjectionBatch } from './projection.js';
import {
  loadState,
  lockProjection,
  projectionPosition,
  resetProjection,
  saveBatch,
  saveProjectionPosition,
} from './report.store.js';

const BATCH_SIZE = 1_000;
/** Catches up with events other processes recorded (the bus only tells about this process's). */
const SWEEP_MS = 2_000;
/**
 * The live projection pauses after each batch for as long as the batch took, at most this long.
 * A batch costs about ten statements whatever it carries: started for every event, batches ran
 * back to back under load; the pause lets the events of that time gather into the next batch
 * and keeps the projection to about half of the time it could take from the database, while
 * batches stay small enough not to hold the database (and the requests behind it) for long.
 */
export const PROJECTION_PAUSE_MAX_MS = 250;

/**
 * Applies the outbox to the reports projection: the settled events after its position, a batch
 * per transaction (the new position included), under a lock one process at a time holds.
 * `rebuild` forgets everything and applies the whole outbox again with the same code, so it
 * reaches the same numbers.
 */
@Injectable()
export class ReportProjector {
  constructor(private readonly uow: UnitOfWork) {}

  /**
   * Applies every settled event after the projection's position; returns how many. With `wait`
   * it queues behind another process's batch instead of leaving the work to it.
   */
  async catchUp(wait = true): Promise<number> {
    let applied = 0;
    for (;;) {
      const count = await this.uow.run(async ({ manager }) => {
        if (!(await lockProjection(manager, wait))) return 0;
        const events = await readSettledEvents(
          manager,
          await projectionPosition(manager),
          BATCH_SIZE,
        );
        if (events.length === 0) return 0;
        const batch = new ProjectionBatch();
        await loadState(
          manager,
          batch,
          [
            ...new Set(
              events.flatMap((e) => (e.conversationId === null ? [] : [e.conversationId])),
            ),
          ],
          [...new Set(events.flatMap((e) => (e.inboxId === null ? [] : [e.inboxId])))],
        );
        for (const event of events) batch.apply(event);
        await saveBatch(manager, batch);
        await saveProjectionPosition(manager, events[events.length - 1].position);
        return events.length;
      });
      applied += count;
      if (count < BATCH_SIZE) return applied;
    }
  }

  /** Forgets the projection and applies the whole outbox again; returns how many events. */
  async rebuild(): Promise<number> {
    await this.uow.run(async ({ manager }) => {
      await lockProjection(manager, true);
      await resetProjection(manager);
    });
    return this.catchUp(true);
  }
}

/**
 * Keeps the projection current in the processes that do background work (PROCESS_ROLE worker
 * or both, like the delivery sweepers): after the recorded events this process publishes (after
 * a pause as long as the last batch, see PROJECTION_PAUSE_MAX_MS), and every two seconds for the events other
 * processes recorded (an API-only process's events are applied by a worker's sweep within those
 * two seconds). An API-only process answers reports but never writes the projection, so its
 * requests never wait behind a projector batch.
 */
@Injectable()
export class LiveReportProjection implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LiveReportProjection.name);
  private readonly enabled: boolean;
  private subscription?: Subscription;
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private again = false;
  /** When the pause after the last batch ends, and the wake-up waiting for it. */
  private pausedUntil = 0;
  private delayed?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly projector: ReportProjector,
    private readonly bus: EventBus,
    config: ConfigService<Environment, true>,
  ) {
    this.enabled = config.get('PROCESS_ROLE', { infer: true }) !== 'api';
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.subscription = this.bus.subscribe((event) => {
      if (event instanceof DomainEvent) this.wake();
    });
    this.timer = setInterval(() => this.wake(), SWEEP_MS);
    this.timer.unref();
    this.wake();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.subscription?.unsubscribe();
    clearInterval(this.timer);
    clearTimeout(this.delayed);
    this.delayed = undefined;
    await this.running?.catch(() => undefined);
  }

  private wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.delayed) return;
    const wait = this.pausedUntil - Date.now();
    if (wait > 0) {
      this.delayed = setTimeout(() => {
        this.delayed = undefined;
        this.wake();
      }, wait);
      this.delayed.unref();
      return;
    }
    const started = Date.now();
    this.running = this.projector
      .catchUp(false)
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'Reports projection failed; retrying shortly');
        return 0;
      })
      .finally(() => {
        const ended = Date.now();
        this.pausedUntil = ended + Math.min(ended - started, PROJECTION_PAUSE_MAX_MS);
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }
}
