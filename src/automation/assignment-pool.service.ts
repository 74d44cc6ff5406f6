import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ListAgentsQuery, ListTeamsQuery } from '../accounts/index.js';
import { NotFoundError } from '../common/index.js';
import { AgentLoadQuery } from '../conversations/index.js';
import { ListInboxMembersQuery } from '../inboxes/index.js';
import type { Candidate, Capacity } from './choose-assignee.js';
import type { AssignmentPolicy } from './entities/assignment-policy.entity.js';

/** Who may be given a conversation of an inbox, with their current open loads. */
@Injectable()
export class AssignmentPool {
  constructor(private readonly queries: QueryBus) {}

  capacityOf(policy: AssignmentPolicy): Capacity {
    return { inInbox: policy.capacity_in_inbox, overall: policy.capacity_overall };
  }

  /** Inbox members (online unless the policy includes offline agents), narrowed to the team when it auto-assigns. */
  async candidates(
    accountId: number,
    inboxId: number,
    policy: AssignmentPolicy,
    teamId: number | null,
  ): Promise<Candidate[]> {
    const members = await this.queries.execute(new ListInboxMembersQuery(accountId, inboxId));
    if (members.length === 0) return [];
    let agents = await this.queries.execute(new ListAgentsQuery(accountId, { userIds: members }));
    if (!policy.include_offline_agents)
      agents = agents.filter((agent) => agent.availability_status === 'online');
    const team = teamId ? await this.autoAssigningTeam(accountId, teamId) : null;
    if (team) {
      const teamMembers = new Set(
        (await this.queries.execute(new ListAgentsQuery(accountId, { teamId: team.id }))).map(
          (agent) => agent.id,
        ),
      );
      agents = agents.filter((agent) => teamMembers.has(agent.id));
    }
    return this.queries.execute(
      new AgentLoadQuery(
        accountId,
        inboxId,
        agents.map((agent) => agent.id),
      ),
    );
  }

  /** Whether a conversation of this team may go to the agent: when the team auto-assigns, only to its members. */
  async mayTake(accountId: number, teamId: number | null, userId: number): Promise<boolean> {
    const team = teamId ? await this.autoAssigningTeam(accountId, teamId) : null;
    if (!team) return true;
    const members = await this.queries.execute(new ListAgentsQuery(accountId, { teamId: team.id }));
    return members.some((member) => member.id === userId);
  }

  async autoAssigningTeam(accountId: number, teamId: number) {
    const [team] = await this.queries
      .execute(new ListTeamsQuery(accountId, 0, teamId))
      .catch((error: unknown) => {
        if (error instanceof NotFoundError) return [];
        throw error;
      });
    return team?.allow_auto_assign ? team : null;
  }
}
