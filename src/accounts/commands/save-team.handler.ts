import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../outbox/index.js';
import { AccountStore } from '../account.store.js';
import { TeamNameTakenError, TeamNotFoundError } from '../accounts.errors.js';
import { Team } from '../entities/team.entity.js';
import { SaveTeamCommand } from './save-team.command.js';

@CommandHandler(SaveTeamCommand)
export class SaveTeamHandler implements ICommandHandler<SaveTeamCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly store: AccountStore,
  ) {}

  async execute({ accountId, teamId, fields }: SaveTeamCommand): Promise<{ id: number }> {
    return this.uow.run(async ({ manager }) => {
      const teams = manager.getRepository(Team);
      if (fields.name !== undefined) {
        await this.store.lock(manager, `team-name:${accountId}`);
        const clash = await teams
          .createQueryBuilder('team')
          .where('team.account_id = :accountId', { accountId })
          .andWhere('lower(team.name) = lower(:name)', { name: fields.name })
          .getOne();
        if (clash && clash.id !== teamId) throw new TeamNameTakenError(clash.id);
      }
      const values: Partial<Team> = {};
      if (fields.name !== undefined) values.name = fields.name;
      if (fields.description !== undefined) values.description = fields.description;
      if (fields.allowAutoAssign !== undefined) values.allow_auto_assign = fields.allowAutoAssign;

      if (teamId === null) {
        const created = await teams.save({ ...values, account_id: accountId });
        return { id: created.id };
      }
      const exists = await teams.existsBy({ id: teamId, account_id: accountId });
      if (!exists) throw new TeamNotFoundError(teamId);
      if (Object.keys(values).length > 0) await teams.update({ id: teamId }, values);
      return { id: teamId };
    });
  }
}
