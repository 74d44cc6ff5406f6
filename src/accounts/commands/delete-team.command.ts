import { Command } from '@nestjs/cqrs';

export class DeleteTeamCommand extends Command<void> {
  constructor(
    readonly accountId: number,
    readonly teamId: number,
  ) {
    super();
  }
}
