import { Body, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import {
  AccountScopedController,
  actorOf,
  CurrentAccount,
  CurrentAuth,
  ListTeamsQuery,
} from '../accounts/index.js';
import type { AuthContext, Role } from '../accounts/index.js';
import { ApiProblems, FilterRequest, ParseIdPipe } from '../common/index.js';
import {
  CreateContactInboxCommand,
  FindContactInboxQuery,
  GetContactQuery,
} from '../contacts/index.js';
import { FindInboxQuery } from '../inboxes/index.js';
import { assertAssignable } from './assignable.js';
import { AssignConversationCommand } from './commands/assign-conversation.command.js';
import { CreateConversationCommand } from './commands/create-conversation.command.js';
import { CreateMessageCommand } from './commands/create-message.command.js';
import { UpdateConversationCommand } from './commands/update-conversation.command.js';
import { ConversationAccess } from './conversation-access.js';
import { TeamNotFoundError } from './conversations.errors.js';
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
    private readonly access: ConversationAccess,
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
    if (body.assignee_id)
      await assertAssignable(this.queries, account.id, inbox.id, body.assignee_id);
    if (body.team_id) {
      // Checked before anything is written, with the same 422 as POST .../assignments.
      const teams = await this.queries.execute(new ListTeamsQuery(account.id, auth.userId));
      if (!teams.some((team) => team.id === body.team_id))
        throw new TeamNotFoundError(body.team_id);
    }
    const contactInbox = await this.resolveContactInbox(account.id, inbox.id, body);
    const actor = actorOf(auth);
    const { id } = await this.commands.execute(
      new CreateConversationCommand(
        {
          accountId: account.id,
          inboxId: inbox.id,
          contactId: contactInbox.contactId,
          contactInboxId: contactInbox.id,
          status: body.status,
          customAttributes: body.custom_attributes,
          additionalAttributes: body.additional_attributes,
        },
        actor,
      ),
    );
    if (body.assignee_id || body.team_id) {
      await this.commands.execute(
        new AssignConversationCommand(id, body.assignee_id, body.team_id, actor),
      );
    }
    if (body.message) {
      await this.commands.execute(
        new CreateMessageCommand(
          id,
          {
            messageType: 'outgoing',
            content: body.message.content,
            sender: { type: 'user', id: auth.userId },
          },
          actor,
        ),
      );
    }
    return this.queries.execute(new GetConversationQuery(id));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One conversation (id is the per-account display id)' })
  @ApiOkResponse({ description: 'The conversation' })
  @ApiProblems(400)
  async show(
    @CurrentAccount() account: Account,
    @CurrentAuth() auth: AuthContext,
    @Param('id', ParseIdPipe) id: number,
  ) {
    const conversation = await this.access.find(account, auth, id);
    return this.queries.execute(new GetConversationQuery(conversation.id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Update a conversation (priority)' })
  @ApiOkResponse({ description: 'The conversation' })
  @ApiProblems(400, 422)
  async update(
    @CurrentAccount() account: Account,
    @CurrentAuth() auth: AuthContext,
    @Param('id', ParseIdPipe) id: number,
    @Body() body: UpdateConversationRequest,
  ) {
    const conversation = await this.access.find(account, auth, id);
    if (body.priority !== undefined) {
      const priority = body.priority === 'none' ? null : body.priority;
      await this.commands.execute(
        new UpdateConversationCommand(conversation.id, { priority }, actorOf(auth)),
      );
    }
    return this.queries.execute(new GetConversationQuery(conversation.id));
  }

  private async resolveContactInbox(
    accountId: number,
    inboxId: number,
    body: CreateConversationRequest,
  ) {
    if (body.contact_id === undefined)
      return this.queries.execute(new FindContactInboxQuery(inboxId, body.source_id!));
    const { sourceIds } = await this.queries.execute(
      new GetContactQuery(accountId, body.contact_id),
    );
    const known = sourceIds.find(
      (link) => link.inboxId === inboxId && (!body.source_id || link.sourceId === body.source_id),
    );
    const sourceId = known
      ? known.sourceId
      : (
          await this.commands.execute(
            new CreateContactInboxCommand(accountId, body.contact_id, inboxId, body.source_id),
          )
        ).sourceId;
    return this.queries.execute(new FindContactInboxQuery(inboxId, sourceId));
  }
}
