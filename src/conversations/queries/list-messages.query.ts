import { Query } from '@nestjs/cqrs';
import type { MessageResponse } from '../conversation.read-model.js';

export const MESSAGES_PAGE_SIZE = 20;

/**
 * How many messages a page holds, as Chatwoot's MessageFinder has it: 100 after a cursor (so a
 * poller catches up in one call), 1,000 between two cursors, otherwise 20.
 */
export function messagePageSize(page: MessagePage): number {
  if (page.after && page.before) return 1_000;
  if (page.after) return 100;
  return MESSAGES_PAGE_SIZE;
}

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

/** A page of a conversation's messages (see messagePageSize), oldest first. */
export class ListMessagesQuery extends Query<MessageResponse[]> {
  constructor(
    readonly conversationId: number,
    readonly page: MessagePage = {},
  ) {
    super();
  }
}
