import { Query } from '@nestjs/cqrs';
import type { ConversationResponse } from '../conversation.read-model.js';

/** The Application API view of one conversation (by internal id, from FindConversationQuery). */
export class GetConversationQuery extends Query<ConversationResponse> {
  constructor(readonly conversationId: number) {
    super();
  }
}
