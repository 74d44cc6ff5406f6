import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { isDeepStrictEqual } from 'node:util';
import { typeCustomAttributes } from '../../custom-attributes/index.js';
import { UnitOfWork } from '../../outbox/index.js';
import type { Changes } from '../conversation.store.js';
import { ConversationSnapshot, lockConversation } from '../conversation.store.js';
import { Conversation } from '../entities/conversation.entity.js';
import { ConversationUpdatedEvent } from '../events/conversation-updated.event.js';
import { UpdateConversationCommand } from './update-conversation.command.js';

@CommandHandler(UpdateConversationCommand)
export class UpdateConversationHandler implements ICommandHandler<UpdateConversationCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ conversationId, changes, actor }: UpdateConversationCommand): Promise<void> {
    await this.uow.run(async ({ manager, record }) => {
      const conversation = await lockConversation(manager, conversationId);
      const next: Partial<Conversation> = {};
      if (changes.priority !== undefined) next.priority = changes.priority;
      if (changes.customAttributes !== undefined) {
        next.custom_attributes = await typeCustomAttributes(
          manager,
          conversation.account_id,
          'conversation_attribute',
          changes.customAttributes,
        );
      }
      if (changes.labels !== undefined) next.labels = [...new Set(changes.labels)].sort();
      if (changes.muted !== undefined) next.muted = changes.muted;
      // Chatwoot's changed_attributes: what changed, from what, to what (automation reads it).
      const changed = Object.entries(next)
        .filter(
          ([key, value]) => !isDeepStrictEqual(conversation[key as keyof Conversation], value),
        )
        .map(([key, value]) => ({
          [key]: { previous_value: conversation[key as keyof Conversation], current_value: value },
        }));
      if (changed.length === 0) return;
      await manager.getRepository(Conversation).update({ id: conversation.id }, {
        ...next,
        updated_at: new Date(),
      } as Changes<Conversation>);
      const at = await new ConversationSnapshot(manager, conversation.id).at();
      record(new ConversationUpdatedEvent(at, changed, actor));
    });
  }
}
