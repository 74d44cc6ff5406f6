import { Injectable, OnModuleInit } from '@nestjs/common';
import { AutomationRegistry } from '../automation/index.js';
import { AssignAgentBotCommand } from '../conversations/index.js';

const isId = (value: unknown) =>
  Number.isInteger(Number(value)) && Number(value) > 0 && Number(value) <= 2_147_483_647;

/**
 * Agent bots in automation rules, through the registry (the automation module does not know
 * bots): the action `assign_agent_bot` ([agent_bot_id]: the conversation becomes the bot's,
 * pending) and the condition attribute `assignee_agent_bot_id` (the bot it is assigned to, or
 * null: `is_present` tests "a bot is assigned").
 */
@Injectable()
export class BotAutomation implements OnModuleInit {
  constructor(private readonly registry: AutomationRegistry) {}

  onModuleInit(): void {
    this.registry.registerAction({
      name: 'assign_agent_bot',
      validate: (params) =>
        params.length === 1 && isId(params[0]) ? null : 'needs [agent_bot_id]',
      run: async ({ conversationId, ruleId, params, commands }) => {
        await commands.execute(
          new AssignAgentBotCommand(conversationId, Number(params[0]), {
            type: 'automation_rule',
            id: ruleId,
          }),
        );
      },
    });
    this.registry.registerAttribute({
      name: 'assignee_agent_bot_id',
      resolve: (state) => state.conversation.assignee_agent_bot_id ?? null,
    });
  }
}
