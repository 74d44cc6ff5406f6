import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';
import type { Priority } from '../entities/conversation.entity.js';

export interface ConversationChanges {
  /** null clears the priority. */
  priority?: Priority | null;
  /** Replaces the whole map. */
  customAttributes?: Record<string, unknown>;
  /** Replaces the set of labels. */
  labels?: string[];
  muted?: boolean;
}

/** Changes priority, custom attributes, labels or muting; records conversation_updated. */
export class UpdateConversationCommand extends Command<void> {
  constructor(
    readonly conversationId: number,
    readonly changes: ConversationChanges,
    readonly actor: Actor,
  ) {
    super();
  }
}
