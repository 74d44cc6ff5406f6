import { Query } from '@nestjs/cqrs';
import type { AgentBotResponse } from '../dto/agent-bot.responses.js';

/** The account's agent bots. */
export class ListAgentBotsQuery extends Query<AgentBotResponse[]> {
  constructor(readonly accountId: number) {
    super();
  }
}

/** One agent bot of the account (AgentBotNotFoundError otherwise). */
export class GetAgentBotQuery extends Query<AgentBotResponse> {
  constructor(
    readonly accountId: number,
    readonly agentBotId: number,
  ) {
    super();
  }
}
