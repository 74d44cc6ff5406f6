import { CommandHandler, ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { PendingBotConversationsQuery } from '../../conversations/index.js';
import { issueAgentBotToken } from '../../accounts/index.js';
import { attachAgentBot, FindInboxQuery, inboxesOfAgentBot } from '../../inboxes/index.js';
import { OutboundPolicy } from '../../outbound/index.js';
import { UnitOfWork } from '../../outbox/index.js';
import { InProcessReceivers, saveAgentBotEndpoint } from '../../webhooks/index.js';
import type { AgentBotFields } from '../agent-bot.store.js';
import {
  deleteBot,
  endpointTarget,
  findBot,
  inProcessNameOf,
  insertBot,
  updateBot,
} from '../agent-bot.store.js';
import { AgentBotNotFoundError, UnknownInProcessBotError } from '../agent-bots.errors.js';
import { BotHandoffs } from '../bot-handoffs.service.js';
import {
  DeleteAgentBotCommand,
  ResetAgentBotTokenCommand,
  SaveAgentBotCommand,
  SetInboxAgentBotCommand,
} from './agent-bot.commands.js';

@CommandHandler(SaveAgentBotCommand)
export class SaveAgentBotHandler implements ICommandHandler<SaveAgentBotCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly policy: OutboundPolicy,
    private readonly inProcess: InProcessReceivers,
  ) {}

  async execute({ accountId, agentBotId, fields }: SaveAgentBotCommand) {
    await this.check(fields);
    return this.uow.run(async ({ manager }) => {
      if (agentBotId === null) {
        const token = issueAgentBotToken();
        const bot = await insertBot(manager, accountId, { ...fields, name: fields.name! }, token);
        await saveAgentBotEndpoint(manager, accountId, bot.id, endpointTarget(bot));
        return { id: bot.id, accessToken: token.token };
      }
      const bot = await updateBot(manager, accountId, agentBotId, fields);
      if (!bot) throw new AgentBotNotFoundError(agentBotId);
      await saveAgentBotEndpoint(manager, accountId, bot.id, endpointTarget(bot));
      return { id: bot.id };
    });
  }

  /** The URL policy (SSRF) and the in-process bot name, before anything is written. */
  private async check(fields: AgentBotFields): Promise<void> {
    if (fields.outgoingUrl) await this.policy.assertAllowed(fields.outgoingUrl, 'outgoing_url');
    const inProcess = fields.botConfig ? inProcessNameOf(fields.botConfig) : null;
    if (inProcess && !this.inProcess.has(inProcess))
      throw new UnknownInProcessBotError(inProcess, this.inProcess.names());
  }
}

@CommandHandler(DeleteAgentBotCommand)
export class DeleteAgentBotHandler implements ICommandHandler<DeleteAgentBotCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly dataSource: DataSource,
    private readonly queries: QueryBus,
    private readonly handoffs: BotHandoffs,
  ) {}

  async execute({ accountId, agentBotId }: DeleteAgentBotCommand): Promise<void> {
    const { manager } = this.dataSource;
    const bot = await findBot(manager, accountId, agentBotId);
    if (!bot) throw new AgentBotNotFoundError(agentBotId);
    // Its pending conversations go to people first: nothing would ever answer them.
    const pending = await this.queries.execute(
      new PendingBotConversationsQuery(
        accountId,
        await inboxesOfAgentBot(manager, agentBotId),
        agentBotId,
      ),
    );
    for (const conversationId of pending)
      await this.handoffs.handOff(conversationId, `the bot ${bot.name} was deleted`);
    // The endpoint (and its deliveries) go with the bot; inboxes and conversations let go of it.
    const deleted = await this.uow.run(({ manager }) => deleteBot(manager, accountId, agentBotId));
    if (!deleted) throw new AgentBotNotFoundError(agentBotId);
  }
}

@CommandHandler(ResetAgentBotTokenCommand)
export class ResetAgentBotTokenHandler implements ICommandHandler<ResetAgentBotTokenCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ accountId, agentBotId }: ResetAgentBotTokenCommand) {
    const token = issueAgentBotToken();
    const bot = await this.uow.run(({ manager }) =>
      updateBot(manager, accountId, agentBotId, { accessToken: token }),
    );
    if (!bot) throw new AgentBotNotFoundError(agentBotId);
    return { accessToken: token.token };
  }
}

@CommandHandler(SetInboxAgentBotCommand)
export class SetInboxAgentBotHandler implements ICommandHandler<SetInboxAgentBotCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly queries: QueryBus,
    private readonly handoffs: BotHandoffs,
  ) {}

  async execute({ accountId, inboxId, agentBotId }: SetInboxAgentBotCommand): Promise<void> {
    // 404 for an inbox deleted, of another account, or never made.
    const inbox = await this.queries.execute(new FindInboxQuery({ accountId, inboxId }));
    if (agentBotId === null && inbox.agentBotId !== null) {
      // Detached: the inbox's pending conversations go to people (no bot will answer them).
      const pending = await this.queries.execute(
        new PendingBotConversationsQuery(accountId, [inboxId], null),
      );
      for (const conversationId of pending)
        await this.handoffs.handOff(conversationId, 'the bot was detached from the inbox');
    }
    await this.uow.run(async ({ manager }) => {
      if (agentBotId !== null && !(await findBot(manager, accountId, agentBotId)))
        throw new AgentBotNotFoundError(agentBotId);
      await attachAgentBot(manager, accountId, inboxId, agentBotId);
    });
  }
}
