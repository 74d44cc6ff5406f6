import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../outbox/index.js';
import { TeamNotFoundError } from '../accounts.errors.js';
import { Team } from '../entities/team.entity.js';
import { DeleteTeamCommand } from './delete-team.command.js';

@CommandHandler(DeleteTeamCommand)
export class DeleteTeamHandler implements ICommandHandler<DeleteTeamCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ accountId, teamId }: DeleteTeamCommand): Promise<void> {
    const result = await this.uow.run(({ manager }) =>
      manager.getRepository(Team).delete({ id: teamId, account_id: accountId }),
    );
    if (!result.affected) throw new TeamNotFoundError(teamId);
  }
}
