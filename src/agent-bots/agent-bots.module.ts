import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WebhooksModule } from '../webhooks/index.js';
import { AccountsModule } from '../accounts/index.js';
import { AgentBotsController } from './agent-bots.controller.js';
import { BotAutomation } from './bot-automation.js';
import { BotHandoffs, HandOffOnFailedDelivery } from './bot-handoffs.service.js';
import { BotTokenResolver } from './bot-token-resolver.js';
import {
  DeleteAgentBotHandler,
  ResetAgentBotTokenHandler,
  SaveAgentBotHandler,
  SetInboxAgentBotHandler,
} from './commands/agent-bot.handlers.js';
import { AgentBot } from './entities/agent-bot.entity.js';
import { InProcessBots } from './in-process-bots.js';
import {
  FindAgentBotHandler,
  GetAgentBotHandler,
  ListAgentBotsHandler,
} from './queries/agent-bot.handlers.js';

@Module({
  imports: [TypeOrmModule.forFeature([AgentBot]), AccountsModule, WebhooksModule],
  controllers: [AgentBotsController],
  providers: [
    BotTokenResolver,
    BotAutomation,
    BotHandoffs,
    HandOffOnFailedDelivery,
    InProcessBots,
    SaveAgentBotHandler,
    DeleteAgentBotHandler,
    ResetAgentBotTokenHandler,
    SetInboxAgentBotHandler,
    ListAgentBotsHandler,
    GetAgentBotHandler,
    FindAgentBotHandler,
  ],
  exports: [InProcessBots],
})
export class AgentBotsModule {}
