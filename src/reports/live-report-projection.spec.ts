import { describe, expect, it } from '@jest/globals';
import type { ConfigService } from '@nestjs/config';
import type { EventBus } from '@nestjs/cqrs';
import { Subject } from 'rxjs';
import type { Environment, ProcessRole } from '../config/index.js';
import { LiveReportProjection } from './report-projector.service.js';
import type { ReportProjector } from './report-projector.service.js';

/** The live projection in a process of `role`: how often it asked the projector to catch up. */
async function liveProjectionIn(role: ProcessRole) {
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
  const observed = bus.observed;
  await live.beforeApplicationShutdown();
  return { catchUps, observed };
}

describe('LiveReportProjection', () => {
  it('runs in worker processes and in a single process (both), catching up at start', async () => {
    for (const role of ['worker', 'both'] as const) {
      const { catchUps, observed } = await liveProjectionIn(role);
      expect({ role, catchUps, observed }).toEqual({ role, catchUps: [false], observed: true });
    }
  });

  it('does not run in an API-only process (a worker applies its events)', async () => {
    const { catchUps, observed } = await liveProjectionIn('api');
    expect(catchUps).toEqual([]);
    expect(observed).toBe(false);
  });
});
