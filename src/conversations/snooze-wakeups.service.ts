import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CommandBus } from '@nestjs/cqrs';
import { inBatches, PeriodicJob } from '../common/index.js';
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
export class SnoozeWakeups extends PeriodicJob<number> {
  constructor(
    private readonly commands: CommandBus,
    config: ConfigService<Environment, true>,
  ) {
    super({
      role: config.get('PROCESS_ROLE', { infer: true }),
      intervalMs: config.get('SNOOZE_WAKE_INTERVAL_MS', { infer: true }),
      failure: 'Reopening snoozed conversations failed; retrying next interval',
    });
  }

  /** One full pass; resolves with the number of conversations reopened. */
  protected async round(): Promise<number> {
    // One due time for the whole pass: conversations that fall due meanwhile wait for the next.
    const dueAt = new Date();
    const reopened = await inBatches(BATCH, (limit) =>
      this.commands.execute(new ReopenSnoozedConversationsCommand(dueAt, limit)),
    );
    if (reopened > 0) this.logger.log(`Reopened ${reopened} snoozed conversations`);
    return reopened;
  }
}
