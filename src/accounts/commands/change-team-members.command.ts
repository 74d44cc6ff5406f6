import { Command } from '@nestjs/cqrs';

export type TeamMembersChange = 'add' | 'remove' | 'replace';

/** Adds, removes or replaces a team's members; every user must be an agent of the account. */
export class ChangeTeamMembersCommand extends Command<{ userIds: number[] }> {
  constructor(
    readonly accountId: number,
    readonly teamId: number,
    readonly change: TeamMembersChange,
    readonly userIds: number[],
  ) {
    super();
  }
}
