import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';
import type { ConversationStatus } from '../entities/conversation.entity.js';

/**
 * Sets a conversation's status; without one, flips open ↔ resolved (pending and snoozed
 * become open). Writes an activity message and conversation_status_changed.
 */
export class ToggleStatusCommand extends Command<{
  status: ConversationStatus;
  snoozedUntil: Date | null;
}> {
  constructor(
    readonly conversationId: number,
    readonly status: ConversationStatus | undefined,
    readonly snoozedUntil: Date | null,
    readonly actor: Actor,
  ) {
    super();
  }
}
