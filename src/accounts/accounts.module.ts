import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessGuard } from './access.guard.js';
import { AgentsController } from './agents.controller.js';
import { AuthController } from './auth.controller.js';
import { AccountStore } from './account.store.js';
import { AgentBotTokens } from './agent-bot-tokens.js';
import { AuthenticationService } from './authentication.service.js';
import { AcceptInvitationHandler } from './commands/accept-invitation.handler.js';
import { AddAgentHandler } from './commands/add-agent.handler.js';
import { ChangeTeamMembersHandler } from './commands/change-team-members.handler.js';
import { CreateAccessTokenHandler } from './commands/create-access-token.handler.js';
import { DeleteInvitationHandler } from './commands/delete-invitation.handler.js';
import { DeleteTeamHandler } from './commands/delete-team.handler.js';
import { RemoveAgentHandler } from './commands/remove-agent.handler.js';
import { RevokeAccessTokenHandler } from './commands/revoke-access-token.handler.js';
import { SaveTeamHandler } from './commands/save-team.handler.js';
import { SetupAccountHandler } from './commands/setup-account.handler.js';
import { SignInHandler } from './commands/sign-in.handler.js';
import { UpdateAgentHandler } from './commands/update-agent.handler.js';
import { UpdateProfileHandler } from './commands/update-profile.handler.js';
import { UpdateAccountHandler } from './commands/update-account.handler.js';
import {
  ReissuePasswordSetupHandler,
  SetPasswordWithTokenHandler,
} from './commands/password-setup.handlers.js';
import { AccountsController } from './accounts.controller.js';
import { AccessToken } from './entities/access-token.entity.js';
import { AccountInvitation } from './entities/account-invitation.entity.js';
import { AccountUser } from './entities/account-user.entity.js';
import { Account } from './entities/account.entity.js';
import { TeamMember } from './entities/team-member.entity.js';
import { Team } from './entities/team.entity.js';
import { User } from './entities/user.entity.js';
import { PasswordHasher } from './password-hasher.service.js';
import { ProfileController } from './profile.controller.js';
import { GetProfileHandler } from './queries/get-profile.handler.js';
import { GetAccountHandler } from './queries/get-account.handler.js';
import { ListAccessTokensHandler } from './queries/list-access-tokens.handler.js';
import { ListAgentsHandler } from './queries/list-agents.handler.js';
import { ListInvitationsHandler } from './queries/list-invitations.handler.js';
import { ListTeamsHandler } from './queries/list-teams.handler.js';
import { TeamsController } from './teams.controller.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      Account,
      User,
      AccountUser,
      AccountInvitation,
      AccessToken,
      Team,
      TeamMember,
    ]),
  ],
  controllers: [
    AuthController,
    ProfileController,
    AccountsController,
    AgentsController,
    TeamsController,
  ],
  providers: [
    AccountStore,
    AuthenticationService,
    AgentBotTokens,
    PasswordHasher,
    { provide: APP_GUARD, useClass: AccessGuard },
    SetupAccountHandler,
    SignInHandler,
    CreateAccessTokenHandler,
    RevokeAccessTokenHandler,
    UpdateProfileHandler,
    UpdateAccountHandler,
    SetPasswordWithTokenHandler,
    ReissuePasswordSetupHandler,
    AddAgentHandler,
    AcceptInvitationHandler,
    DeleteInvitationHandler,
    UpdateAgentHandler,
    RemoveAgentHandler,
    SaveTeamHandler,
    DeleteTeamHandler,
    ChangeTeamMembersHandler,
    GetProfileHandler,
    GetAccountHandler,
    ListAccessTokensHandler,
    ListAgentsHandler,
    ListInvitationsHandler,
    ListTeamsHandler,
  ],
  exports: [AgentBotTokens],
})
export class AccountsModule {}
