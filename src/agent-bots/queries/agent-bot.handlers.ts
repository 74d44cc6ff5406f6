import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { FindAgentBotQuery } from '../../conversations/index.js';
import type { AgentBotRef } from '../../conversations/index.js';
import { agentBotSecrets } from '../../webhooks/index.js';
import { findBot, listBots } from '../agent-bot.store.js';
import { AgentBotNotFoundError } from '../agent-bots.errors.js';
import { toAgentBotResponse } from '../dto/agent-bot.responses.js';
import type { AgentBotResponse } from '../dto/agent-bot.responses.js';
import { BOT_TYPES } from '../entities/agent-bot.entity.js';
import { GetAgentBotQuery, ListAgentBotsQuery } from './agent-bot.queries.js';

@QueryHandler(ListAgentBotsQuery)
export class ListAgentBotsHandler implements IQueryHandler<ListAgentBotsQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ accountId }: ListAgentBotsQuery): Promise<AgentBotResponse[]> {
    const { manager } = this.dataSource;
    const bots = await listBots(manager, accountId);
    const secrets = await agentBotSecrets(
      manager,
      bots.map((bot) => bot.id),
    );
    return bots.map((bot) => toAgentBotResponse(bot, secrets.get(bot.id) ?? ''));
  }
}

@QueryHandler(GetAgentBotQuery)
export class GetAgentBotHandler implements IQueryHandler<GetAgentBotQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ accountId, agentBotId }: GetAgentBotQuery): Promise<AgentBotResponse> {
    const { manager } = this.dataSource;
    const bot = await findBot(manager, accountId, agentBotId);
    if (!bot) throw new AgentBotNotFoundError(agentBotId);
    const secrets = await agentBotSecrets(manager, [bot.id]);
    return toAgentBotResponse(bot, secrets.get(bot.id) ?? '');
  }
}

/** The conversations module's look-up of a bot (to assign it, and to name it). */
@QueryHandler(FindAgentBotQuery)
export class FindAgentBotHandler implements IQueryHandler<FindAgentBotQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ accountId, agentBotId }: FindAgentBotQuery): Promise<AgentBotRef | null> {
    const bot = await findBot(this.dataSource.manager, accountId, agentBotId);
    return bot
      ? {
          id: bot.id,
          name: bot.name,
          description: bot.description,
          thumbnail: bot.avatar_url,
          outgoing_url: bot.outgoing_url,
          bot_type: BOT_TYPES[bot.bot_type] ?? 'webhook',
        }
      : null;
  }
}
