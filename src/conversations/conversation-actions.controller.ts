import { Body, Get, HttpCode, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBody,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  getSchemaPath,
} from '@nestjs/swagger';
import {
  AccountScopedController,
  actorOf,
  AgentBotsAllowed,
  CurrentAccount,
  CurrentAuth,
  ListAgentsQuery,
  ListTeamsQuery,
  TeamResponse,
} from '../accounts/index.js';
import type { AuthContext, Role } from '../accounts/index.js';
import { AgentResponse } from '../accounts/index.js';
import { ApiDoneResponse, ApiProblems } from '../common/index.js';
import { AssignAgentBotCommand } from './commands/assign-agent-bot.command.js';
import { AssignConversationCommand } from './commands/assign-conversation.command.js';
import { ToggleStatusCommand } from './commands/toggle-status.command.js';
import { ToggleTypingCommand } from './commands/toggle-typing.command.js';
import { UpdateConversationCommand } from './commands/update-conversation.command.js';
import { UpdateLastSeenCommand } from './commands/update-last-seen.command.js';
import { ConversationParam } from './conversation-param.js';
import { InvalidAssignmentError } from './conversations.errors.js';
import type { ConversationRef } from './dto/conversation-ref.js';
import {
  AssignmentRequest,
  CustomAttributesRequest,
  LabelsRequest,
  TogglePriorityRequest,
  ToggleStatusRequest,
  TypingRequest,
} from './dto/conversation.requests.js';
import {
  AssignedAgentBotDto,
  CustomAttributesAnswerDto,
  LabelsAnswerDto,
  ToggleStatusAnswerDto,
} from './dto/conversation.responses.js';
import { GetConversationQuery } from './queries/get-conversation.query.js';

type Account = { id: number; role: Role };

