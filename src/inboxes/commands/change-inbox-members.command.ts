import { Command } from '@nestjs/cqrs';

export type InboxMembersChange = 'add' | 'remove' | 'replace';

/** Adds, removes or replaces the agents of an inbox; each must be an agent of the account. */
export class ChangeInboxMembersCommand extends Command<void> {
  constructor(
    readonly accountId: number,
    readonly inboxId: number,
    readonly change: InboxMembersChange,
    readonly userIds: number[],
  ) {
    super();
  }
}
