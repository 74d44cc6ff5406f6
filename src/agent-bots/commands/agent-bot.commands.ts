import { Command } from '@nestjs/cqrs';
import type { AgentBotFields } from '../agent-bot.store.js';

/**
 * Creates (agentBotId null, `name` required) or updates an agent bot and its endpoint. A new bot
 * gets its access token, returned once. Refuses an outgoing_url the outbound policy refuses and a
 * bot_config.in_process that names no registered bot (422).
 */
export class SaveAgentBotCommand extends Command<{ id: number; accessToken?: string }> {
  constructor(
    readonly accountId: number,
    readonly agentBotId: number | null,
    readonly fields: AgentBotFields,
  ) {
    super();
  }
}

/** Deletes a bot: its token stops working, its inboxes and conversations lose it. */
export class DeleteAgentBotCommand extends Command<void> {
  constructor(
    readonly accountId: number,
    readonly agentBotId: number,
  ) {
    super();
  }
}

/** A new access token for the bot; the previous one stops working at once. */
export class ResetAgentBotTokenCommand extends Command<{ accessToken: string }> {
  constructor(
    readonly accountId: number,
    readonly agentBotId: number,
  ) {
    super();
  }
}

/** Attaches an agent bot to an inbox (null detaches): the inbox's new conversations go to it first. */
export class SetInboxAgentBotCommand extends Command<void> {
  constructor(
    readonly accountId: number,
    readonly inboxId: number,
    readonly agentBotId: number | null,
  ) {
    super();
  }
}