@AccountScopedController('conversations/:id', 'Conversations')
export class ConversationActionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('toggle_status')
  @AgentBotsAllowed()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Set the status (open, resolved, pending, snoozed with snoozed_until); without one, open ↔ resolved',
  })
  @ApiOkResponse({ type: ToggleStatusAnswerDto })
  @ApiBody({
    type: ToggleStatusRequest,
    examples: {
      resolve: { summary: 'Resolve', value: { status: 'resolved' } },
      snooze: {
        summary: 'Snooze until a time',
        value: { status: 'snoozed', snoozed_until: '2030-01-01T09:00:00Z' },
      },
      toggle: { summary: 'Open ↔ resolved', value: {} },
    },
  })
  @ApiProblems(400, 422)
  async toggleStatus(
    @CurrentAuth() auth: AuthContext,
    @ConversationParam() conversation: ConversationRef,
    @Body() body: ToggleStatusRequest,
  ) {
    const result = await this.commands.execute(
      new ToggleStatusCommand(
        conversation.id,
        body.status,
        body.snoozed_until ?? null,
        actorOf(auth),
      ),
    );
    return {
      meta: {},
      payload: {
        success: true,
        conversation_id: conversation.displayId,
        current_status: result.status,
        snoozed_until: result.snoozedUntil?.toISOString() ?? null,
      },
    };
  }

  @Post('toggle_priority')
  @AgentBotsAllowed()
  @HttpCode(200)
  @ApiOperation({ summary: 'Set the priority (urgent, high, medium, low; null or "none" clears)' })
  @ApiDoneResponse()
  @ApiBody({
    type: TogglePriorityRequest,
    examples: {
      urgent: { summary: 'Urgent', value: { priority: 'urgent' } },
      clear: { summary: 'Clear it', value: { priority: null } },
    },
  })
  @ApiProblems(400, 422)
  async togglePriority(
    @CurrentAuth() auth: AuthContext,
    @ConversationParam() conversation: ConversationRef,
    @Body() body: TogglePriorityRequest,
  ) {
    const priority = body.priority === 'none' ? null : body.priority;
    await this.commands.execute(
      new UpdateConversationCommand(conversation.id, { priority }, actorOf(auth)),
    );
    return {};
  }

  @Post('custom_attributes')
  @AgentBotsAllowed()
  @HttpCode(200)
  @ApiOperation({ summary: 'Replace the custom attributes' })
  @ApiOkResponse({ type: CustomAttributesAnswerDto })
  @ApiBody({
    type: CustomAttributesRequest,
    examples: {
      order: { summary: 'Replace them', value: { custom_attributes: { order_id: 'A-1042' } } },
    },
  })
  @ApiProblems(400, 422)
  async customAttributes(
    @CurrentAuth() auth: AuthContext,
    @ConversationParam() conversation: ConversationRef,
    @Body() body: CustomAttributesRequest,
  ) {
    await this.commands.execute(
      new UpdateConversationCommand(
        conversation.id,
        { customAttributes: body.custom_attributes },
        actorOf(auth),
      ),
    );
    // As stored: values under defined keys come back typed (a number sent as "42" is 42).
    const { custom_attributes } = await this.queries.execute(
      new GetConversationQuery(conversation.id),
    );
    return { custom_attributes };
  }

  @Post('update_last_seen')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark the conversation seen by you (agent_last_seen_at)' })
  @ApiDoneResponse()
  @ApiProblems(400)
  async updateLastSeen(
    @CurrentAuth() auth: AuthContext,
    @ConversationParam() conversation: ConversationRef,
  ) {
    await this.commands.execute(new UpdateLastSeenCommand(conversation.id, actorOf(auth)));
    return {};
  }

  @Post('toggle_typing_status')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Tell the contact an agent is typing (conversation_typing_on / _off events)',
  })
  @ApiDoneResponse()
  @ApiBody({
    type: TypingRequest,
    examples: {
      on: { summary: 'Typing', value: { typing_status: 'on' } },
      off: { summary: 'Stopped', value: { typing_status: 'off' } },
    },
  })
  @ApiProblems(400, 422)
  async toggleTyping(
    @CurrentAuth() auth: AuthContext,
    @ConversationParam() conversation: ConversationRef,
    @Body() body: TypingRequest,
  ) {
    await this.commands.execute(
      new ToggleTypingCommand(
        conversation.id,
        body.typing_status,
        body.is_private ?? false,
        actorOf(auth),
      ),
    );
    return {};
  }

  @Post('assignments')
  @AgentBotsAllowed()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Assign to an agent (assignee_id) or a team (team_id); null unassigns',
    description:
      'Answers with the assigned agent (or agent bot, with assignee_type "AgentBot"), or the team when only team_id was given, or null. Assigning an agent bot makes the conversation pending: the bot handles it until it is opened (handed off).',
  })
  @ApiExtraModels(AgentResponse, TeamResponse, AssignedAgentBotDto)
  @ApiOkResponse({
    description:
      'The assigned agent or agent bot, or the team when only team_id was given, or null',
    schema: {
      oneOf: [
        { $ref: getSchemaPath(AgentResponse) },
        { $ref: getSchemaPath(AssignedAgentBotDto) },
        { $ref: getSchemaPath(TeamResponse) },
        { type: 'null' },
      ],
    },
  })
  @ApiBody({
    type: AssignmentRequest,
    examples: {
      agent: { summary: 'To an agent', value: { assignee_id: 2 } },
      team: { summary: 'To a team', value: { team_id: 1 } },
      unassign: { summary: 'Unassign', value: { assignee_id: null } },
      agentBot: {
        summary: 'To an agent bot',
        value: { assignee_id: 1, assignee_type: 'AgentBot' },
      },
    },
  })
  @ApiProblems(400, 422)
  async assign(
    @CurrentAccount() account: Account,
    @CurrentAuth() auth: AuthContext,
    @ConversationParam() conversation: ConversationRef,
    @Body() body: AssignmentRequest,
  ) {
    if (body.assignee_type === 'AgentBot') {
      if (!body.assignee_id)
        throw new InvalidAssignmentError(
          'assignee_type "AgentBot" needs assignee_id: the id of an agent bot of this account.',
        );
      const bot = await this.commands.execute(
        new AssignAgentBotCommand(conversation.id, body.assignee_id, actorOf(auth)),
      );
      return { ...bot, assignee_type: 'AgentBot' };
    }
    // Chatwoot: with assignee_id present, team_id is ignored.
    const teamId = body.assignee_id !== undefined ? undefined : body.team_id;
    await this.commands.execute(
      new AssignConversationCommand(conversation.id, body.assignee_id, teamId, actorOf(auth)),
    );
    if (body.assignee_id) {
      const [agent] = await this.queries.execute(
        new ListAgentsQuery(account.id, { userIds: [body.assignee_id] }),
      );
      return agent ?? null;
    }
    if (teamId) {
      const [team] = await this.queries.execute(
        new ListTeamsQuery(account.id, auth.userId, teamId),
      );
      return team;
    }
    return null;
  }

  @Get('labels')
  @ApiOperation({ summary: "The conversation's labels" })
  @ApiOkResponse({ type: LabelsAnswerDto })
  @ApiProblems(400)
  async labels(@ConversationParam() conversation: ConversationRef) {
    const view = await this.queries.execute(new GetConversationQuery(conversation.id));
    return { payload: view.labels };
  }

  @Post('labels')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replace the labels' })
  @ApiOkResponse({ type: LabelsAnswerDto })
  @ApiBody({
    type: LabelsRequest,
    examples: { two: { summary: 'Two labels', value: { labels: ['billing', 'vip'] } } },
  })
  @ApiProblems(400, 422)
  async setLabels(
    @CurrentAuth() auth: AuthContext,
    @ConversationParam() conversation: ConversationRef,
    @Body() body: LabelsRequest,
  ) {
    await this.commands.execute(
      new UpdateConversationCommand(
        conversation.id,
        { labels: body.labels.map((label) => label.trim()) },
        actorOf(auth),
      ),
    );
    const view = await this.queries.execute(new GetConversationQuery(conversation.id));
    return { payload: view.labels };
  }
}
