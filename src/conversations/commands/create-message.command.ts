import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';
import type { NewMessage } from '../conversation.store.js';
import type { MessageResponse } from '../conversation.read-model.js';

/**
 * Adds a message to a conversation. In one transaction: the message, the conversation's new
 * state (an incoming message reopens a resolved or snoozed conversation) and their events.
 * A source_id the inbox already has returns the existing message instead (created false).
 * `message` is the message as the API shows it.
 */
export class CreateMessageCommand extends Command<{
  messageId: string;
  created: boolean;
  message: MessageResponse;
}> {
  constructor(
    readonly conversationId: number,
    readonly message: NewMessage,
    readonly actor: Actor,
  ) {
    super();
  }
}
