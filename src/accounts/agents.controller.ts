import { Body, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  getSchemaPath,
} from '@nestjs/swagger';
import { ApiEmptyResponse, ApiProblems, BodyWrapper, ParseIdPipe } from '../common/index.js';
import { AccountScopedController } from './account-scoped.decorator.js';
import { actorOf } from './auth-context.js';
import type { AuthContext } from './auth-context.js';
import { AdministratorsOnly, CurrentAccount, CurrentAuth } from './auth.decorators.js';
import { AddAgentCommand } from './commands/add-agent.command.js';
import { DeleteInvitationCommand } from './commands/delete-invitation.command.js';
import { ReissuePasswordSetupCommand } from './commands/password-setup.commands.js';
import { RemoveAgentCommand } from './commands/remove-agent.command.js';
import { UpdateAgentCommand } from './commands/update-agent.command.js';
import { CreateAgentRequest, UpdateAgentRequest } from './dto/requests.js';
import { AgentInvitationResponse, AgentResponse, InvitedAgentResponse } from './dto/responses.js';
import { ListAgentsQuery } from './queries/list-agents.query.js';
import { ListInvitationsQuery } from './queries/list-invitations.query.js';
import type { InvitationRow } from './queries/list-invitations.query.js';
import { AgentNotFoundError, InvitationNotFoundError } from './accounts.errors.js';

