import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../outbox/index.js';
import type { Changes } from '../conversation.store.js';
import { ConversationSnapshot, lockConversation, markMessagesRead } from '../conversation.store.js';
import { Conversation } from '../entities/conversation.entity.js';
import { MessageUpdatedEvent } from '../events/message-updated.event.js';
import { UpdateLastSeenCommand } from './update-last-seen.command.js';

@CommandHandler(UpdateLastSeenCommand)
export class UpdateLastSeenHandler implements ICommandHandler<UpdateLastSeenCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ conversationId, actor }: UpdateLastSeenCommand): Promise<void> {
    await this.uow.run(async ({ manager, record }) => {
      const conversation = await lockConversation(manager, conversationId);
      const now = new Date();
      const conversations = manager.getRepository(Conversation);
      if (actor.type !== 'contact') {
        const seen: Partial<Conversation> = { agent_last_seen_at: now };
        if (actor.type === 'user' && actor.id === conversation.assignee_id)
          seen.assignee_last_seen_at = now;
        await conversations.update({ id: conversation.id }, seen as Changes<Conversation>);
        return;
      }
      await conversations.update({ id: conversation.id }, { contact_last_seen_at: now });
      const read = await markMessagesRead(manager, conversation.id, now);
      const snapshot = new ConversationSnapshot(manager, conversation.id);
      for (const { id } of read.sort((a, b) => Number(a.id) - Number(b.id))) {
        record(
          new MessageUpdatedEvent(await snapshot.at(), await snapshot.message(String(id)), actor),
        );
      }
    });
  }
}
