import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { ProcessRole } from '../config/index.js';
import { PeriodicJob } from './periodic-job.js';

const INTERVAL_MS = 1_000;

/** Counts its rounds; each waits until the test ends it, and fails while `failing` is set. */
class CountingJob extends PeriodicJob<number> {
  rounds = 0;
  failing = false;
  readonly errors: string[] = [];
  private finish?: () => void;

  constructor(role: ProcessRole) {
    super({ role, intervalMs: INTERVAL_MS, failure: 'counting failed' });
    jest
      .spyOn(this.logger, 'error')
      .mockImplementation((_error: unknown, message: unknown) => this.errors.push(String(message)));
  }

  protected async round(): Promise<number> {
    this.rounds += 1;
    await new Promise<void>((resolve) => (this.finish = resolve));
    if (this.failing) throw new Error('boom');
    return this.rounds;
  }

  /** Ends the round running, and lets its promise chain settle. */
  async endRound(): Promise<void> {
    this.finish?.();
    this.finish = undefined;
    await jest.advanceTimersByTimeAsync(0);
  }
}

describe('PeriodicJob', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('runs a round on boot and one per interval, never two at once', async () => {
    const job = new CountingJob('both');
    job.onApplicationBootstrap();
    expect(job.rounds).toBe(1);
    // The boot round is still running: the intervals that come meanwhile join it.
    await jest.advanceTimersByTimeAsync(3 * INTERVAL_MS);
    expect(job.rounds).toBe(1);
    const joined = job.run();
    await job.endRound();
    expect(await joined).toBe(1);
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(job.rounds).toBe(2);
    await job.endRound();
    await job.beforeApplicationShutdown();
  });

  it('logs a failed round and still runs the next one', async () => {
    const job = new CountingJob('worker');
    job.failing = true;
    job.onApplicationBootstrap();
    const failed = job.run();
    await job.endRound();
    expect(await failed).toBeUndefined();
    expect(job.errors).toEqual(['counting failed']);
    job.failing = false;
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(job.rounds).toBe(2);
    const next = job.run();
    await job.endRound();
    expect(await next).toBe(2);
    await job.beforeApplicationShutdown();
  });

  it('runs nothing in an API-only process', async () => {
    const job = new CountingJob('api');
    job.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(5 * INTERVAL_MS);
    expect(job.rounds).toBe(0);
    await job.beforeApplicationShutdown();
  });

  it('on shutdown waits for the running round, then runs no more', async () => {
    const job = new CountingJob('both');
    job.onApplicationBootstrap();
    let stopped = false;
    const stopping = job.beforeApplicationShutdown().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    await job.endRound();
    await stopping;
    expect(stopped).toBe(true);
    await jest.advanceTimersByTimeAsync(5 * INTERVAL_MS);
    expect(job.rounds).toBe(1);
  });
});
