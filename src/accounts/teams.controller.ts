import { Body, Delete, Get, Param, Patch, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiEmptyResponse, ApiProblems, BodyWrapper, ParseIdPipe } from '../common/index.js';
import { AccountScopedController } from './account-scoped.decorator.js';
import type { AuthContext } from './auth-context.js';
import { AdministratorsOnly, CurrentAccount, CurrentAuth } from './auth.decorators.js';
import {
  ChangeTeamMembersCommand,
  TeamMembersChange,
} from './commands/change-team-members.command.js';
import { DeleteTeamCommand } from './commands/delete-team.command.js';
import { SaveTeamCommand } from './commands/save-team.command.js';
import { CreateTeamRequest, TeamMembersRequest, UpdateTeamRequest } from './dto/requests.js';
import { AgentResponse, TeamResponse } from './dto/responses.js';
import { ListAgentsQuery } from './queries/list-agents.query.js';
import { ListTeamsQuery } from './queries/list-teams.query.js';

@AccountScopedController('teams', 'Teams')
export class TeamsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: "The account's teams" })
  @ApiOkResponse({ type: [TeamResponse] })
  list(
    @CurrentAccount() account: { id: number },
    @CurrentAuth() auth: AuthContext,
  ): Promise<TeamResponse[]> {
    return this.queries.execute(new ListTeamsQuery(account.id, auth.userId));
  }

  @Post()
  @BodyWrapper('team')
  @AdministratorsOnly()
  @ApiOperation({ summary: 'Create a team (names are unique per account, ignoring case)' })
  @ApiCreatedResponse({ type: TeamResponse })
  @ApiProblems(403, 409, 422)
  @ApiBody({
    type: CreateTeamRequest,
    examples: {
      billing: {
        summary: 'A team',
        value: { name: 'Billing', description: 'Refunds and invoices', allow_auto_assign: true },
      },
    },
  })
  async create(
    @CurrentAccount() account: { id: number },
    @CurrentAuth() auth: AuthContext,
    @Body() body: CreateTeamRequest,
  ): Promise<TeamResponse> {
    const { id } = await this.commands.execute(
      new SaveTeamCommand(account.id, null, {
        name: body.name,
        description: body.description ?? null,
        allowAutoAssign: body.allow_auto_assign,
      }),
    );
    return this.one(account.id, auth.userId, id);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One team' })
  @ApiOkResponse({ type: TeamResponse })
  @ApiProblems(400)
  show(
    @CurrentAccount() account: { id: number },
    @CurrentAuth() auth: AuthContext,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<TeamResponse> {
    return this.one(account.id, auth.userId, id);
  }

  @Patch(':id')
  @BodyWrapper('team')
  @AdministratorsOnly()
  @ApiOperation({ summary: 'Update a team' })
  @ApiOkResponse({ type: TeamResponse })
  @ApiProblems(400, 403, 409, 422)
  @ApiBody({
    type: UpdateTeamRequest,
    examples: { rename: { summary: 'Rename it', value: { name: 'Billing & refunds' } } },
  })
  async update(
    @CurrentAccount() account: { id: number },
    @CurrentAuth() auth: AuthContext,
    @Param('id', ParseIdPipe) id: number,
    @Body() body: UpdateTeamRequest,
  ): Promise<TeamResponse> {
    await this.commands.execute(
      new SaveTeamCommand(account.id, id, {
        name: body.name,
        description: body.description,
        allowAutoAssign: body.allow_auto_assign,
      }),
    );
    return this.one(account.id, auth.userId, id);
  }

  @Delete(':id')
  @AdministratorsOnly()
  @ApiOperation({ summary: 'Delete a team (its members stay agents of the account)' })
  @ApiEmptyResponse('Deleted')
  @ApiProblems(400, 403)
  async remove(
    @CurrentAccount() account: { id: number },
    @Param('id', ParseIdPipe) id: number,
  ): Promise<void> {
    await this.commands.execute(new DeleteTeamCommand(account.id, id));
  }

  @Get(':id/team_members')
  @ApiOperation({ summary: "The team's members" })
  @ApiOkResponse({ type: [AgentResponse] })
  @ApiProblems(400)
  members(
    @CurrentAccount() account: { id: number },
    @Param('id', ParseIdPipe) id: number,
  ): Promise<AgentResponse[]> {
    return this.queries.execute(new ListAgentsQuery(account.id, { teamId: id }));
  }

  @Post(':id/team_members')
  @AdministratorsOnly()
  @ApiOperation({ summary: 'Add members; answers with the agents just added' })
  @ApiCreatedResponse({ type: [AgentResponse] })
  @ApiProblems(400, 403, 422)
  @ApiBody({
    type: TeamMembersRequest,
    examples: { two: { summary: 'Add two agents', value: { user_ids: [2, 3] } } },
  })
  addMembers(
    @CurrentAccount() account: { id: number },
    @Param('id', ParseIdPipe) id: number,
    @Body() body: TeamMembersRequest,
  ): Promise<AgentResponse[]> {
    return this.changeMembers(account.id, id, 'add', body.user_ids);
  }

  @Patch(':id/team_members')
  @AdministratorsOnly()
  @ApiOperation({ summary: 'Replace the members with exactly these agents' })
  @ApiOkResponse({ type: [AgentResponse] })
  @ApiProblems(400, 403, 422)
  @ApiBody({
    type: TeamMembersRequest,
    examples: { set: { summary: 'Exactly these agents', value: { user_ids: [2] } } },
  })
  replaceMembers(
    @CurrentAccount() account: { id: number },
    @Param('id', ParseIdPipe) id: number,
    @Body() body: TeamMembersRequest,
  ): Promise<AgentResponse[]> {
    return this.changeMembers(account.id, id, 'replace', body.user_ids);
  }

  @Delete(':id/team_members')
  @AdministratorsOnly()
  @ApiOperation({ summary: 'Remove these members from the team' })
  @ApiEmptyResponse('Removed')
  @ApiProblems(400, 403, 422)
  @ApiBody({
    type: TeamMembersRequest,
    examples: { one: { summary: 'Remove an agent', value: { user_ids: [3] } } },
  })
  async removeMembers(
    @CurrentAccount() account: { id: number },
    @Param('id', ParseIdPipe) id: number,
    @Body() body: TeamMembersRequest,
  ): Promise<void> {
    await this.commands.execute(
      new ChangeTeamMembersCommand(account.id, id, 'remove', body.user_ids),
    );
  }

  private async changeMembers(
    accountId: number,
    teamId: number,
    change: TeamMembersChange,
    userIds: number[],
  ) {
    const result = await this.commands.execute(
      new ChangeTeamMembersCommand(accountId, teamId, change, userIds),
    );
    return this.queries.execute(new ListAgentsQuery(accountId, { userIds: result.userIds }));
  }

  private async one(accountId: number, viewerId: number, teamId: number): Promise<TeamResponse> {
    const [team] = await this.queries.execute(new ListTeamsQuery(accountId, viewerId, teamId));
    return team;
  }
}
