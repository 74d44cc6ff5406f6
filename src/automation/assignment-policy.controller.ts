import { Body, Get, Param, Patch } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import {
  AccountScopedController,
  AdministratorsOnly,
  CurrentAccount,
  CurrentAuth,
} from '../accounts/index.js';
import type { AuthContext } from '../accounts/index.js';
import { ApiProblems, ParseIdPipe } from '../common/index.js';
import { SaveAssignmentPolicyCommand } from './commands/automation-rules.commands.js';
import { PolicyRequest } from './dto/automation.dto.js';
import { PolicyResponse } from './dto/automation.responses.js';
import { GetAssignmentPolicyQuery } from './queries/automation.queries.js';

@AdministratorsOnly()
@AccountScopedController('inboxes/:id/assignment_policy', 'Automation')
export class AssignmentPolicyController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: "The inbox's auto-assignment policy" })
  @ApiOkResponse({ type: PolicyResponse })
  @ApiProblems(400, 403)
  show(@CurrentAccount() account: { id: number }, @Param('id', ParseIdPipe) id: number) {
    return this.queries.execute(new GetAssignmentPolicyQuery(account.id, id));
  }

  @Patch()
  @ApiOperation({
    summary: 'Change the policy',
    description:
      'round_robin rotates through eligible agents; balanced picks the fewest open conversations. Eligible: inbox members who are online (or all, with include_offline_agents) and below capacity; a conversation of a team that auto-assigns goes to one of its members.',
  })
  @ApiOkResponse({ type: PolicyResponse })
  @ApiProblems(400, 403, 422)
  @ApiBody({
    type: PolicyRequest,
    examples: {
      balanced: {
        summary: 'Balanced, at most 5 open conversations per agent here',
        value: { enable_auto_assignment: true, strategy: 'balanced', capacity_in_inbox: 5 },
      },
    },
  })
  async update(
    @CurrentAccount() account: { id: number },
    @CurrentAuth() auth: AuthContext,
    @Param('id', ParseIdPipe) id: number,
    @Body() body: PolicyRequest,
  ) {
    await this.commands.execute(
      new SaveAssignmentPolicyCommand(
        account.id,
        id,
        {
          enableAutoAssignment: body.enable_auto_assignment,
          strategy: body.strategy,
          capacityInInbox: body.capacity_in_inbox,
          capacityOverall: body.capacity_overall,
          includeOfflineAgents: body.include_offline_agents,
          keepAssigneeOnReopen: body.keep_assignee_on_reopen,
        },
        { type: 'user', id: auth.userId },
      ),
    );
    return this.queries.execute(new GetAssignmentPolicyQuery(account.id, id));
  }
}
