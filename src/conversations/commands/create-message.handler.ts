import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { EventPublisher } from '../../outbox/index.js';
import {
  addActivity,
  ConversationEvents,
  insertMessage,
  loadMessage,
} from '../conversation-writer.js';
import { ConversationNotFoundError, MessageSourceIdTakenError } from '../conversations.errors.js';
import { lockConversationView, toMessageResponse } from '../views.js';
import type { ConversationRow } from '../views.js';
import { CreateMessageCommand } from './create-message.command.js';

@CommandHandler(CreateMessageCommand)
export class CreateMessageHandler implements ICommandHandler<CreateMessageCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  async execute({ conversationId, message, actor }: CreateMessageCommand) {
    const result = await this.dataSource.transaction(async (manager) => {
      // One read: the conversation as events show it, locked until commit.
      const view = await lockConversationView(manager, conversationId);
      if (!view) throw new ConversationNotFoundError(conversationId);
      const now = new Date();
      const incoming = message.messageType === 'incoming';
      const changes: Partial<ConversationRow> = { last_activity_at: now, updated_at: now };
      const reopens = incoming && (view.status === 'resolved' || view.status === 'snoozed');
      if (reopens) Object.assign(changes, { status: 'open', snoozed_until: null });
      if (incoming) changes.waiting_since = view.waiting_since ?? now;
      if (
        message.messageType === 'outgoing' &&
        !message.private &&
        message.sender?.type !== 'contact'
      ) {
        changes.first_reply_created_at = view.first_reply_created_at ?? now;
        changes.waiting_since = null;
      }
      const after: ConversationRow = {
        ...view,
        ...changes,
        // The new incoming message is one more unread (the count stops at 10, as the read
        // model's does): the snapshot after the change, without reading it again.
        unread_count: incoming ? Math.min(10, view.unread_count + 1) : view.unread_count,
      };
      const inserted = await insertMessage(manager, view, message, {
        status: after.status,
        snoozed_until: after.snoozed_until,
        waiting_since: after.waiting_since,
        first_reply_created_at: after.first_reply_created_at,
        at: now,
      });
      if (!inserted.created) {
        if (inserted.conversationId !== view.id) {
          const [other] = await manager.query(
            `SELECT display_id FROM conversations WHERE id = $1`,
            [inserted.conversationId],
          );
          throw new MessageSourceIdTakenError(message.sourceId ?? '', other.display_id);
        }
        return { message: await loadMessage(manager, inserted.id), created: false, records: [] };
      }

      const events = new ConversationEvents(manager, view.id, actor).use(after);
      await events.message('message_created', inserted.id, inserted.inserted);
      if (reopens) {
        await addActivity(
          manager,
          view,
          events,
          'Conversation was reopened by a new message from the contact',
        );
        await events
          .changed()
          .conversation('conversation_status_changed', { previous_status: view.status });
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
