import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';
import type { AgentBotRef } from '../queries/find-agent-bot.query.js';

/**
 * Assigns a conversation to an agent bot of its account (Chatwoot's `assignee_type: "AgentBot"`):
 * the bot replaces any agent as assignee and the conversation becomes pending, the bot's to
 * handle until it (or anyone) opens it. Writes an activity message, conversation_updated and,
 * when the status changes, conversation_status_changed. Unknown bot: AgentBotNotFoundError.
 */
export class AssignAgentBotCommand extends Command<AgentBotRef> {
  constructor(
    readonly conversationId: number,
    readonly agentBotId: number,
    readonly actor: Actor,
  ) {
    super();
  }
}
