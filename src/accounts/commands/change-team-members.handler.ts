import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { In } from 'typeorm';
import { UnitOfWork } from '../../outbox/index.js';
import { TeamNotFoundError, UnknownAgentsError } from '../accounts.errors.js';
import { AccountUser } from '../entities/account-user.entity.js';
import { TeamMember } from '../entities/team-member.entity.js';
import { Team } from '../entities/team.entity.js';
import { ChangeTeamMembersCommand } from './change-team-members.command.js';

@CommandHandler(ChangeTeamMembersCommand)
export class ChangeTeamMembersHandler implements ICommandHandler<ChangeTeamMembersCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  /** Returns the user ids that the change added (add, replace) or removed (remove). */
  async execute({ accountId, teamId, change, userIds }: ChangeTeamMembersCommand) {
    const wanted = [...new Set(userIds)];
    return this.uow.run(async ({ manager }) => {
      const team = await manager.getRepository(Team).findOne({
        where: { id: teamId, account_id: accountId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!team) throw new TeamNotFoundError(teamId);

      const members = manager.getRepository(TeamMember);
      if (change === 'remove') {
        const current = await members.findBy({ team_id: teamId, user_id: In(wanted) });
        await members.delete({ team_id: teamId, user_id: In(wanted) });
        return { userIds: current.map((member) => member.user_id) };
      }

      const agents = await manager
        .getRepository(AccountUser)
        .findBy({ account_id: accountId, user_id: In(wanted) });
      const known = new Set(agents.map((agent) => agent.user_id));
      const unknown = wanted.filter((id) => !known.has(id));
      if (unknown.length > 0) throw new UnknownAgentsError(unknown);

      if (change === 'replace') await members.delete({ team_id: teamId });
      const existing = new Set(
        (await members.findBy({ team_id: teamId })).map((member) => member.user_id),
      );
      const added = wanted.filter((id) => !existing.has(id));
      if (added.length > 0)
        await members.insert(added.map((user_id) => ({ team_id: teamId, user_id })));
      return { userIds: change === 'replace' ? wanted : added };
    });
  }
}
