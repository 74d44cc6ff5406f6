import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AttachmentSql } from '../../attachments/index.js';
import type { Actor } from '../../common/index.js';
import { acceptsMessagesAfterResolved } from '../../inboxes/index.js';
import { UnitOfWork } from '../../outbox/index.js';
import type { Transaction } from '../../outbox/index.js';
import type { NewMessage } from '../conversation.store.js';
import {
  addActivity,
  ConversationSnapshot,
  displayIdOf,
  loadMessage,
  lockAndInsertMessage,
} from '../conversation.store.js';
import {
  ConversationNotFoundError,
  ConversationResolvedError,
  MessageSourceIdTakenError,
} from '../conversations.errors.js';
import { ConversationStatusChangedEvent } from '../events/conversation-status-changed.event.js';
import { MessageCreatedEvent } from '../events/message-created.event.js';
import { toMessageResponse } from '../conversation.read-model.js';
import type { MessageJson } from '../conversation.read-model.js';
import { CreateMessageCommand } from './create-message.command.js';

/**
 * Adds a message inside the caller's transaction: the message, the conversation's new state and
 * their events (see CreateMessageCommand). Refuses, with ConversationResolvedError, a message
 * from the contact into a resolved conversation when its inbox does not accept messages after
 * resolution: every channel's contact messages get this rule, whatever the channel.
 */
export async function addMessage(
  tx: Transaction,
  conversationId: number,
  message: NewMessage,
  actor: Actor,
): Promise<{ message: MessageJson; created: boolean }> {
  const { manager } = tx;
  const at = new Date();
  // A contact's message into a resolved conversation is held back until the inbox's policy says.
  let attempt = await lockAndInsertMessage(manager, conversationId, message, {
    holdIfResolved: actor.type === 'contact',
    at,
  });
  if (!attempt) throw new ConversationNotFoundError(conversationId);
  if (attempt.held) {
    if (!(await acceptsMessagesAfterResolved(manager, attempt.target.inbox_id))) {
      throw new ConversationResolvedError(await displayIdOf(manager, attempt.target.id));
    }
    attempt = (await lockAndInsertMessage(manager, conversationId, message, {
      holdIfResolved: false,
      at,
    }))!;
  }
  const target = attempt.target;
  const inserted = attempt.inserted!;
  const reopens =
    message.messageType === 'incoming' &&
    (target.status === 'resolved' || target.status === 'snoozed');
  if (!inserted.created) {
    if (inserted.conversationId !== target.id) {
      throw new MessageSourceIdTakenError(
        message.sourceId ?? '',
        await displayIdOf(manager, inserted.conversationId),
      );
    }
    return { message: await loadMessage(manager, inserted.id), created: false };
  }

  if (message.attachments?.length) {
    inserted.inserted!.attachments = await AttachmentSql.attach(manager, message.attachments, {
      id: inserted.id,
      account_id: target.account_id,
    });
  }

  // The snapshot the events carry: after the change, in this transaction (the insert's statement
  // answers it, most of the time).
  const snapshot = new ConversationSnapshot(manager, target.id, attempt.view);
  tx.record(
    new MessageCreatedEvent(
      await snapshot.at(),
      await snapshot.message(inserted.id, inserted.inserted),
      actor,
    ),
  );
  if (reopens) {
    await addActivity(
      tx,
      target,
      snapshot,
      'Conversation was reopened by a new message from the contact',
      actor,
    );
    tx.record(
      new ConversationStatusChangedEvent(await snapshot.changed().at(), target.status, actor),
    );
  }
  return { message: inserted.inserted!, created: true };
}

@CommandHandler(CreateMessageCommand)
export class CreateMessageHandler implements ICommandHandler<CreateMessageCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ conversationId, message, actor }: CreateMessageCommand) {
    // The hot write: concurrent messages share transactions (group commit), one conversation's
    // on one lane, in order.
    const result = await this.uow.run((tx) => addMessage(tx, conversationId, message, actor), {
      lane: `conversation:${conversationId}`,
    });
    return {
      messageId: String(result.message.id),
      created: result.created,
      message: toMessageResponse(result.message),
    };
  }
}
