import { Body, Delete, Get, Param, Patch, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
} from '@nestjs/swagger';
import {
  AccountScopedController,
  actorOf,
  AdministratorsOnly,
  CurrentAccount,
  CurrentAuth,
} from '../accounts/index.js';
import type { AuthContext, Role } from '../accounts/index.js';
import { ApiProblems, ParseIdPipe } from '../common/index.js';
import { DeleteInboxCommand } from './commands/delete-inbox.command.js';
import { InboxFields, SaveInboxCommand } from './commands/save-inbox.command.js';
import { CreateInboxRequest, UpdateInboxRequest } from './dto/inbox.requests.js';
import { InboxDeletedAnswer, InboxResponse } from './dto/inbox.response.js';
import { ListInboxesQuery } from './queries/list-inboxes.query.js';

class InboxListResponse {
  @ApiProperty({ type: [InboxResponse] }) payload: InboxResponse[];
}

function fieldsOf(body: CreateInboxRequest | UpdateInboxRequest): InboxFields {
  return {
    name: body.name,
    webhookUrl: body.channel?.webhook_url,
    hmacMandatory: body.channel?.hmac_mandatory,
    hmacScope: body.channel?.hmac_scope,
    additionalAttributes: body.channel?.additional_attributes,
    enableAutoAssignment: body.enable_auto_assignment,
    lockToSingleConversation: body.lock_to_single_conversation,
    allowMessagesAfterResolved: body.allow_messages_after_resolved,
    greetingEnabled: body.greeting_enabled,
    greetingMessage: body.greeting_message,
    timezone: body.timezone,
    enableEmailCollect: body.enable_email_collect,
    csatSurveyEnabled: body.csat_survey_enabled,
    csatConfig: body.csat_config,
    workingHoursEnabled: body.working_hours_enabled,
    workingHours: body.working_hours,
    outOfOfficeMessage: body.out_of_office_message,
    portalId: body.portal_id,
    senderNameType: body.sender_name_type,
    businessName: body.business_name,
    // Chatwoot stores the config whole: without max_assignment_limit there is no limit.
    maxAssignmentLimit:
      body.auto_assignment_config === undefined
        ? undefined
        : (body.auto_assignment_config?.max_assignment_limit ?? null) || null,
  };
}

@AccountScopedController('inboxes', 'Inboxes')
export class InboxesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Inboxes you can see (administrators: all; agents: those they are members of)',
  })
  @ApiOkResponse({ type: InboxListResponse })
  async list(
    @CurrentAccount() account: { id: number; role: Role },
    @CurrentAuth() auth: AuthContext,
  ): Promise<{ payload: InboxResponse[] }> {
    return {
      payload: await this.queries.execute(
        new ListInboxesQuery(account.id, { userId: auth.userId, role: account.role }),
      ),
    };
  }

  @Post()
  @AdministratorsOnly()
  @ApiOperation({
    summary: 'Create an API inbox',
    description:
      'The answer holds inbox_identifier (for the Client API), and for administrators hmac_token and webhook_secret.',
  })
  @ApiCreatedResponse({ type: InboxResponse })
  @ApiProblems(403, 422)
  @ApiBody({
    type: CreateInboxRequest,
    examples: {
      api: {
        summary: 'An API inbox with a webhook',
        value: {
          name: 'Support API',
          channel: { type: 'api', webhook_url: 'https://example.com/conversa/inbox' },
        },
      },
      chatwoot: {
        summary: "Chatwoot's inbox settings: a capacity of 5 per agent, working hours",
        value: {
          name: 'Support API',
          channel: { type: 'api', webhook_url: 'https://example.com/conversa/inbox' },
          enable_auto_assignment: true,
          auto_assignment_config: { max_assignment_limit: 5 },
          working_hours_enabled: true,
          working_hours: [
            { day_of_week: 1, open_hour: 9, open_minutes: 0, close_hour: 17, close_minutes: 0 },
          ],
          out_of_office_message: 'We are away; we answer tomorrow.',
          csat_survey_enabled: false,
        },
      },
      identified: {
        summary: 'Identity validation on, one open conversation per contact',
        value: {
          name: 'Portal',
          channel: { type: 'api', hmac_mandatory: true },
          lock_to_single_conversation: true,
        },
      },
    },
  })
  async create(
    @CurrentAccount() account: { id: number; role: Role },
    @CurrentAuth() auth: AuthContext,
    @Body() body: CreateInboxRequest,
  ): Promise<InboxResponse> {
    const { id } = await this.commands.execute(
      new SaveInboxCommand(account.id, null, fieldsOf(body), actorOf(auth)),
    );
    return this.one(account, auth, id);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One inbox' })
  @ApiOkResponse({ type: InboxResponse })
  @ApiProblems(400)
  show(
    @CurrentAccount() account: { id: number; role: Role },
    @CurrentAuth() auth: AuthContext,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<InboxResponse> {
    return this.one(account, auth, id);
  }

  @Patch(':id')
  @AdministratorsOnly()
  @ApiOperation({ summary: 'Update an inbox (name, webhook_url, hmac_mandatory, settings)' })
  @ApiOkResponse({ type: InboxResponse })
  @ApiProblems(400, 403, 422)
  @ApiBody({
    type: UpdateInboxRequest,
    examples: {
      greeting: {
        summary: 'A greeting',
        value: { greeting_enabled: true, greeting_message: 'Hi! We answer within an hour.' },
      },
      capacity: {
        summary: 'At most 3 open conversations per agent (Chatwoot auto_assignment_config)',
        value: { auto_assignment_config: { max_assignment_limit: 3 } },
      },
      webhook: {
        summary: 'A new webhook URL',
        value: { channel: { webhook_url: 'https://example.com/conversa/v2' } },
      },
    },
  })
  async update(
    @CurrentAccount() account: { id: number; role: Role },
    @CurrentAuth() auth: AuthContext,
    @Param('id', ParseIdPipe) id: number,
    @Body() body: UpdateInboxRequest,
  ): Promise<InboxResponse> {
    await this.commands.execute(
      new SaveInboxCommand(account.id, id, fieldsOf(body), actorOf(auth)),
    );
    return this.one(account, auth, id);
  }

  @Delete(':id')
  @AdministratorsOnly()
  @ApiOperation({
    summary: 'Delete an inbox',
    description:
      'The inbox disappears at once; its conversations and messages are removed in the background.',
  })
  @ApiOkResponse({ type: InboxDeletedAnswer, description: 'Deletion started' })
  @ApiProblems(400, 403)
  async remove(@CurrentAccount() account: { id: number }, @Param('id', ParseIdPipe) id: number) {
    await this.commands.execute(new DeleteInboxCommand(account.id, id));
    return {
      message: 'The inbox was deleted; its conversations are being removed in the background.',
    };
  }

  private async one(account: { id: number; role: Role }, auth: AuthContext, inboxId: number) {
    const [inbox] = await this.queries.execute(
      new ListInboxesQuery(account.id, { userId: auth.userId, role: account.role }, inboxId),
    );
    return inbox;
  }
}
