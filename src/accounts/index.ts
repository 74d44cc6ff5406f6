// The accounts module's public surface: what other modules may use.
export { AccountsModule } from './accounts.module.js';
export { AccountScopedController, ApiAuthenticated } from './account-scoped.decorator.js';
export { credentialOf } from './access.guard.js';
export { actorOf, senderOf, viewerOf } from './auth-context.js';
export type { AgentBotCaller, AuthContext } from './auth-context.js';
export { AGENT_BOT_TOKEN_PREFIX, AgentBotTokens, issueAgentBotToken } from './agent-bot-tokens.js';
export type { AgentBotTokenResolver } from './agent-bot-tokens.js';
export {
  AdministratorsOnly,
  AgentBotsAllowed,
  CurrentAccount,
  CurrentAuth,
  Public,
  REQUIRED_ROLE,
  RequireRole,
} from './auth.decorators.js';
export { AVAILABILITIES, ROLES } from './entities/account-user.entity.js';
export type { Availability, Role } from './entities/account-user.entity.js';
export { AgentResponse, ProfileResponse, TeamResponse } from './dto/responses.js';
export { SetupAccountCommand } from './commands/setup-account.command.js';
export type { SetupAccountResult } from './commands/setup-account.command.js';
export { AddAgentCommand } from './commands/add-agent.command.js';
export { UpdateAgentCommand } from './commands/update-agent.command.js';
export { ListAgentsQuery } from './queries/list-agents.query.js';
export { ListTeamsQuery } from './queries/list-teams.query.js';
export { AgentAddedEvent } from './events/agent-added.event.js';
export { AgentRemovedEvent } from './events/agent-removed.event.js';
export { AgentAvailabilityChangedEvent } from './events/agent-availability-changed.event.js';
// SQL for other modules' statements that read this module's tables (one statement, one owner).
export { AccountSql } from './account-sql.js';
