import { CommandHandler, ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { UnitOfWork } from '../../outbox/index.js';
import { ActorNames } from '../actor-names.service.js';
import type { Changes } from '../conversation.store.js';
import { addActivity, ConversationSnapshot, lockConversation } from '../conversation.store.js';
import { conversationPlacement } from '../conversation.read-model.js';
import { AgentBotNotFoundError, ConversationNotFoundError } from '../conversations.errors.js';
import { Conversation } from '../entities/conversation.entity.js';
import { ConversationStatusChangedEvent } from '../events/conversation-status-changed.event.js';
import { ConversationUpdatedEvent } from '../events/conversation-updated.event.js';
import type { ChangedAttributes } from '../events/conversation-updated.event.js';
import { FindAgentBotQuery } from '../queries/find-agent-bot.query.js';
import { AssignAgentBotCommand } from './assign-agent-bot.command.js';

@CommandHandler(AssignAgentBotCommand)
export class AssignAgentBotHandler implements ICommandHandler<AssignAgentBotCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queries: QueryBus,
    private readonly names: ActorNames,
    private readonly uow: UnitOfWork,
  ) {}

  async execute({ conversationId, agentBotId, actor }: AssignAgentBotCommand) {
    // Names and the bot are read before the transaction (see planAssignment).
    const found = await conversationPlacement(this.dataSource, conversationId);
    if (!found) throw new ConversationNotFoundError(conversationId);
    const bot = await this.queries.execute(new FindAgentBotQuery(found.account_id, agentBotId));
    if (!bot) throw new AgentBotNotFoundError(agentBotId);
    const by = await this.names.of(found.account_id, actor);
    await this.uow.run(async (tx) => {
      const conversation = await lockConversation(tx.manager, conversationId);
      if (conversation.assignee_agent_bot_id === bot.id && conversation.assignee_id === null)
        return;
      const next = {
        assignee_id: null,
        assignee_agent_bot_id: bot.id,
        status: conversation.status === 'resolved' ? conversation.status : 'pending',
      } as const;
      await tx.manager.getRepository(Conversation).update({ id: conversation.id }, {
        ...next,
        snoozed_until: next.status === 'pending' ? null : conversation.snoozed_until,
        updated_at: new Date(),
      } as Changes<Conversation>);
      const snapshot = new ConversationSnapshot(tx.manager, conversation.id);
      await addActivity(tx, conversation, snapshot, `Assigned to ${bot.name} by ${by}`, actor);
      const changed: ChangedAttributes = (Object.keys(next) as (keyof typeof next)[])
        .filter((key) => conversation[key] !== next[key])
        .map((key) => ({ [key]: { previous_value: conversation[key], current_value: next[key] } }));
      const at = await snapshot.changed().at();
      tx.record(new ConversationUpdatedEvent(at, changed, actor));
      if (next.status !== conversation.status)
        tx.record(new ConversationStatusChangedEvent(at, conversation.status, actor));
    });
    return bot;
  }
}
