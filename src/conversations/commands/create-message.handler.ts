import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { EventPublisher } from '../../outbox/index.js';
import type { Changes } from '../conversation-writer.js';
import {
  addActivity,
  ConversationEvents,
  insertMessage,
  lockConversation,
} from '../conversation-writer.js';
import { MessageSourceIdTakenError } from '../conversations.errors.js';
import { Conversation } from '../entities/conversation.entity.js';
import { CreateMessageCommand } from './create-message.command.js';

@CommandHandler(CreateMessageCommand)
export class CreateMessageHandler implements ICommandHandler<CreateMessageCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  async execute({ conversationId, message, actor }: CreateMessageCommand) {
    const result = await this.dataSource.transaction(async (manager) => {
      const conversation = await lockConversation(manager, conversationId);
      const inserted = await insertMessage(manager, conversation, message);
      if (!inserted.created) {
        if (inserted.conversationId !== conversation.id) {
          const [other] = await manager.query(
            `SELECT display_id FROM conversations WHERE id = $1`,
            [inserted.conversationId],
          );
          throw new MessageSourceIdTakenError(message.sourceId ?? '', other.display_id);
        }
        return { messageId: inserted.id, created: false, records: [] };
      }

      const now = new Date();
      const changes: Partial<Conversation> = { last_activity_at: now, updated_at: now };
      const reopens =
        message.messageType === 'incoming' &&
        (conversation.status === 'resolved' || conversation.status === 'snoozed');
      if (reopens) Object.assign(changes, { status: 'open', snoozed_until: null });
      if (message.messageType === 'incoming')
        changes.waiting_since = conversation.waiting_since ?? now;
      if (
        message.messageType === 'outgoing' &&
        !message.private &&
        message.sender?.type !== 'contact'
      ) {
        changes.first_reply_created_at = conversation.first_reply_created_at ?? now;
        changes.waiting_since = null;
      }
      await manager
        .getRepository(Conversation)
        .update({ id: conversation.id }, changes as Changes<Conversation>);

      const events = new ConversationEvents(manager, conversation.id, actor);
      await events.message('message_created', inserted.id);
      if (reopens) {
        await addActivity(
          manager,
          conversation,
          events,
          'Conversation was reopened by a new message from the contact',
        );
        await events
          .changed()
          .conversation('conversation_status_changed', { previous_status: conversation.status });
      }
      return { messageId: inserted.id, created: true, records: events.records };
    });
    this.events.publish(result.records);
    return { messageId: result.messageId, created: result.created };
  }
}
