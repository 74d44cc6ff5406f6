import { Command } from '@nestjs/cqrs';

export interface TeamFields {
  name?: string;
  description?: string | null;
  allowAutoAssign?: boolean;
}

/** Creates a team (teamId null) or updates one; team names are unique per account. */
export class SaveTeamCommand extends Command<{ id: number }> {
  constructor(
    readonly accountId: number,
    readonly teamId: number | null,
    readonly fields: TeamFields,
  ) {
    super();
  }
}
