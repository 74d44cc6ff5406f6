import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { EventPublisher } from '../../outbox/index.js';
import type { Changes } from '../conversation-writer.js';
import { ConversationEvents, lockConversation } from '../conversation-writer.js';
import { InvalidStatusChangeError, MessageNotFoundError } from '../conversations.errors.js';
import { Message } from '../entities/message.entity.js';
import type { MessageStatus } from '../entities/message.entity.js';
import { UpdateMessageCommand } from './update-message.command.js';

const PROGRESS: Record<MessageStatus, number> = { sent: 0, delivered: 1, read: 2, failed: -1 };

@CommandHandler(UpdateMessageCommand)
export class UpdateMessageHandler implements ICommandHandler<UpdateMessageCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  async execute({
    conversationId,
    messageId,
    changes,
    actor,
  }: UpdateMessageCommand): Promise<void> {
    const records = await this.dataSource.transaction(async (manager) => {
      await lockConversation(manager, conversationId);
      const messages = manager.getRepository(Message);
      const message = await messages.findOneBy({
        id: String(messageId),
        conversation_id: conversationId,
      });
      if (!message) throw new MessageNotFoundError(messageId);

      const next: Partial<Message> = {};
      const attributes = { ...message.content_attributes };
      if (changes.status !== undefined && changes.status !== message.status) {
        // Delivery only moves forward (sent → delivered → read); failed may be set any time.
        if (
          changes.status !== 'failed' &&
          message.status !== 'failed' &&
          PROGRESS[changes.status] < PROGRESS[message.status]
        ) {
          throw new InvalidStatusChangeError(
            `A message that is ${message.status} cannot go back to ${changes.status}.`,
          );
        }
        next.status = changes.status;
      }
      if (changes.externalError !== undefined) attributes.external_error = changes.externalError;
      if (changes.submittedValues !== undefined)
        attributes.submitted_values = changes.submittedValues;
      if (changes.delete) {
        next.content = 'This message was deleted';
        next.content_type = 'text';
        attributes.deleted = true;
      }
      const attributesChanged =
        JSON.stringify(attributes) !== JSON.stringify(message.content_attributes);
      if (attributesChanged) next.content_attributes = attributes;
      if (Object.keys(next).length === 0) return [];

      await messages.update({ id: message.id }, {
        ...next,
        updated_at: new Date(),
      } as Changes<Message>);
      const events = new ConversationEvents(manager, conversationId, actor);
      await events.message('message_updated', message.id);
      if (changes.delete) await events.message('message_deleted', message.id);
      return events.records;
    });
    this.events.publish(records);
  }
}
