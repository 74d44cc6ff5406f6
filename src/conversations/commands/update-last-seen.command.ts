import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';

/**
 * A read receipt. From the contact: sets contact_last_seen_at and marks earlier outgoing
 * messages read (message_updated each). From an agent: sets agent_last_seen_at (and
 * assignee_last_seen_at when the agent is the assignee).
 */
export class UpdateLastSeenCommand extends Command<void> {
  constructor(
    readonly conversationId: number,
    readonly actor: Actor,
  ) {
    super();
  }
}
