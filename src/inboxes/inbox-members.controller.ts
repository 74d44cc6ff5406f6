import { Body, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiOkResponse, ApiOperation, ApiProperty } from '@nestjs/swagger';
import {
  AccountScopedController,
  AdministratorsOnly,
  AgentResponse,
  CurrentAccount,
  CurrentAuth,
  ListAgentsQuery,
} from '../accounts/index.js';
import type { AuthContext, Role } from '../accounts/index.js';
import { ApiProblems, ParseIdPipe } from '../common/index.js';
import {
  ChangeInboxMembersCommand,
  InboxMembersChange,
} from './commands/change-inbox-members.command.js';
import { InboxMembersRequest, ReplaceInboxMembersRequest } from './dto/inbox.requests.js';
import { ListInboxMembersQuery } from './queries/list-inbox-members.query.js';
import { ListInboxesQuery } from './queries/list-inboxes.query.js';

class InboxMembersResponse {
  @ApiProperty({ type: [AgentResponse] }) payload: AgentResponse[];
}

@AccountScopedController('inbox_members', 'Inboxes')
export class InboxMembersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get(':inbox_id')
  @ApiOperation({ summary: "An inbox's agents" })
  @ApiOkResponse({ type: InboxMembersResponse })
  @ApiProblems(400)
  async list(
    @CurrentAccount() account: { id: number; role: Role },
    @CurrentAuth() auth: AuthContext,
    @Param('inbox_id', ParseIdPipe) inboxId: number,
  ): Promise<{ payload: AgentResponse[] }> {
    // Agents may only look at inboxes they belong to.
    await this.queries.execute(
      new ListInboxesQuery(account.id, { userId: auth.userId, role: account.role }, inboxId),
    );
    return this.members(account.id, inboxId);
  }

  @Post()
  @HttpCode(200)
  @AdministratorsOnly()
  @ApiOperation({ summary: 'Add agents to an inbox; answers with all its agents' })
  @ApiOkResponse({ type: InboxMembersResponse })
  @ApiProblems(403, 422)
  @ApiBody({
    type: InboxMembersRequest,
    examples: { two: { summary: 'Add two agents', value: { inbox_id: 1, user_ids: [2, 3] } } },
  })
  add(@CurrentAccount() account: { id: number }, @Body() body: InboxMembersRequest) {
    return this.change(account.id, body, 'add');
  }

  @Patch()
  @AdministratorsOnly()
  @ApiOperation({ summary: "Replace an inbox's agents with exactly these" })
  @ApiOkResponse({ type: InboxMembersResponse })
  @ApiProblems(403, 422)
  @ApiBody({
    type: ReplaceInboxMembersRequest,
    examples: { set: { summary: 'Exactly these agents', value: { inbox_id: 1, user_ids: [2] } } },
  })
  replace(@CurrentAccount() account: { id: number }, @Body() body: ReplaceInboxMembersRequest) {
    return this.change(account.id, body, 'replace');
  }

  @Delete()
  @AdministratorsOnly()
  @ApiOperation({ summary: 'Remove agents from an inbox' })
  @ApiOkResponse({ type: InboxMembersResponse })
  @ApiProblems(403, 422)
  @ApiBody({
    type: InboxMembersRequest,
    examples: { one: { summary: 'Remove an agent', value: { inbox_id: 1, user_ids: [3] } } },
  })
  remove(@CurrentAccount() account: { id: number }, @Body() body: InboxMembersRequest) {
    return this.change(account.id, body, 'remove');
  }

  private async change(accountId: number, body: InboxMembersRequest, change: InboxMembersChange) {
    await this.commands.execute(
      new ChangeInboxMembersCommand(accountId, body.inbox_id, change, body.user_ids),
    );
    return this.members(accountId, body.inbox_id);
  }

  private async members(accountId: number, inboxId: number): Promise<{ payload: AgentResponse[] }> {
    const userIds = await this.queries.execute(new ListInboxMembersQuery(accountId, inboxId));
    return { payload: await this.queries.execute(new ListAgentsQuery(accountId, { userIds })) };
  }
}
