// The agent bots module's public surface.
export { AgentBotsModule } from './agent-bots.module.js';
// The extension point for bots implemented in code (docs/extending.md).
export { InProcessBots } from './in-process-bots.js';
export type { BotContext, InProcessBot } from './in-process-bots.js';
export { AgentBotResponse } from './dto/agent-bot.responses.js';
