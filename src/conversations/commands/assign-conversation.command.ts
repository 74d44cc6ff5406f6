import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';

/**
 * Assigns a conversation to an agent of its inbox and/or a team (null unassigns); undefined
 * leaves that side as it is. Writes an activity message and conversation_updated.
 */
export class AssignConversationCommand extends Command<void> {
  constructor(
    readonly conversationId: number,
    readonly assigneeId: number | null | undefined,
    readonly teamId: number | null | undefined,
    readonly actor: Actor,
  ) {
    super();
  }
}
