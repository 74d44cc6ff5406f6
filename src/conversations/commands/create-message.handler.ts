import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { EventPublisher } from '../../outbox/index.js';
import {
  addActivity,
  ConversationEvents,
  insertMessage,
  loadMessage,
  lockForNewMessage,
} from '../conversation-writer.js';
import { ConversationNotFoundError, MessageSourceIdTakenError } from '../conversations.errors.js';
import { loadConversationEventView, toMessageResponse } from '../views.js';
import { CreateMessageCommand } from './create-message.command.js';

@CommandHandler(CreateMessageCommand)
export class CreateMessageHandler implements ICommandHandler<CreateMessageCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  async execute({ conversationId, message, actor }: CreateMessageCommand) {
    const result = await this.dataSource.transaction(async (manager) => {
      const target = await lockForNewMessage(manager, conversationId);
      if (!target) throw new ConversationNotFoundError(conversationId);
      const now = new Date();
      const incoming = message.messageType === 'incoming';
      const reopens = incoming && (target.status === 'resolved' || target.status === 'snoozed');
      const outgoingReply =
        message.messageType === 'outgoing' &&
        !message.private &&
        message.sender?.type !== 'contact';
      const inserted = await insertMessage(manager, target, message, {
        status: reopens ? 'open' : target.status,
        snoozed_until: reopens ? null : target.snoozed_until,
        waiting_since: outgoingReply
          ? null
          : incoming
            ? (target.waiting_since ?? now)
            : target.waiting_since,
        first_reply_created_at: outgoingReply
          ? (target.first_reply_created_at ?? now)
          : target.first_reply_created_at,
        at: now,
      });
      if (!inserted.created) {
        if (inserted.conversationId !== target.id) {
          const [other] = await manager.query(
            `SELECT display_id FROM conversations WHERE id = $1`,
            [inserted.conversationId],
          );
          throw new MessageSourceIdTakenError(message.sourceId ?? '', other.display_id);
        }
        return { message: await loadMessage(manager, inserted.id), created: false, records: [] };
      }

      // The snapshot the events carry: read after the change, in this transaction.
      const after = (await loadConversationEventView(manager, target.id))!;
      const events = new ConversationEvents(manager, target.id, actor).use(after);
      await events.message('message_created', inserted.id, inserted.inserted);
      if (reopens) {
        await addActivity(
          manager,
          target,
          events,
          'Conversation was reopened by a new message from the contact',
        );
        await events
          .changed()
          .conversation('conversation_status_changed', { previous_status: target.status });
      }
      return { message: inserted.inserted!, created: true, records: events.records };
    });
    this.events.publish(result.records);
    return {
      messageId: String(result.message.id),
      created: result.created,
      message: toMessageResponse(result.message),
    };
  }
}
