import { Body, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
} from '@nestjs/swagger';
import {
  AccountScopedController,
  actorOf,
  AgentBotsAllowed,
  CurrentAccount,
  CurrentAuth,
  senderOf,
  viewerOf,
} from '../accounts/index.js';
import type { AuthContext, Role } from '../accounts/index.js';
import { AcceptsAttachments, ApiAttachmentsBody, AttachmentUploads } from '../attachments/index.js';
import { ApiProblems, FilterRequest, ValidationFailedError } from '../common/index.js';
import { InboxOfSourceQuery } from '../contacts/index.js';
import { FindInboxQuery } from '../inboxes/index.js';
import { CreateConversationCommand } from './commands/create-conversation.command.js';
import { UpdateConversationCommand } from './commands/update-conversation.command.js';
import { ConversationParam } from './conversation-param.js';
import { newMessageOf } from './message-input.js';
import type { ConversationRef } from './dto/conversation-ref.js';
import {
  CreateConversationRequest,
  ListConversationsParams,
  PageParams,
  UpdateConversationRequest,
} from './dto/conversation.requests.js';
import {
  ConversationCountsAnswerDto,
  ConversationDto,
  ConversationListDto,
  ConversationPageDto,
} from './dto/conversation.responses.js';
import { GetConversationQuery } from './queries/get-conversation.query.js';
import { ListConversationsQuery } from './queries/list-conversations.query.js';

type Account = { id: number; role: Role };

@AccountScopedController('conversations', 'Conversations')
export class ConversationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly uploads: AttachmentUploads,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Conversations you can see, 25 per page',
    description:
      'Answers `{ data: { meta: { mine_count, assigned_count, unassigned_count, all_count }, payload } }`; counts ignore assignee_type.',
  })
  @ApiOkResponse({ type: ConversationListDto })
  @ApiQuery({
    name: 'status',
    required: false,
    examples: {
      open: { summary: 'Open conversations (the default)', value: 'open' },
      all: { summary: 'Any status', value: 'all' },
    },
  })
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
          labels: query.labels,
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
  @ApiOkResponse({ type: ConversationCountsAnswerDto })
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
          labels: query.labels,
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
  @ApiOkResponse({ type: ConversationPageDto })
  @ApiBody({
    type: FilterRequest,
    examples: {
      urgentOpen: {
        summary: 'Open and urgent',
        value: {
          payload: [
            {
              attribute_key: 'status',
              filter_operator: 'equal_to',
              values: ['open'],
              query_operator: 'AND',
            },
            { attribute_key: 'priority', filter_operator: 'equal_to', values: ['urgent'] },
          ],
        },
      },
    },
  })
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
  @AgentBotsAllowed()
  @ApiOperation({
    summary: 'Open a conversation',
    description:
      'For the contact with `source_id` in the inbox, or for `contact_id` (given a source_id there if it has none). As in Chatwoot, `source_id` alone is enough: the inbox is the one where a contact has it (404 when none, 422 when several).',
  })
  @ApiCreatedResponse({ type: ConversationDto })
  @ApiBody({
    type: CreateConversationRequest,
    examples: {
      bySourceId: {
        summary: 'For the contact with this source_id in the inbox',
        value: { inbox_id: 1, source_id: 'a8c4b5d2-contact', status: 'open' },
      },
      chatwoot: {
        summary: 'As Chatwoot documents it: source_id alone, a template message',
        value: {
          source_id: 'a8c4b5d2-contact',
          additional_attributes: { channel: 'whatsapp' },
          message: {
            content: 'Your order A-1042 has shipped.',
            template_params: {
              name: 'order_update',
              category: 'UTILITY',
              language: 'en_US',
              processed_params: { 1: 'A-1042' },
            },
          },
        },
      },
      snoozed: {
        summary: 'Opened snoozed until a time',
        value: { inbox_id: 1, source_id: 'a8c4b5d2-contact', snoozed_until: 1893456000 },
      },
      byContactWithMessage: {
        summary: 'For a contact, assigned, with a first outgoing message',
        value: { inbox_id: 1, contact_id: 7, assignee_id: 2, message: { content: 'Hello!' } },
      },
    },
  })
  @ApiAttachmentsBody('message[attachments][]')
  @AcceptsAttachments('message[attachments][]')
  @ApiProblems(404, 409, 413, 422)
  async create(
    @CurrentAccount() account: Account,
    @CurrentAuth() auth: AuthContext,
    @Body() body: CreateConversationRequest,
  ) {
    // Chatwoot looks a bare source_id up in the whole account.
    const inboxId =
      body.inbox_id ??
      (await this.queries.execute(new InboxOfSourceQuery(account.id, body.source_id!)));
    const inbox = await this.queries.execute(
      new FindInboxQuery({
        accountId: account.id,
        inboxId,
        viewer: viewerOf(auth),
      }),
    );
    // As in Chatwoot, snoozed_until alone snoozes; with another status it is dropped.
    const status = body.status ?? (body.snoozed_until ? 'snoozed' : undefined);
    if (status === 'snoozed' && body.snoozed_until && body.snoozed_until.getTime() <= Date.now())
      throw new ValidationFailedError([
        { field: 'snoozed_until', messages: ['must be in the future'] },
      ]);
    const { id } = await this.commands.execute(
      new CreateConversationCommand(
        {
          accountId: account.id,
          inboxId: inbox.id,
          contact:
            body.contact_id === undefined
              ? { sourceId: body.source_id! }
              : { contactId: body.contact_id, sourceId: body.source_id },
          status,
          snoozedUntil: body.snoozed_until,
          customAttributes: body.custom_attributes,
          additionalAttributes: body.additional_attributes,
          assigneeId: body.assignee_id,
          teamId: body.team_id,
          message: body.message && {
            ...newMessageOf(body.message, { author: senderOf(auth), contactId: null }),
            attachments: await this.uploads.prepare(body.message.attachments),
          },
        },
        actorOf(auth),
      ),
    );
    return this.queries.execute(new GetConversationQuery(id));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One conversation (id is the per-account display id)' })
  @ApiOkResponse({ type: ConversationDto })
  @ApiProblems(400)
  async show(@ConversationParam() conversation: ConversationRef) {
    return this.queries.execute(new GetConversationQuery(conversation.id));
  }

  @Patch(':id')
  @AgentBotsAllowed()
  @ApiOperation({ summary: 'Update a conversation (priority)' })
  @ApiOkResponse({ type: ConversationDto })
  @ApiBody({
    type: UpdateConversationRequest,
    examples: { urgent: { summary: 'Make it urgent', value: { priority: 'urgent' } } },
  })
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
