import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';
import type { ConversationStatus } from '../entities/conversation.entity.js';

/**
 * Sets a conversation's status; without one, flips open ↔ resolved (pending and snoozed
 * become open). Writes an activity message and conversation_status_changed. Opening a pending
 * conversation of an agent bot (its inbox's, or assigned to it) is a handoff to people: the bot
 * stops being its assignee, the activity message says who handed off (and `reason`, if given),
 * and conversation_updated carries `handoff` in its changed_attributes.
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
    readonly reason?: string,
    /** Change nothing unless the conversation is in this status (a handoff that may be late). */
    readonly onlyFrom?: ConversationStatus,
  ) {
    super();
  }
}
