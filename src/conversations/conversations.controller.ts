import { Body, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import {
  AccountScopedController,
  actorOf,
  CurrentAccount,
  CurrentAuth,
} from '../accounts/index.js';
import type { AuthContext, Role } from '../accounts/index.js';
import { ApiProblems, FilterRequest } from '../common/index.js';
import { FindInboxQuery } from '../inboxes/index.js';
import { CreateConversationCommand } from './commands/create-conversation.command.js';
import { UpdateConversationCommand } from './commands/update-conversation.command.js';
import { ConversationParam } from './conversation-param.js';
import type { ConversationRef } from './dto/conversation-ref.js';
import {
  CreateConversationRequest,
  ListConversationsParams,
  PageParams,
  UpdateConversationRequest,
} from './dto/conversation.requests.js';
import { GetConversationQuery } from './queries/get-conversation.query.js';
import { ListConversationsQuery } from './queries/list-conversations.query.js';

type Account = { id: number; role: Role };

@AccountScopedController('conversations', 'Conversations')
export class ConversationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Conversations you can see, 25 per page',
    description:
      'Answers `{ data: { meta: { mine_count, assigned_count, unassigned_count, all_count }, payload } }`; counts ignore assignee_type.',
  })
  @ApiOkResponse({ description: '{ data: { meta, payload } }' })
  @ApiProblems(422)
  async list(
    @CurrentAccount() account: Account,
    @CurrentAuth() auth: AuthContext,
    @Query() query: ListConversationsParams,
  ) {
    const result = await this.queries.execute(
      new ListConversationsQuery(
        account.id,
        { userId: auth.userId, role: account.role },
        {
          status: query.status,
          assigneeType: query.assignee_type,
          inboxId: query.inbox_id,
          teamId: query.team_id,
          labels: query['labels[]'] ?? query.labels,
          q: query.q,
          sortBy: query.sort_by,
          page: query.page,
        },
      ),
    );
    return { data: result };
  }

  @Get('meta')
  @ApiOperation({ summary: 'Only the counts of GET /conversations, for the same filters' })
  @ApiOkResponse({
    description: '{ meta: { mine_count, assigned_count, unassigned_count, all_count } }',
  })
  @ApiProblems(422)
  async meta(
    @CurrentAccount() account: Account,
    @CurrentAuth() auth: AuthContext,
    @Query() query: ListConversationsParams,
  ) {
    const { meta } = await this.queries.execute(
      new ListConversationsQuery(
        account.id,
        { userId: auth.userId, role: account.role },
        {
          status: query.status,
          inboxId: query.inbox_id,
          teamId: query.team_id,
          labels: query['labels[]'] ?? query.labels,
          q: query.q,
          countsOnly: true,
        },
      ),
    );
    return { meta };
  }

  @Post('filter')
  @HttpCode(200)
  @ApiOperation({ summary: 'Conversations matching filter conditions (any status), 25 per page' })
  @ApiOkResponse({ description: '{ meta, payload }' })
  @ApiProblems(422)
  filter(
    @CurrentAccount() account: Account,
    @CurrentAuth() auth: AuthContext,
    @Query() query: PageParams,
    @Body() body: FilterRequest,
  ) {
    return this.queries.execute(
      new ListConversationsQuery(
        account.id,
        { userId: auth.userId, role: account.role },
        {
          conditions: body.payload,
          page: query.page,
        },
      ),
    );
  }

  @Post()
  @ApiOperation({
    summary: 'Open a conversation',
    description:
      'For the contact with `source_id` in the inbox, or for `contact_id` (given a source_id there if it has none).',
  })
  @ApiCreatedResponse({ description: 'The conversation' })
  @ApiProblems(404, 409, 422)
  async create(
    @CurrentAccount() account: Account,
    @CurrentAuth() auth: AuthContext,
    @Body() body: CreateConversationRequest,
  ) {
    const inbox = await this.queries.execute(
      new FindInboxQuery({
        accountId: account.id,
        inboxId: body.inbox_id,
        viewer: { userId: auth.userId, role: account.role },
      }),
    );
    const { id } = await this.commands.execute(
      new CreateConversationCommand(
        {
          accountId: account.id,
          inboxId: inbox.id,
          contact:
            body.contact_id === undefined
              ? { sourceId: body.source_id! }
              : { contactId: body.contact_id, sourceId: body.source_id },
          status: body.status,
          customAttributes: body.custom_attributes,
          additionalAttributes: body.additional_attributes,
          assigneeId: body.assignee_id,
          teamId: body.team_id,
          message: body.message && {
            messageType: 'outgoing',
            content: body.message.content,
            sender: { type: 'user', id: auth.userId },
          },
        },
        actorOf(auth),
      ),
    );
    return this.queries.execute(new GetConversationQuery(id));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One conversation (id is the per-account display id)' })
  @ApiOkResponse({ description: 'The conversation' })
  @ApiProblems(400)
  async show(@ConversationParam() conversation: ConversationRef) {
    return this.queries.execute(new GetConversationQuery(conversation.id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Update a conversation (priority)' })
  @ApiOkResponse({ description: 'The conversation' })
  @ApiProblems(400, 422)
  async update(
    @CurrentAuth() auth: AuthContext,
    @ConversationParam() conversation: ConversationRef,
    @Body() body: UpdateConversationRequest,
  ) {
    if (body.priority !== undefined) {
      const priority = body.priority === 'none' ? null : body.priority;
      await this.commands.execute(
        new UpdateConversationCommand(conversation.id, { priority }, actorOf(auth)),
      );
    }
    return this.queries.execute(new GetConversationQuery(conversation.id));
  }
}
