import { Logger } from '@nestjs/common';
import { CommandBus, EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { FinishInboxDeletionCommand, InboxDeletedEvent } from '../../inboxes/index.js';
import { deleteInboxBatch, tryLockInboxPurge, unlockInboxPurge } from '../conversation.store.js';

const BATCH = 2_000;

/**
 * Removes a deleted inbox's messages and conversations in small batches (each its own short
 * transaction, so nothing else waits on a long lock), then lets the inboxes module finish.
 * Several processes may run it at once: a try-lock keeps one purger per inbox.
 */
@EventsHandler(InboxDeletedEvent)
export class PurgeConversationsOnInboxDeleted implements IEventHandler<InboxDeletedEvent> {
  private readonly logger = new Logger(PurgeConversationsOnInboxDeleted.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly commands: CommandBus,
  ) {}

  async handle({ inboxId }: InboxDeletedEvent): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    let removed = 0;
    try {
      if (!(await tryLockInboxPurge(runner, inboxId))) return;
      try {
        for (const table of ['messages', 'conversations'] as const) {
          for (;;) {
            const count = await deleteInboxBatch(runner, table, inboxId, BATCH);
            removed += count;
            if (count < BATCH) break;
          }
        }
      } finally {
        await unlockInboxPurge(runner, inboxId);
      }
    } finally {
      await runner.release();
    }
    // After releasing this connection: the command takes its own, and holding two per purge
    // could starve the pool. Finishing is idempotent, so a purger that starts meanwhile is harmless.
    await this.commands.execute(new FinishInboxDeletionCommand(inboxId));
    this.logger.log(`Purged inbox ${inboxId}: ${removed} rows removed`);
  }
}
