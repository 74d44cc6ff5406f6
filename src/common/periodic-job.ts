import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { ProcessRole } from '../config/index.js';

export interface PeriodicJobSettings {
  /** This process's PROCESS_ROLE: rounds run only where background work does (worker, both). */
  role: ProcessRole;
  /** Time between rounds; the first runs on boot. */
  intervalMs: number;
  /** Logged with the error when a round fails; the next round still comes. */
  failure: string;
}

/**
 * Background work done in rounds: one on boot and one every `intervalMs`, in processes that do
 * background work. Rounds never overlap (a round due while one runs joins it), a failed round
 * is logged and never stops the timer, and shutdown stops the timer and waits for the round.
 */
export abstract class PeriodicJob<T = void>
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  protected readonly logger = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<T | undefined>;

  constructor(protected readonly settings: PeriodicJobSettings) {}

  /** One round of the work. */
  protected abstract round(): Promise<T>;

  onApplicationBootstrap(): void {
    if (this.settings.role === 'api') return;
    this.timer = setInterval(() => void this.run(), this.settings.intervalMs).unref();
    void this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** A round now, or the one running; resolves with its result (undefined when it failed). */
  run(): Promise<T | undefined> {
    this.running ??= this.round()
      .catch((error: unknown) => {
        this.logger.error({ err: error }, this.settings.failure);
        return undefined;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
