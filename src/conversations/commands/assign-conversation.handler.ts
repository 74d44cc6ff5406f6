import { CommandHandler, ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ListTeamsQuery } from '../../accounts/index.js';
import type { Actor } from '../../common/index.js';
import { UnitOfWork } from '../../outbox/index.js';
import type { Transaction } from '../../outbox/index.js';
import type { Changes } from '../conversation.store.js';
import { ActorNames } from '../actor-names.service.js';
import { assertAssignable } from '../assignable.js';
import { addActivity, ConversationSnapshot, lockConversation } from '../conversation.store.js';
import { conversationPlacement } from '../conversation.read-model.js';
import { ConversationNotFoundError, TeamNotFoundError } from '../conversations.errors.js';
import { Conversation } from '../entities/conversation.entity.js';
import { ConversationUpdatedEvent } from '../events/conversation-updated.event.js';
import { AssignConversationCommand } from './assign-conversation.command.js';

/** An assignment checked and named, ready to be written (see planAssignment). */
export interface AssignmentPlan {
  assigneeId: number | null | undefined;
  teamId: number | null | undefined;
  /** Who assigns, in words, and the names the activity messages give. */
  by: string;
  assigneeName: string | null;
  teamName: string | null;
}

/**
 * The checks and names an assignment needs from other modules (membership, teams, names):
 * read before the transaction, because a query bus call inside it would take a second pool
 * connection while holding one, and enough concurrent writers would then starve the pool.
 * Throws the assignment's domain errors (assignee not in the inbox, unknown team).
 */
export async function planAssignment(
  queries: QueryBus,
  names: ActorNames,
  target: { accountId: number; inboxId: number },
  assigneeId: number | null | undefined,
  teamId: number | null | undefined,
  actor: Actor,
): Promise<AssignmentPlan> {
  const { accountId, inboxId } = target;
  if (assigneeId) await assertAssignable(queries, accountId, inboxId, assigneeId);
  let teamName: string | null = null;
  if (teamId) {
    const teams = await queries.execute(new ListTeamsQuery(accountId, 0));
    const team = teams.find((candidate) => candidate.id === teamId);
    if (!team) throw new TeamNotFoundError(teamId);
    teamName = team.name;
  }
  const by = await names.of(accountId, actor);
  const assigneeName = assigneeId ? await names.agent(accountId, assigneeId) : null;
  return { assigneeId, teamId, by, assigneeName, teamName };
}

/**
 * Writes a planned assignment inside the caller's transaction: the change, its activity
 * messages (message_created) and conversation_updated. Nothing when nothing changes.
 */
export async function applyAssignment(
  tx: Transaction,
  conversationId: number,
  plan: AssignmentPlan,
  actor: Actor,
): Promise<void> {
  const { manager } = tx;
  const { assigneeId, teamId, by, assigneeName, teamName } = plan;
  const conversation = await lockConversation(manager, conversationId);
  // The auto-assigner decided on an older state: a conversation a bot took meanwhile stays the
  // bot's until it is handed off (opened).
  if (
    actor.type === 'system' &&
    conversation.assignee_agent_bot_id !== null &&
    conversation.status !== 'open'
  )
    return;
  const next: Partial<Conversation> = {};
  if (assigneeId !== undefined && assigneeId !== conversation.assignee_id)
    next.assignee_id = assigneeId;
  if (teamId !== undefined && teamId !== conversation.team_id) next.team_id = teamId;
  // A person taking over replaces the bot (Chatwoot: one assignee, a user or a bot).
  if (next.assignee_id && conversation.assignee_agent_bot_id !== null)
    next.assignee_agent_bot_id = null;
  if (Object.keys(next).length === 0) return;

  await manager.getRepository(Conversation).update({ id: conversation.id }, {
    ...next,
    updated_at: new Date(),
  } as Changes<Conversation>);
  const snapshot = new ConversationSnapshot(manager, conversation.id);
  if (next.assignee_id !== undefined) {
    const text =
      next.assignee_id === null
        ? `Conversation was unassigned by ${by}`
        : actor.type === 'user' && actor.id === next.assignee_id
          ? `${by} self-assigned this conversation`
          : `Assigned to ${assigneeName} by ${by}`;
    await addActivity(tx, conversation, snapshot, text, actor);
  }
  if (next.team_id !== undefined) {
    const text =
      next.team_id === null
        ? `Unassigned from team by ${by}`
        : `Assigned to ${teamName} team by ${by}`;
    await addActivity(tx, conversation, snapshot, text, actor);
  }
  const changed = Object.entries(next).map(([key, value]) => ({
    [key]: { previous_value: conversation[key as keyof Conversation], current_value: value },
  }));
  tx.record(new ConversationUpdatedEvent(await snapshot.changed().at(), changed, actor));
}

@CommandHandler(AssignConversationCommand)
export class AssignConversationHandler implements ICommandHandler<AssignConversationCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queries: QueryBus,
    private readonly names: ActorNames,
    private readonly uow: UnitOfWork,
  ) {}

  async execute({
    conversationId,
    assigneeId,
    teamId,
    actor,
  }: AssignConversationCommand): Promise<void> {
    const found = await conversationPlacement(this.dataSource, conversationId);
    if (!found) throw new ConversationNotFoundError(conversationId);
    const plan = await planAssignment(
      this.queries,
      this.names,
      { accountId: found.account_id, inboxId: found.inbox_id },
      assigneeId,
      teamId,
      actor,
    );
    await this.uow.run((tx) => applyAssignment(tx, conversationId, plan, actor));
  }
}
