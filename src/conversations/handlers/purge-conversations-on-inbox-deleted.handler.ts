import { Logger } from '@nestjs/common';
import { CommandBus, EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { FinishInboxDeletionCommand, InboxDeletedEvent } from '../../inboxes/index.js';
import { UnitOfWork } from '../../outbox/index.js';
import { purgeInboxBatch, tryLockInboxPurge } from '../conversation.store.js';

const BATCH = 500;

/**
 * Removes a deleted inbox's messages, then its conversations (each with conversation_deleted),
 * in small batches, each its own short unit of work so nothing else waits on a long lock; then
 * lets the inboxes module finish. Several processes may run it at once: a batch that finds
 * another purger's lock held stops this one, and the holder carries on to the end.
 */
@EventsHandler(InboxDeletedEvent)
export class PurgeConversationsOnInboxDeleted implements IEventHandler<InboxDeletedEvent> {
  private readonly logger = new Logger(PurgeConversationsOnInboxDeleted.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly commands: CommandBus,
  ) {}

  async handle({ inboxId }: InboxDeletedEvent): Promise<void> {
    let removed = 0;
    for (;;) {
      const deleted = await this.uow.run(async (tx) =>
        (await tryLockInboxPurge(tx.manager, inboxId)) ? purgeInboxBatch(tx, inboxId, BATCH) : null,
      );
      if (deleted === null) return;
      if (deleted === 0) break;
      removed += deleted;
    }
    // Finishing is idempotent, so a purger that starts meanwhile is harmless.
    await this.commands.execute(new FinishInboxDeletionCommand(inboxId));
    this.logger.log(`Purged inbox ${inboxId}: ${removed} rows removed`);
  }
}
