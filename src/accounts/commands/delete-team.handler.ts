import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { TeamNotFoundError } from '../accounts.errors.js';
import { Team } from '../entities/team.entity.js';
import { DeleteTeamCommand } from './delete-team.command.js';

@CommandHandler(DeleteTeamCommand)
export class DeleteTeamHandler implements ICommandHandler<DeleteTeamCommand> {
  constructor(@InjectRepository(Team) private readonly teams: Repository<Team>) {}

  async execute({ accountId, teamId }: DeleteTeamCommand): Promise<void> {
    const result = await this.teams.delete({ id: teamId, account_id: accountId });
    if (!result.affected) throw new TeamNotFoundError(teamId);
  }
}
