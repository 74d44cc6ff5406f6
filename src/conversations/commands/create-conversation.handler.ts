import { CommandHandler, ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { linkContactInbox } from '../../contacts/index.js';
import { agentBotOfInbox } from '../../inboxes/index.js';
import { typeCustomAttributes } from '../../custom-attributes/index.js';
import { UnitOfWork } from '../../outbox/index.js';
import { ActorNames } from '../actor-names.service.js';
import {
  ConversationSnapshot,
  lockContactInboxConversations,
  nextDisplayId,
} from '../conversation.store.js';
import { Conversation } from '../entities/conversation.entity.js';
import { ConversationCreatedEvent } from '../events/conversation-created.event.js';
import { applyAssignment, planAssignment } from './assign-conversation.handler.js';
import type { AssignmentPlan } from './assign-conversation.handler.js';
import { CreateConversationCommand } from './create-conversation.command.js';
import { addMessage } from './create-message.handler.js';

@CommandHandler(CreateConversationCommand)
export class CreateConversationHandler implements ICommandHandler<CreateConversationCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly queries: QueryBus,
    private readonly names: ActorNames,
  ) {}

  async execute({ conversation: input, actor }: CreateConversationCommand) {
    const { assigneeId, teamId } = input;
    // Checked before anything is written (and outside the transaction: see planAssignment).
    let assignment: AssignmentPlan | null = null;
    if (assigneeId || teamId) {
      assignment = await planAssignment(this.queries, this.names, input, assigneeId, teamId, actor);
    }
    return this.uow.run(async (tx) => {
      const { manager, record } = tx;
      // The contacts module writes the link through this transaction's manager, so the link
      // and everything below commit or roll back together.
      const link =
        'contactInboxId' in input.contact
          ? { id: input.contact.contactInboxId, contactId: input.contact.contactId }
          : await linkContactInbox(manager, input.accountId, input.inboxId, input.contact);
      const conversations = manager.getRepository(Conversation);
      if (input.lockToSingleConversation) {
        await lockContactInboxConversations(manager, link.id);
        const open = await conversations.findOne({
          where: [
            { contact_inbox_id: link.id, status: 'open' },
            { contact_inbox_id: link.id, status: 'pending' },
            { contact_inbox_id: link.id, status: 'snoozed' },
          ],
          order: { id: 'DESC' },
        });
        if (open) return { id: open.id, displayId: open.display_id, created: false };
      }
      const customAttributes = await typeCustomAttributes(
        manager,
        input.accountId,
        'conversation_attribute',
        input.customAttributes ?? {},
      );
      const displayId = await nextDisplayId(manager, input.accountId);
      // With an agent bot on the inbox, the bot talks first: the conversation waits pending
      // (and out of auto-assignment) until it is handed off, unless the caller chose a status.
      const status =
        input.status ??
        ((await agentBotOfInbox(manager, input.inboxId)) !== null ? 'pending' : 'open');
      const { id } = await conversations.save({
        account_id: input.accountId,
        inbox_id: input.inboxId,
        contact_id: link.contactId,
        contact_inbox_id: link.id,
        display_id: displayId,
        status,
        snoozed_until: input.status === 'snoozed' ? (input.snoozedUntil ?? null) : null,
        labels: [],
        custom_attributes: customAttributes,
        additional_attributes: input.additionalAttributes ?? {},
        muted: false,
        last_activity_at: new Date(),
      });
      const snapshot = new ConversationSnapshot(manager, id);
      record(new ConversationCreatedEvent(await snapshot.at(), actor));
      if (assignment) await applyAssignment(tx, id, assignment, actor);
      if (input.message) {
        const message =
          input.message.messageType === 'incoming'
            ? { ...input.message, sender: { type: 'contact' as const, id: link.contactId } }
            : input.message;
        await addMessage(tx, id, message, actor);
      }
      return { id, displayId, created: true };
    });
  }
}
