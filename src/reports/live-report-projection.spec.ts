import { describe, expect, it } from '@jest/globals';
import type { ConfigService } from '@nestjs/config';
import type { EventBus } from '@nestjs/cqrs';
import { Subject } from 'rxjs';
import type { Environment, ProcessRole } from '../config/index.js';
import { SYSTEM_ACTOR } from '../common/index.js';
import { DomainEvent } from '../outbox/index.js';
import { LiveReportProjection, PROJECTION_INTERVAL_MS } from './report-projector.service.js';
import type { ReportProjector } from './report-projector.service.js';

/** A live projection in a process of `role`, and the catch-ups it asked the projector for. */
function startLiveProjection(role: ProcessRole) {
  const catchUps: boolean[] = [];
  const projector = {
    catchUp: (wait: boolean) => {
      catchUps.push(wait);
      return Promise.resolve(0);
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('LiveReportProjection', () => {
  it('runs in worker processes and in a single process (both), catching up at start', async () => {
    for (const role of ['worker', 'both'] as const) {
      const { catchUps, observed } = await liveProjectionIn(role);
      expect({ role, catchUps, observed }).toEqual({ role, catchUps: [false], observed: true });
    }
  });

  it('applies the events of a burst in one batch after the interval, not one batch each', async () => {
    const { live, bus, catchUps } = startLiveProjection('both');
    try {
      await sleep(10);
      expect(catchUps).toHaveLength(1); // at start
      for (let i = 0; i < 50; i++) bus.next(new Pinged(SYSTEM_ACTOR));
      await sleep(PROJECTION_INTERVAL_MS / 2);
      expect(catchUps).toHaveLength(1); // the interval since the start has not passed
      await sleep(PROJECTION_INTERVAL_MS);
      expect(catchUps).toHaveLength(2); // one batch for all 50
      await sleep(PROJECTION_INTERVAL_MS * 1.5);
      expect(catchUps).toHaveLength(2); // and nothing more without new events
    } finally {
      await live.beforeApplicationShutdown();
    }
  });

  it('does not run in an API-only process (a worker applies its events)', async () => {
    const { catchUps, observed } = await liveProjectionIn('api');
    expect(catchUps).toEqual([]);
    expect(observed).toBe(false);
  });
});
