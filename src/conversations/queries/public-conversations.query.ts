import { Query } from '@nestjs/cqrs';
import type { toPublicConversation } from '../conversation.read-model.js';

export type PublicConversation = ReturnType<typeof toPublicConversation>;

/** A contact inbox's conversations (or one of them) as the Client API shows them. */
export class PublicConversationsQuery extends Query<PublicConversation[]> {
  constructor(
    readonly contactInboxId: number,
    readonly conversationId?: number,
  ) {
    super();
  }
}
