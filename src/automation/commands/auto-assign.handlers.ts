import { CommandBus, CommandHandler, ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ListAgentsQuery } from '../../accounts/index.js';
import { NotFoundError, SYSTEM_ACTOR } from '../../common/index.js';
import {
  AgentLoadQuery,
  AssignConversationCommand,
  FindConversationQuery,
  WaitingConversationsQuery,
} from '../../conversations/index.js';
import { AccessibleInboxesQuery, FindInboxQuery } from '../../inboxes/index.js';
import { withAssignmentLock } from '../assignment-lock.js';
import { AssignmentPool } from '../assignment-pool.service.js';
import { chooseAssignee, hasRoom } from '../choose-assignee.js';
import { PolicyStore } from '../policy.store.js';
import { AssignBacklogCommand, AutoAssignConversationCommand } from './auto-assign.commands.js';

const orNull = (error: unknown) => {
  if (error instanceof NotFoundError) return null;
  throw error;
};

@CommandHandler(AutoAssignConversationCommand)
export class AutoAssignConversationHandler implements ICommandHandler<AutoAssignConversationCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
    private readonly policies: PolicyStore,
    private readonly pool: AssignmentPool,
  ) {}

  async execute({ accountId, displayId, reason }: AutoAssignConversationCommand) {
    const found = await this.queries
      .execute(new FindConversationQuery({ accountId, displayId }))
      .catch(orNull);
    if (!found || found.status !== 'open') return { assigneeId: null };
    const inbox = await this.queries
      .execute(new FindInboxQuery({ accountId, inboxId: found.inboxId }))
      .catch(orNull);
    if (!inbox?.enableAutoAssignment) return { assigneeId: null };

    return withAssignmentLock(this.dataSource, accountId, async () => {
      // Read again under the lock: another process may have assigned it meanwhile.
      const conversation = await this.queries.execute(
        new FindConversationQuery({ accountId, displayId }),
      );
      if (conversation.status !== 'open') return { assigneeId: conversation.assigneeId };
      const policy = await this.policies.get(accountId, conversation.inboxId);
      const capacity = this.pool.capacityOf(policy);
      const candidates = await this.pool.candidates(
        accountId,
        conversation.inboxId,
        policy,
        conversation.teamId,
      );

      if (conversation.assigneeId !== null && reason === 'team_changed') {
        // A team that auto-assigns keeps its conversations with its members (Chatwoot does too):
        // one given to the team while held by someone else moves to a member.
        if (await this.pool.mayTake(accountId, conversation.teamId, conversation.assigneeId))
          return { assigneeId: conversation.assigneeId };
      } else if (conversation.assigneeId !== null) {
        if (reason !== 'reopened' || policy.keep_assignee_on_reopen)
          return { assigneeId: conversation.assigneeId };
        // The reopened conversation already counts in its assignee's load.
        const current = candidates.find(
          (candidate) => candidate.userId === conversation.assigneeId,
        );
        if (
          current &&
          hasRoom(
            {
              ...current,
              openInInbox: current.openInInbox - 1,
              openOverall: current.openOverall - 1,
            },
            capacity,
          )
        ) {
          return { assigneeId: conversation.assigneeId };
        }
      }
      const others = candidates.filter((candidate) => candidate.userId !== conversation.assigneeId);
      let chosen = chooseAssignee(policy.strategy, others, capacity, policy.last_assigned_user_id);
      if (chosen === null) {
        // Nobody has room: a reopened (or moved to a team) conversation waits unassigned, so the
        // backlog picks it up.
        if (conversation.assigneeId !== null) {
          await this.commands.execute(
            new AssignConversationCommand(conversation.id, null, undefined, SYSTEM_ACTOR),
          );
        }
        return { assigneeId: null };
      }
      if (conversation.assigneeId === null) {
        // Oldest first: a conversation that waited longer in the inbox, and may go to the chosen
        // agent, gets the room before this one (this command may run after room was freed).
        for (;;) {
          const next = await this.oldestWaitingFor(accountId, conversation, chosen);
          await this.assign(accountId, conversation.inboxId, next, chosen);
          if (next === conversation.id) return { assigneeId: chosen };
          const loads = await this.pool.candidates(
            accountId,
            conversation.inboxId,
            policy,
            conversation.teamId,
          );
          chosen = chooseAssignee(policy.strategy, loads, capacity, chosen);
          if (chosen === null) return { assigneeId: null };
        }
      }
      await this.assign(accountId, conversation.inboxId, conversation.id, chosen);
      return { assigneeId: chosen };
    });
  }

  private async assign(
    accountId: number,
    inboxId: number,
    conversationId: number,
    userId: number,
  ): Promise<void> {
    await this.commands.execute(
      new AssignConversationCommand(conversationId, userId, undefined, SYSTEM_ACTOR),
    );
    await this.policies.save({
      inbox_id: inboxId,
      account_id: accountId,
      last_assigned_user_id: userId,
    });
  }

  /** This conversation, or the longest waiting one of its inbox that may go to the agent, if older. */
  private async oldestWaitingFor(
    accountId: number,
    conversation: { id: number; inboxId: number },
    userId: number,
  ): Promise<number> {
    const waiting = await this.queries.execute(
      new WaitingConversationsQuery(accountId, [conversation.inboxId], 100),
    );
    for (const candidate of waiting) {
      if (candidate.id === conversation.id) break;
      if (await this.pool.mayTake(accountId, candidate.teamId, userId)) return candidate.id;
    }
    return conversation.id;
  }
}

