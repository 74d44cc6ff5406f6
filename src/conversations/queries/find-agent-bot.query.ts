import { Query } from '@nestjs/cqrs';

/** An agent bot as conversations name it and show its assignment (Chatwoot's agent_bot_slim). */
export interface AgentBotRef {
  id: number;
  name: string;
  description: string | null;
  thumbnail: string | null;
  outgoing_url: string | null;
  bot_type: string;
}

/**
 * An agent bot of the account, or null. Answered by the agent bots module (which owns bots and
 * depends on this one): conversations assign bots and name them in activity messages.
 */
export class FindAgentBotQuery extends Query<AgentBotRef | null> {
  constructor(
    readonly accountId: number,
    readonly agentBotId: number,
  ) {
    super();
  }
}
