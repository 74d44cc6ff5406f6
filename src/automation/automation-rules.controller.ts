import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AccountScopedController, AdministratorsOnly, CurrentAccount } from '../accounts/index.js';
import { ApiEmptyResponse, ApiProblems, ParseIdPipe } from '../common/index.js';
import {
  DryRunAnswer,
  RuleAnswer,
  RuleListAnswer,
  RunsAnswer,
} from './dto/automation.responses.js';
import {
  CloneAutomationRuleCommand,
  DeleteAutomationRuleCommand,
  SaveAutomationRuleCommand,
} from './commands/automation-rules.commands.js';
import {
  CreateRuleRequest,
  DryRunRequest,
  RunsParams,
  UpdateRuleRequest,
} from './dto/automation.dto.js';
import {
  DryRunRuleQuery,
  ListRuleRunsQuery,
  ListRulesQuery,
} from './queries/automation.queries.js';

type Account = { id: number };

@AdministratorsOnly()
@AccountScopedController('automation_rules', 'Automation')
export class AutomationRulesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Automation rules' })
  @ApiOkResponse({ type: RuleListAnswer })
  @ApiProblems(403)
  async list(@CurrentAccount() account: Account) {
    return { payload: await this.queries.execute(new ListRulesQuery(account.id)) };
  }

  @Post()
  @ApiOperation({
    summary: 'Create a rule',
    description:
      "Events: conversation_created, conversation_updated, conversation_opened, conversation_resolved, message_created. Every unknown attribute, operator or action, and every bad action_params, is named in a 422; a send_webhook_event URL that reaches a private, loopback or link-local address is 422 webhook_url_not_allowed. Chatwoot's email, attachment and SLA actions (send_email_to_team, send_email_transcript, send_attachment, add_sla) are refused with the reason. Events caused by automation and activity messages never trigger rules.",
  })
  @ApiCreatedResponse({ type: RuleAnswer })
  @ApiProblems(403, 422)
  @ApiBody({
    type: CreateRuleRequest,
    examples: {
      refunds: {
        summary: 'Route refund requests to the billing team',
        value: {
          name: 'Refunds to billing',
          event_name: 'message_created',
          conditions: [
            { attribute_key: 'content', filter_operator: 'contains', values: ['refund'] },
          ],
          actions: [
            { action_name: 'assign_team', action_params: [1] },
            { action_name: 'add_label', action_params: ['billing'] },
          ],
        },
      },
      chatwoot: {
        summary: "A rule exported from Chatwoot: private_note, Chatwoot's placeholders",
        value: {
          name: 'Hand back to the team',
          description: 'Private notes mentioning escalate go back to the queue',
          event_name: 'message_created',
          active: true,
          conditions: [
            {
              attribute_key: 'private_note',
              filter_operator: 'equal_to',
              values: [true],
              query_operator: 'AND',
            },
            { attribute_key: 'content', filter_operator: 'contains', values: ['escalate'] },
          ],
          actions: [
            { action_name: 'assign_agent', action_params: ['nil'] },
            { action_name: 'change_priority', action_params: ['high'] },
            { action_name: 'pending_conversation', action_params: [] },
          ],
        },
      },
    },
  })
  async create(@CurrentAccount() account: Account, @Body() body: CreateRuleRequest) {
    const { id } = await this.commands.execute(
      new SaveAutomationRuleCommand(account.id, null, body),
    );
    return this.one(account.id, id);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One rule' })
  @ApiOkResponse({ type: RuleAnswer })
  @ApiProblems(400, 403)
  show(@CurrentAccount() account: Account, @Param('id', ParseIdPipe) id: number) {
    return this.one(account.id, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Update a rule (validated like a new one)' })
  @ApiOkResponse({ type: RuleAnswer })
  @ApiProblems(400, 403, 422)
  @ApiBody({
    type: UpdateRuleRequest,
    examples: { pause: { summary: 'Pause it', value: { active: false } } },
  })
  async update(
    @CurrentAccount() account: Account,
    @Param('id', ParseIdPipe) id: number,
    @Body() body: UpdateRuleRequest,
  ) {
    await this.commands.execute(new SaveAutomationRuleCommand(account.id, id, body));
    return this.one(account.id, id);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a rule and its run log' })
  @ApiEmptyResponse('Deleted')
  @ApiProblems(400, 403)
  async remove(
    @CurrentAccount() account: Account,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<void> {
    await this.commands.execute(new DeleteAutomationRuleCommand(account.id, id));
  }

  @Post(':id/clone')
  @ApiOperation({ summary: 'Copy a rule' })
  @ApiCreatedResponse({ type: RuleAnswer })
  @ApiProblems(400, 403)
  async clone(@CurrentAccount() account: Account, @Param('id', ParseIdPipe) id: number) {
    const { id: copy } = await this.commands.execute(
      new CloneAutomationRuleCommand(account.id, id),
    );
    return this.one(account.id, copy);
  }

  @Get(':id/runs')
  @ApiOperation({
    summary:
      'The run log, newest first: when, which event, matched or not and why, actions done, errors',
  })
  @ApiOkResponse({ type: RunsAnswer })
  @ApiProblems(400, 403, 422)
  runs(
    @CurrentAccount() account: Account,
    @Param('id', ParseIdPipe) id: number,
    @Query() query: RunsParams,
  ) {
    return this.queries.execute(
      new ListRuleRunsQuery(account.id, id, query.before, query.limit ?? 50),
    );
  }

  @Post(':id/dry_run')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Would the rule match this conversation now, and what would it do? Changes nothing.',
  })
  @ApiOkResponse({ type: DryRunAnswer })
  @ApiProblems(400, 403, 422)
  @ApiBody({
    type: DryRunRequest,
    examples: { one: { summary: 'Against conversation 12', value: { conversation_id: 12 } } },
  })
  dryRun(
    @CurrentAccount() account: Account,
    @Param('id', ParseIdPipe) id: number,
    @Body() body: DryRunRequest,
  ) {
    return this.queries.execute(new DryRunRuleQuery(account.id, id, body.conversation_id));
  }

  private async one(accountId: number, id: number) {
    const [rule] = await this.queries.execute(new ListRulesQuery(accountId, id));
    return { payload: rule };
  }
}
