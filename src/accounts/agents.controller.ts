import { Body, Delete, Get, Param, Patch, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiProblems, ParseIdPipe } from '../common/index.js';
import { AccountScopedController } from './account-scoped.decorator.js';
import { actorOf } from './auth-context.js';
import type { AuthContext } from './auth-context.js';
import { AdministratorsOnly, CurrentAccount, CurrentAuth } from './auth.decorators.js';
import { AddAgentCommand } from './commands/add-agent.command.js';
import { RemoveAgentCommand } from './commands/remove-agent.command.js';
import { UpdateAgentCommand } from './commands/update-agent.command.js';
import { CreateAgentRequest, UpdateAgentRequest } from './dto/requests.js';
import { AgentResponse } from './dto/responses.js';
import { ListAgentsQuery } from './queries/list-agents.query.js';
import { AgentNotFoundError } from './accounts.errors.js';

@AccountScopedController('agents', 'Agents')
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
  @ApiOperation({
    summary: 'Add an agent',
    description:
      'Adds the user with this email to the account, creating the user (with `password`) when no user has the email yet.',
  })
  @ApiCreatedResponse({ type: AgentResponse })
  @ApiProblems(403, 409, 422)
  async create(
    @CurrentAccount() account: { id: number },
    @CurrentAuth() auth: AuthContext,
    @Body() body: CreateAgentRequest,
  ): Promise<AgentResponse> {
    const { userId } = await this.commands.execute(
      new AddAgentCommand(
        account.id,
        {
          name: body.name,
          email: body.email,
          role: body.role,
          availability: body.availability_status,
          autoOffline: body.auto_offline,
          password: body.password,
        },
        actorOf(auth),
      ),
    );
    return this.one(account.id, userId);
  }

  @Patch(':id')
  @AdministratorsOnly()
  @ApiOperation({
    summary: "Change an agent's role, availability or auto_offline (account-level fields)",
    description:
      "`name` is the user's own profile: it is changed here only for a user this account created who belongs to no other account; otherwise 403 agent_profile_not_editable (field: name). The user changes it with PATCH /api/v1/profile.",
  })
  @ApiOkResponse({ type: AgentResponse })
  @ApiProblems(400, 403, 409, 422)
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
          availability: body.availability_status,
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
  @ApiOkResponse({ description: 'Removed' })
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
}
