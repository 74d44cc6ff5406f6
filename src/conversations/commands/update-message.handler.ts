import { AttachmentSql } from '../../attachments/index.js';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../outbox/index.js';
import type { Changes } from '../conversation.store.js';
import { ConversationSnapshot, lockConversation } from '../conversation.store.js';
import { InvalidStatusChangeError, MessageNotFoundError } from '../conversations.errors.js';
import { Message } from '../entities/message.entity.js';
import type { MessageStatus } from '../entities/message.entity.js';
import { MessageDeletedEvent } from '../events/message-deleted.event.js';
import { MessageUpdatedEvent } from '../events/message-updated.event.js';
import { UpdateMessageCommand } from './update-message.command.js';

const PROGRESS: Record<MessageStatus, number> = { sent: 0, delivered: 1, read: 2, failed: -1 };

@CommandHandler(UpdateMessageCommand)
export class UpdateMessageHandler implements ICommandHandler<UpdateMessageCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({
    conversationId,
    messageId,
    changes,
    actor,
  }: UpdateMessageCommand): Promise<void> {
    await this.uow.run(async ({ manager, record }) => {
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
        // Its files go too (the sweeper removes them in the background), as in Chatwoot.
        await AttachmentSql.detachAll(manager, message.id);
        next.content = 'This message was deleted';
        next.content_type = 'text';
        attributes.deleted = true;
      }
      const attributesChanged =
        JSON.stringify(attributes) !== JSON.stringify(message.content_attributes);
      if (attributesChanged) next.content_attributes = attributes;
      if (Object.keys(next).length === 0) return;

      await messages.update({ id: message.id }, {
        ...next,
        updated_at: new Date(),
      } as Changes<Message>);
      const snapshot = new ConversationSnapshot(manager, conversationId);
      const at = await snapshot.at();
      const data = await snapshot.message(message.id);
      record(new MessageUpdatedEvent(at, data, actor));
      if (changes.delete) record(new MessageDeletedEvent(at, data, actor));
    });
  }
}