@AccountScopedController('agents', 'Agents')
@ApiExtraModels(AgentResponse, InvitedAgentResponse, AgentInvitationResponse)
export class AgentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: "The account's agents (any member may list them, to assign work)" })
  @ApiOkResponse({ type: [AgentResponse] })
  list(@CurrentAccount() account: { id: number }): Promise<AgentResponse[]> {
    return this.queries.execute(new ListAgentsQuery(account.id));
  }

  @Post()
  @AdministratorsOnly()
  @BodyWrapper('agent')
  @ApiOperation({
    summary: 'Add an agent, or invite an existing user',
    description:
      'No user has the email: the user is created and is an agent at once. With `password` they sign in with it (the agent, `confirmed: true`); without one, as Chatwoot invites agents, they are `confirmed: false` and the answer carries `reset_password_token`, a one-time token (shown only here, stored hashed, valid PASSWORD_SETUP_TTL_HOURS) with which they set their password at PUT /auth/password; POST …/agents/{id}/password_setup issues a new one. ' +
      'A user has it: they are invited (the invitation, `status: pending`, `confirmed: false`, showing only what you sent, never their profile) and become an agent when they accept it (POST /api/v1/profile/invitations/{id}/accept); until then they have no access and are not listed.',
  })
  @ApiCreatedResponse({
    description:
      'AgentResponse for a new user with a password; InvitedAgentResponse for a new user without one; AgentInvitationResponse for an existing user',
    schema: {
      oneOf: [
        { $ref: getSchemaPath(AgentResponse) },
        { $ref: getSchemaPath(InvitedAgentResponse) },
        { $ref: getSchemaPath(AgentInvitationResponse) },
      ],
    },
  })
  @ApiProblems(403, 409, 422)
  @ApiBody({
    type: CreateAgentRequest,
    examples: {
      agent: {
        summary: 'An agent who signs in with a password',
        value: {
          name: 'Grace Agent',
          email: 'grace@example.com',
          role: 'agent',
          password: 'correct horse battery',
        },
      },
      invite: {
        summary: 'An agent who sets their own password (Chatwoot-style invitation)',
        value: { name: 'Alan Agent', email: 'alan@example.com', role: 'agent' },
      },
    },
  })
  async create(
    @CurrentAccount() account: { id: number },
    @CurrentAuth() auth: AuthContext,
    @Body() body: CreateAgentRequest,
  ): Promise<AgentResponse | InvitedAgentResponse | AgentInvitationResponse> {
    const { userId, invitationId, passwordSetup } = await this.commands.execute(
      new AddAgentCommand(
        account.id,
        {
          name: body.name,
          email: body.email,
          role: body.role,
          availability: body.availability ?? body.availability_status,
          autoOffline: body.auto_offline,
          password: body.password,
        },
        actorOf(auth),
      ),
    );
    if (invitationId !== null) return this.invitation(account.id, invitationId);
    const agent = await this.one(account.id, userId);
    return passwordSetup ? withPasswordSetup(agent, passwordSetup) : agent;
  }

  @Post(':id/password_setup')
  @AdministratorsOnly()
  @ApiOperation({
    summary: 'A new one-time password token for an agent added without a password',
    description:
      'For an agent this account added without a password who has not set one yet: issues a new `reset_password_token` (shown only here) and the previous one stops working. Otherwise 409 password_already_set.',
  })
  @ApiCreatedResponse({ type: InvitedAgentResponse })
  @ApiProblems(400, 403, 409)
  async reissuePasswordSetup(
    @CurrentAccount() account: { id: number },
    @Param('id', ParseIdPipe) id: number,
  ): Promise<InvitedAgentResponse> {
    const setup = await this.commands.execute(new ReissuePasswordSetupCommand(account.id, id));
    return withPasswordSetup(await this.one(account.id, id), setup);
  }

  @Get('invitations')
  @AdministratorsOnly()
  @ApiOperation({ summary: 'Pending invitations of existing users to this account' })
  @ApiOkResponse({ type: [AgentInvitationResponse] })
  @ApiProblems(403)
  async invitations(@CurrentAccount() account: { id: number }): Promise<AgentInvitationResponse[]> {
    const rows = await this.queries.execute(new ListInvitationsQuery({ accountId: account.id }));
    return rows.map(toInvitationResponse);
  }

  @Delete('invitations/:invitation_id')
  @AdministratorsOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a pending invitation' })
  @ApiNoContentResponse()
  @ApiProblems(400, 403)
  async revokeInvitation(
    @CurrentAccount() account: { id: number },
    @Param('invitation_id', ParseIdPipe) id: number,
  ): Promise<void> {
    await this.commands.execute(new DeleteInvitationCommand({ accountId: account.id }, id));
  }

  @Patch(':id')
  @AdministratorsOnly()
  @BodyWrapper('agent')
  @ApiOperation({
    summary: "Change an agent's role, availability or auto_offline (account-level fields)",
    description:
      "`name` is the user's own profile: it is changed here only for a user this account created who belongs to no other account; otherwise 403 agent_profile_not_editable (field: name). The user changes it with PATCH /api/v1/profile.",
  })
  @ApiOkResponse({ type: AgentResponse })
  @ApiProblems(400, 403, 409, 422)
  @ApiBody({
    type: UpdateAgentRequest,
    examples: {
      promote: { summary: 'Make them an administrator', value: { role: 'administrator' } },
      busy: { summary: 'Set them busy', value: { availability_status: 'busy' } },
      chatwoot: {
        summary: 'As Chatwoot clients send it',
        value: { role: 'agent', availability: 'online', auto_offline: false },
      },
    },
  })
  async update(
    @CurrentAccount() account: { id: number },
    @CurrentAuth() auth: AuthContext,
    @Param('id', ParseIdPipe) id: number,
    @Body() body: UpdateAgentRequest,
  ): Promise<AgentResponse> {
    await this.commands.execute(
      new UpdateAgentCommand(
        account.id,
        id,
        {
          name: body.name,
          role: body.role,
          availability: body.availability ?? body.availability_status,
          autoOffline: body.auto_offline,
        },
        actorOf(auth),
      ),
    );
    return this.one(account.id, id);
  }

  @Delete(':id')
  @AdministratorsOnly()
  @ApiOperation({
    summary: 'Remove an agent from the account (the last administrator cannot be removed)',
  })
  @ApiEmptyResponse('Removed')
  @ApiProblems(400, 403, 409)
  async remove(
    @CurrentAccount() account: { id: number },
    @CurrentAuth() auth: AuthContext,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<void> {
    await this.commands.execute(new RemoveAgentCommand(account.id, id, actorOf(auth)));
  }

  private async one(accountId: number, userId: number): Promise<AgentResponse> {
    const [agent] = await this.queries.execute(
      new ListAgentsQuery(accountId, { userIds: [userId] }),
    );
    if (!agent) throw new AgentNotFoundError(userId);
    return agent;
  }

  private async invitation(accountId: number, id: number): Promise<AgentInvitationResponse> {
    const [row] = await this.queries.execute(new ListInvitationsQuery({ accountId }, id));
    if (!row) throw new InvitationNotFoundError(id);
    return toInvitationResponse(row);
  }
}

function withPasswordSetup(
  agent: AgentResponse,
  setup: { token: string; expiresAt: Date },
): InvitedAgentResponse {
  return {
    ...agent,
    reset_password_token: setup.token,
    reset_password_token_expires_at: setup.expiresAt,
  };
}

function toInvitationResponse(row: InvitationRow): AgentInvitationResponse {
  return {
    id: row.id,
    account_id: row.account_id,
    email: row.email,
    role: row.role,
    availability_status: row.availability,
    auto_offline: row.auto_offline,
    status: 'pending',
    confirmed: false,
    created_at: row.created_at,
  };
}
