import { Command } from '@nestjs/cqrs';

/**
 * Reopens up to `limit` snoozed conversations whose snoozed_until is at or before `dueAt`, as
 * the system: each gets status open, an activity message and conversation_status_changed.
 * Answers how many it reopened (fewer than `limit`: none was left that no one else holds).
 */
export class ReopenSnoozedConversationsCommand extends Command<number> {
  constructor(
    readonly dueAt: Date,
    readonly limit: number,
  ) {
    super();
  }
}
