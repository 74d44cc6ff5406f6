import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { EventPublisher } from '../../outbox/index.js';
import type { Changes } from '../conversation-writer.js';
import { ConversationEvents, lockConversation } from '../conversation-writer.js';
import { Conversation } from '../entities/conversation.entity.js';
import { UpdateLastSeenCommand } from './update-last-seen.command.js';

@CommandHandler(UpdateLastSeenCommand)
export class UpdateLastSeenHandler implements ICommandHandler<UpdateLastSeenCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  async execute({ conversationId, actor }: UpdateLastSeenCommand): Promise<void> {
    const records = await this.dataSource.transaction(async (manager) => {
      const conversation = await lockConversation(manager, conversationId);
      const now = new Date();
      const conversations = manager.getRepository(Conversation);
      if (actor.type !== 'contact') {
        const seen: Partial<Conversation> = { agent_last_seen_at: now };
        if (actor.type === 'user' && actor.id === conversation.assignee_id)
          seen.assignee_last_seen_at = now;
        await conversations.update({ id: conversation.id }, seen as Changes<Conversation>);
        return [];
      }
      await conversations.update({ id: conversation.id }, { contact_last_seen_at: now });
      // TypeORM answers an UPDATE with [rows, affected count].
      const [read]: [{ id: string }[], number] = await manager.query(
        `UPDATE messages SET status = 'read', updated_at = now()
          WHERE conversation_id = $1 AND message_type IN (1, 3) AND private = false
            AND status IN ('sent', 'delivered') AND created_at <= $2
          RETURNING id`,
        [conversation.id, now],
      );
      const events = new ConversationEvents(manager, conversation.id, actor);
      for (const { id } of read.sort((a, b) => Number(a.id) - Number(b.id))) {
        await events.message('message_updated', String(id));
      }
      return events.records;
    });
    this.events.publish(records);
  }
}
