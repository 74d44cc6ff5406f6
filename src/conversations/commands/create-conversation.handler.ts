import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../outbox/index.js';
import { ConversationSnapshot, nextDisplayId } from '../conversation-writer.js';
import { Conversation } from '../entities/conversation.entity.js';
import { ConversationCreatedEvent } from '../events/conversation-created.event.js';
import { CreateConversationCommand } from './create-conversation.command.js';

@CommandHandler(CreateConversationCommand)
export class CreateConversationHandler implements ICommandHandler<CreateConversationCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ conversation: input, actor }: CreateConversationCommand) {
    return this.uow.run(async ({ manager, record }) => {
      const conversations = manager.getRepository(Conversation);
      if (input.lockToSingleConversation) {
        await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
          `contact-inbox:${input.contactInboxId}`,
        ]);
        const open = await conversations.findOne({
          where: [
            { contact_inbox_id: input.contactInboxId, status: 'open' },
            { contact_inbox_id: input.contactInboxId, status: 'pending' },
            { contact_inbox_id: input.contactInboxId, status: 'snoozed' },
          ],
          order: { id: 'DESC' },
        });
        if (open) return { id: open.id, displayId: open.display_id, created: false };
      }
      const displayId = await nextDisplayId(manager, input.accountId);
      const { id } = await conversations.save({
        account_id: input.accountId,
        inbox_id: input.inboxId,
        contact_id: input.contactId,
        contact_inbox_id: input.contactInboxId,
        display_id: displayId,
        status: input.status ?? 'open',
        labels: [],
        custom_attributes: input.customAttributes ?? {},
        additional_attributes: input.additionalAttributes ?? {},
        muted: false,
        last_activity_at: new Date(),
      });
      const snapshot = new ConversationSnapshot(manager, id);
      await record(new ConversationCreatedEvent(await snapshot.at(), actor));
      return { id, displayId, created: true };
    });
  }
}
