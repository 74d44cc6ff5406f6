import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { SYSTEM_ACTOR } from '../../common/index.js';
import { UnitOfWork } from '../../outbox/index.js';
import { addActivity, ConversationSnapshot, lockDueSnoozed } from '../conversation.store.js';
import { Conversation } from '../entities/conversation.entity.js';
import { ConversationStatusChangedEvent } from '../events/conversation-status-changed.event.js';
import { ReopenSnoozedConversationsCommand } from './reopen-snoozed-conversations.command.js';

export const SNOOZE_ENDED_ACTIVITY = 'Conversation was reopened as its snooze ended';

/**
 * One batch of snooze wake-ups in one transaction. The conversations are picked and locked by
 * the same statement (SKIP LOCKED: concurrent batches take disjoint rows), and a row changed
 * meanwhile is re-checked against the condition by PostgreSQL, so a conversation re-snoozed to
 * later, resolved or opened since is never reopened here.
 */
@CommandHandler(ReopenSnoozedConversationsCommand)
export class ReopenSnoozedConversationsHandler implements ICommandHandler<ReopenSnoozedConversationsCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ dueAt, limit }: ReopenSnoozedConversationsCommand): Promise<number> {
    return this.uow.run(async (tx) => {
      const { manager } = tx;
      const due = await lockDueSnoozed(manager, dueAt, limit);
      for (const conversation of due) {
        await manager
          .getRepository(Conversation)
          .update(
            { id: conversation.id },
            { status: 'open', snoozed_until: null, updated_at: new Date() },
          );
        const snapshot = new ConversationSnapshot(manager, conversation.id);
        await addActivity(tx, conversation, snapshot, SNOOZE_ENDED_ACTIVITY, SYSTEM_ACTOR);
        const at = await snapshot.changed().at();
        tx.record(new ConversationStatusChangedEvent(at, 'snoozed', SYSTEM_ACTOR));
      }
      return due.length;
    });
  }
}
