import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { agentBotOfInbox } from '../../inboxes/index.js';
import { UnitOfWork } from '../../outbox/index.js';
import type { Transaction } from '../../outbox/index.js';
import type { Actor } from '../../common/index.js';
import { ActorNames } from '../actor-names.service.js';
import { addActivity, ConversationSnapshot, lockConversation } from '../conversation.store.js';
import { conversationPlacement } from '../conversation.read-model.js';
import { ConversationNotFoundError, InvalidStatusChangeError } from '../conversations.errors.js';
import { Conversation } from '../entities/conversation.entity.js';
import type { ConversationStatus } from '../entities/conversation.entity.js';
import { ConversationStatusChangedEvent } from '../events/conversation-status-changed.event.js';
import { ConversationUpdatedEvent } from '../events/conversation-updated.event.js';
import type { ChangedAttributes } from '../events/conversation-updated.event.js';
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

/**
 * conversation_updated for a handoff: the status and bot assignee changes, and `handoff` with
 * who handed off (and why), so a receiver tells a bot's handoff from a person's or a timeout's.
 */
async function recordHandoff(
  tx: Transaction,
  at: Awaited<ReturnType<ConversationSnapshot['at']>>,
  before: Conversation,
  handoff: { actor: Actor; by: string; reason?: string },
): Promise<void> {
  const changed: ChangedAttributes = [
    { status: { previous_value: before.status, current_value: 'open' } },
    {
      handoff: {
        previous_value: null,
        current_value: {
          by: handoff.by,
          actor_type: handoff.actor.type,
          actor_id: handoff.actor.id,
          reason: handoff.reason ?? null,
        },
      },
    },
  ];
  if (before.assignee_agent_bot_id !== null)
    changed.push({
      assignee_agent_bot_id: { previous_value: before.assignee_agent_bot_id, current_value: null },
    });
  tx.record(new ConversationUpdatedEvent(at, changed, handoff.actor));
}

@CommandHandler(ToggleStatusCommand)
export class ToggleStatusHandler implements ICommandHandler<ToggleStatusCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly names: ActorNames,
    private readonly uow: UnitOfWork,
  ) {}

  async execute({
    conversationId,
    status,
    snoozedUntil,
    actor,
    reason,
    onlyFrom,
  }: ToggleStatusCommand) {
    // As in Chatwoot, snoozed_until counts only when snoozing (its documented example sends
    // it with "open"); with any other status it is ignored below.
    if (status === 'snoozed' && snoozedUntil && snoozedUntil.getTime() <= Date.now()) {
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
      if (onlyFrom && conversation.status !== onlyFrom)
        return { status: conversation.status, snoozedUntil: conversation.snoozed_until };
      const target: ConversationStatus =
        status ?? (conversation.status === 'open' ? 'resolved' : 'open');
      const until = target === 'snoozed' ? snoozedUntil : null;
      const unchanged =
        target === conversation.status &&
        (until?.getTime() ?? null) === (conversation.snoozed_until?.getTime() ?? null);
      if (unchanged) return { status: target, snoozedUntil: until };

      const handoff =
        conversation.status === 'pending' &&
        target === 'open' &&
        (conversation.assignee_agent_bot_id !== null ||
          (await agentBotOfInbox(manager, conversation.inbox_id)) !== null);
      await manager.getRepository(Conversation).update(
        { id: conversation.id },
        {
          status: target,
          snoozed_until: until,
          ...(handoff ? { assignee_agent_bot_id: null } : {}),
          updated_at: new Date(),
        },
      );
      const snapshot = new ConversationSnapshot(manager, conversation.id);
      const text = handoff
        ? `Conversation was handed off to people by ${by}${reason ? `: ${reason}` : ''}`
        : activityText(target, by, until);
      await addActivity(tx, conversation, snapshot, text, actor);
      const at = await snapshot.changed().at();
      tx.record(new ConversationStatusChangedEvent(at, conversation.status, actor));
      if (handoff) await recordHandoff(tx, at, conversation, { actor, by, reason });
      return { status: target, snoozedUntil: until };
    });
  }
}
