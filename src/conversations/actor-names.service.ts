import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ListAgentsQuery } from '../accounts/index.js';
import type { Actor } from '../common/index.js';
import { GetContactsQuery } from '../contacts/index.js';
import { FindAgentBotQuery } from './queries/find-agent-bot.query.js';

/** Who did something, in words, for activity messages ("Assigned to Grace by Ada"). */
@Injectable()
export class ActorNames {
  constructor(private readonly queries: QueryBus) {}

  async of(accountId: number, actor: Actor): Promise<string> {
    if (actor.type === 'user' && actor.id !== null) return this.agent(accountId, actor.id);
    if (actor.type === 'contact' && actor.id !== null) {
      const [contact] = await this.queries.execute(new GetContactsQuery(accountId, [actor.id]));
      return contact?.name || 'the contact';
    }
    if (actor.type === 'automation_rule') return 'an automation rule';
    if (actor.type === 'agent_bot' && actor.id !== null) {
      const bot = await this.queries.execute(new FindAgentBotQuery(accountId, actor.id));
      return bot?.name ?? 'a bot';
    }
    if (actor.type === 'agent_bot') return 'a bot';
    return 'the system';
  }

  async agent(accountId: number, userId: number): Promise<string> {
    const [agent] = await this.queries.execute(
      new ListAgentsQuery(accountId, { userIds: [userId] }),
    );
    return agent?.available_name ?? `user ${userId}`;
  }
}
