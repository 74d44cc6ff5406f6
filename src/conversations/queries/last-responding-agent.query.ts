import { Query } from '@nestjs/cqrs';

/**
 * The agent who sent the conversation's latest outgoing message (reply or note), or null:
 * Chatwoot's `last_responding_agent` for automation's assign_agent.
 */
export class LastRespondingAgentQuery extends Query<number | null> {
  constructor(readonly conversationId: number) {
    super();
  }
}