@CommandHandler(AssignBacklogCommand)
export class AssignBacklogHandler implements ICommandHandler<AssignBacklogCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
    private readonly policies: PolicyStore,
    private readonly pool: AssignmentPool,
  ) {}

  async execute({ accountId, userId }: AssignBacklogCommand) {
    return withAssignmentLock(this.dataSource, accountId, async () => {
      const [agent] = await this.queries.execute(
        new ListAgentsQuery(accountId, { userIds: [userId] }),
      );
      if (!agent) return { assigned: 0 };
      const memberOf = await this.queries.execute(
        new AccessibleInboxesQuery(accountId, { userId, role: 'agent' }),
      );
      const inboxes = memberOf === 'all' ? [] : memberOf;
      const open = new Map<number, Awaited<ReturnType<PolicyStore['get']>>>();
      for (const inboxId of inboxes) {
        const inbox = await this.queries
          .execute(new FindInboxQuery({ accountId, inboxId }))
          .catch(orNull);
        const policy = await this.policies.get(accountId, inboxId);
        if (
          inbox?.enableAutoAssignment &&
          (agent.availability_status === 'online' || policy.include_offline_agents)
        ) {
          open.set(inboxId, policy);
        }
      }
      let assigned = 0;
      const teamsOfAgent = new Map<number, boolean>();
      for (let pass = 0; pass < 50 && open.size > 0; pass++) {
        const waiting = await this.queries.execute(
          new WaitingConversationsQuery(accountId, [...open.keys()], 25),
        );
        let progressed = false;
        for (const conversation of waiting) {
          const policy = open.get(conversation.inboxId);
          if (!policy) continue;
          if (
            conversation.teamId &&
            !(await this.inTeam(accountId, conversation.teamId, userId, teamsOfAgent))
          )
            continue;
          const [load] = await this.queries.execute(
            new AgentLoadQuery(accountId, conversation.inboxId, [userId]),
          );
          if (!hasRoom(load, this.pool.capacityOf(policy))) {
            open.delete(conversation.inboxId);
            continue;
          }
          await this.commands.execute(
            new AssignConversationCommand(conversation.id, userId, undefined, SYSTEM_ACTOR),
          );
          assigned++;
          progressed = true;
        }
        if (!progressed || waiting.length === 0) break;
      }
      return { assigned };
    });
  }

  /** Team conversations (when the team auto-assigns) only go to the team's members. */
  private async inTeam(
    accountId: number,
    teamId: number,
    userId: number,
    cache: Map<number, boolean>,
  ): Promise<boolean> {
    if (!cache.has(teamId)) cache.set(teamId, await this.pool.mayTake(accountId, teamId, userId));
    return cache.get(teamId)!;
  }
}
