import { describe, expect, it, jest } from '@jest/globals';
import type { ConfigService } from '@nestjs/config';
import type { EventBus } from '@nestjs/cqrs';
import { Subject } from 'rxjs';
import type { Environment, ProcessRole } from '../config/index.js';
import { SYSTEM_ACTOR } from '../common/index.js';
import { DomainEvent } from '../outbox/index.js';
import { LiveReportProjection, PROJECTION_PAUSE_MAX_MS } from './report-projector.service.js';
import type { ReportProjector } from './report-projector.service.js';

/** A live projection in a process of `role`, and the catch-ups it asked the projector for. */
function startLiveProjection(
  role: ProcessRole,
  batch: () => Promise<number> = () => Promise.resolve(0),
) {
  const catchUps: boolean[] = [];
  const projector = {
    catchUp: (wait: boolean) => {
      catchUps.push(wait);
      return batch();
    },
  } as unknown as ReportProjector;
  const bus = new Subject<unknown>();
  const config = { get: () => role } as unknown as ConfigService<Environment, true>;
  const live = new LiveReportProjection(projector, bus as unknown as EventBus, config);
  live.onApplicationBootstrap();
  return { live, bus, catchUps };
}

/** The live projection in a process of `role`: how often it asked the projector to catch up. */
async function liveProjectionIn(role: ProcessRole) {
  const { live, bus, catchUps } = startLiveProjection(role);
  const observed = bus.observed;
  await live.beforeApplicationShutdown();
  return { catchUps, observed };
}

class Pinged extends DomainEvent {
  readonly accountId = 1;
  readonly inboxId = null;
  readonly conversationId = null;
  readonly stream = 'account:1';
  toPayload() {
    return {};
  }
}

describe('LiveReportProjection', () => {
  it('runs in worker processes and in a single process (both), catching up at start', async () => {
    for (const role of ['worker', 'both'] as const) {
      const { catchUps, observed } = await liveProjectionIn(role);
      expect({ role, catchUps, observed }).toEqual({ role, catchUps: [false], observed: true });
    }
  });

  it('pauses after a batch as long as it took: the events meanwhile make one batch', async () => {
    jest.useFakeTimers();
    try {
      const BATCH_MS = 100;
      const { live, bus, catchUps } = startLiveProjection(
        'both',
        () => new Promise((resolve) => setTimeout(() => resolve(0), BATCH_MS)),
      );
      await jest.advanceTimersByTimeAsync(10);
      expect(catchUps).toHaveLength(1); // at start, running until 100 ms
      for (let i = 0; i < 50; i++) bus.next(new Pinged(SYSTEM_ACTOR));
      await jest.advanceTimersByTimeAsync(140); // 150 ms: the batch ended, the pause runs
      expect(catchUps).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(60); // 210 ms: one batch for all 50
      expect(catchUps).toHaveLength(2);
      await jest.advanceTimersByTimeAsync(300); // 510 ms: that batch and its pause are over
      expect(catchUps).toHaveLength(2); // nothing more without new events
      bus.next(new Pinged(SYSTEM_ACTOR));
      await jest.advanceTimersByTimeAsync(0);
      expect(catchUps).toHaveLength(3); // after the pause, an event starts a batch at once
      const stopping = live.beforeApplicationShutdown(); // waits for that batch
      await jest.advanceTimersByTimeAsync(BATCH_MS);
      await stopping;
    } finally {
      jest.useRealTimers();
    }
  });

  it(`pauses at most ${PROJECTION_PAUSE_MAX_MS} ms after a long batch`, async () => {
    jest.useFakeTimers();
    try {
      const { live, bus, catchUps } = startLiveProjection(
        'both',
        () => new Promise((resolve) => setTimeout(() => resolve(0), 1_000)),
      );
      bus.next(new Pinged(SYSTEM_ACTOR));
      await jest.advanceTimersByTimeAsync(1_000 + PROJECTION_PAUSE_MAX_MS - 1);
      expect(catchUps).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(catchUps).toHaveLength(2);
      await jest.advanceTimersByTimeAsync(1_000);
      await live.beforeApplicationShutdown();
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not run in an API-only process (a worker applies its events)', async () => {
    const { catchUps, observed } = await liveProjectionIn('api');
    expect(catchUps).toEqual([]);
    expect(observed).toBe(false);
  });
});
