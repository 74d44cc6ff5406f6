import { Query } from '@nestjs/cqrs';
import type { MessageResponse } from '../conversation.read-model.js';

export const MESSAGES_PAGE_SIZE = 20;

export interface MessagePage {
  /** Messages with an id below this (older); without before/after: the newest. */
  before?: number;
  /** Messages with an id above this (newer). */
  after?: number;
  /** The Client API's view: no private notes, no activity messages. */
  contactView?: boolean;
  /** Only these messages (any visibility rule still applies). */
  messageIds?: string[];
}

/** Up to 20 messages of a conversation, oldest first. */
export class ListMessagesQuery extends Query<MessageResponse[]> {
  constructor(
    readonly conversationId: number,
    readonly page: MessagePage = {},
  ) {
    super();
  }
}
