import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';
import type { MessageStatus } from '../entities/message.entity.js';

export interface MessageChanges {
  /** Delivery status, set by the integrator of an API inbox. */
  status?: MessageStatus;
  externalError?: string | null;
  /** Answers to a form, select or CSAT message (Client API). */
  submittedValues?: Record<string, unknown>;
  /** Soft delete: the content is replaced and content_attributes.deleted set. */
  delete?: boolean;
}

/** Changes one message of a conversation; records message_updated (and message_deleted). */
export class UpdateMessageCommand extends Command<void> {
  constructor(
    readonly conversationId: number,
    readonly messageId: number,
    readonly changes: MessageChanges,
    readonly actor: Actor,
  ) {
    super();
  }
}
