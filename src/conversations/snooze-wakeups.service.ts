import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CommandBus } from '@nestjs/cqrs';
import type { Environment } from '../config/index.js';
import { ReopenSnoozedConversationsCommand } from './commands/reopen-snoozed-conversations.command.js';

const BATCH = 100;

/**
 * Reopens snoozed conversations whose snoozed_until has passed, every SNOOZE_WAKE_INTERVAL_MS in
 * processes with PROCESS_ROLE worker or both (Chatwoot's scheduled job does the same). The work
 * list is the conversations table itself: a batch commits whole or not at all, so a pass cut
 * short by a crash resumes at the next one, and processes running passes at once share the due
 * conversations (SKIP LOCKED). A conversation snoozed without a time is left to the contact's
 * next message.
 */
@Injectable()
export class SnoozeWakeups implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SnoozeWakeups.name);
  private readonly enabled: boolean;
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly commands: CommandBus,
    config: ConfigService<Environment, true>,
  ) {
    this.enabled = config.get('PROCESS_ROLE', { infer: true }) !== 'api';
    this.intervalMs = config.get('SNOOZE_WAKE_INTERVAL_MS', { infer: true });
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.timer = setInterval(() => void this.wake(), this.intervalMs).unref();
    void this.wake();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One full pass (joined when one runs); resolves with the number of conversations reopened. */
  wake(): Promise<number> {
    this.running ??= this.wakeAll()
      .catch((error) => {
        this.logger.error(
          { err: error },
          'Reopening snoozed conversations failed; retrying next interval',
        );
        return 0;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async wakeAll(): Promise<number> {
    // One due time for the whole pass: conversations that fall due meanwhile wait for the next.
    const dueAt = new Date();
    let reopened = 0;
    for (;;) {
      const batch = await this.commands.execute(
        new ReopenSnoozedConversationsCommand(dueAt, BATCH),
      );
      reopened += batch;
      if (batch < BATCH) break;
    }
    if (reopened > 0) this.logger.log(`Reopened ${reopened} snoozed conversations`);
    return reopened;
  }
}
