import { Command } from '@nestjs/cqrs';

export type AutoAssignReason = 'created' | 'reopened' | 'unassigned' | 'team_changed';

/** Gives an open conversation to an eligible agent of its inbox, by the inbox's policy. */
export class AutoAssignConversationCommand extends Command<{ assigneeId: number | null }> {
  constructor(
    readonly accountId: number,
    readonly displayId: number,
    readonly reason: AutoAssignReason,
  ) {
    super();
  }
}

/** An agent came online or has room again: give them the oldest waiting conversations. */
export class AssignBacklogCommand extends Command<{ assigned: number }> {
  constructor(
    readonly accountId: number,
    readonly userId: number,
  ) {
    super();
  }
}
