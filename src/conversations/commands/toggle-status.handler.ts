import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { UnitOfWork } from '../../outbox/index.js';
import { ActorNames } from '../actor-names.service.js';
import { addActivity, ConversationSnapshot, lockConversation } from '../conversation.store.js';
import { conversationPlacement } from '../conversation.read-model.js';
import { ConversationNotFoundError, InvalidStatusChangeError } from '../conversations.errors.js';
import { Conversation } from '../entities/conversation.entity.js';
import type { ConversationStatus } from '../entities/conversation.entity.js';
import { ConversationStatusChangedEvent } from '../events/conversation-status-changed.event.js';
import { ToggleStatusCommand } from './toggle-status.command.js';

function activityText(status: ConversationStatus, by: string, until: Date | null): string {
  switch (status) {
    case 'resolved':
      return `Conversation was marked resolved by ${by}`;
    case 'open':
      return `Conversation was reopened by ${by}`;
    case 'pending':
      return `Conversation was marked as pending by ${by}`;
    case 'snoozed':
      return until
        ? `Conversation was snoozed until ${until.toISOString()} by ${by}`
        : `Conversation was snoozed by ${by}`;
  }
}

@CommandHandler(ToggleStatusCommand)
export class ToggleStatusHandler implements ICommandHandler<ToggleStatusCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly names: ActorNames,
    private readonly uow: UnitOfWork,
  ) {}

  async execute({ conversationId, status, snoozedUntil, actor }: ToggleStatusCommand) {
    if (snoozedUntil && status !== 'snoozed') {
      throw new InvalidStatusChangeError('snoozed_until only goes with status "snoozed".');
    }
    if (snoozedUntil && snoozedUntil.getTime() <= Date.now()) {
      throw new InvalidStatusChangeError('snoozed_until must be in the future.');
    }
    // The actor's name is read before the transaction, so that it never waits for a second
    // pool connection while holding one (see AssignConversationHandler).
    const found = await conversationPlacement(this.dataSource, conversationId);
    if (!found) throw new ConversationNotFoundError(conversationId);
    const by = await this.names.of(found.account_id, actor);
    return this.uow.run(async (tx) => {
      const { manager } = tx;
      const conversation = await lockConversation(manager, conversationId);
      const target: ConversationStatus =
        status ?? (conversation.status === 'open' ? 'resolved' : 'open');
      const until = target === 'snoozed' ? snoozedUntil : null;
      const unchanged =
        target === conversation.status &&
        (until?.getTime() ?? null) === (conversation.snoozed_until?.getTime() ?? null);
      if (unchanged) return { status: target, snoozedUntil: until };

      await manager
        .getRepository(Conversation)
        .update(
          { id: conversation.id },
          { status: target, snoozed_until: until, updated_at: new Date() },
        );
      const snapshot = new ConversationSnapshot(manager, conversation.id);
      await addActivity(tx, conversation, snapshot, activityText(target, by, until), actor);
      await tx.record(
        new ConversationStatusChangedEvent(
          await snapshot.changed().at(),
          conversation.status,
          actor,
        ),
      );
      return { status: target, snoozedUntil: until };
    });
  }
}
