import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '../accounts/index.js';
import { AcceptsAttachments, ApiAttachmentsBody, AttachmentUploads } from '../attachments/index.js';
import {
  ApiDoneResponse,
  ApiProblems,
  ParseBigIdPipe,
  UnprocessableError,
  ValidationFailedError,
} from '../common/index.js';
import type { ContactInboxRef } from '../contacts/index.js';
import {
  CreateConversationCommand,
  CreateMessageCommand,
  ListMessagesQuery,
  MessageDto,
  PublicConversationDto,
  PublicConversationsQuery,
  ToggleStatusCommand,
  ToggleTypingCommand,
  UpdateLastSeenCommand,
  UpdateMessageCommand,
} from '../conversations/index.js';
import {
  IdentityParams,
  PublicConversationCreate,
  PublicMessageCreate,
  PublicMessagesParams,
  PublicMessageUpdate,
  PublicTyping,
  PublicTypingParams,
} from './dto/public.requests.js';
import { forCaller } from './dto/public.responses.js';
import { contactActor } from './public-contacts.controller.js';
import type { ContactContext } from './public-context.service.js';
import { ContactParam, ConversationParam } from './public-params.js';
import type { ConversationContext } from './public-params.js';

const BASE = 'public/api/v1/inboxes/:inbox_identifier/contacts/:source_id/conversations';

@ApiTags('Client API')
@ApiParam({ name: 'inbox_identifier', description: "The inbox's identifier" })
@ApiParam({ name: 'source_id', description: 'The contact source_id that POST /contacts returned' })
@Public()
@Controller(BASE)
export class PublicConversationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly uploads: AttachmentUploads,
  ) {}

  @Get()
  @ApiOperation({
    summary: "The contact's conversations in this inbox (with their newest 20 visible messages)",
  })
  @ApiOkResponse({ type: [PublicConversationDto] })
  @ApiProblems(401, 404)
  async list(
    @ContactParam('conversations') { contactInbox }: ContactContext,
    @Query() _query: IdentityParams,
  ) {
    return forCaller(
      contactInbox,
      await this.queries.execute(new PublicConversationsQuery(contactInbox.id)),
    );
  }

  @Post()
  @ApiOperation({
    summary: 'Open a conversation',
    description:
      'With lock_to_single_conversation on the inbox, returns the contact’s unresolved conversation if there is one.',
  })
  @ApiCreatedResponse({ type: PublicConversationDto })
  @ApiBody({
    type: PublicConversationCreate,
    examples: {
      empty: { summary: 'Just open one', value: {} },
      attributes: {
        summary: 'With custom attributes',
        value: { custom_attributes: { order_id: 'A-1042' } },
      },
    },
  })
  @ApiProblems(401, 404, 422)
  async create(
    @ContactParam('conversations') { inbox, contactInbox }: ContactContext,
    @Query() _query: IdentityParams,
    @Body() body: PublicConversationCreate,
  ) {
    const { id } = await this.commands.execute(
      new CreateConversationCommand(
        {
          accountId: inbox.accountId,
          inboxId: inbox.id,
          contact: { contactInboxId: contactInbox.id, contactId: contactInbox.contactId },
          customAttributes: body.custom_attributes,
          lockToSingleConversation: inbox.lockToSingleConversation,
        },
        contactActor(contactInbox.contactId),
      ),
    );
    return this.one(contactInbox, id);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One conversation (id is the display id)' })
  @ApiOkResponse({ type: PublicConversationDto })
  @ApiProblems(400, 401, 404)
  async show(
    @ConversationParam() { contactInbox, conversation }: ConversationContext,
    @Query() _query: IdentityParams,
  ) {
    return this.one(contactInbox, conversation.id);
  }

  @Post(':id/toggle_status')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resolve the conversation (the contact ends it)' })
  @ApiOkResponse({ type: PublicConversationDto })
  @ApiProblems(400, 401, 404)
  async toggleStatus(
    @ConversationParam() { contactInbox, conversation }: ConversationContext,
    @Query() _query: IdentityParams,
  ) {
    await this.commands.execute(
      new ToggleStatusCommand(
        conversation.id,
        'resolved',
        null,
        contactActor(contactInbox.contactId),
      ),
    );
    return this.one(contactInbox, conversation.id);
  }

  @Post(':id/toggle_typing')
  @HttpCode(200)
  @ApiOperation({ summary: 'The contact is typing (on) or stopped (off)' })
  @ApiDoneResponse()
  @ApiBody({
    type: PublicTyping,
    examples: {
      on: { summary: 'Typing', value: { typing_status: 'on' } },
      off: { summary: 'Stopped', value: { typing_status: 'off' } },
    },
  })
  @ApiProblems(400, 401, 404, 422)
  async toggleTyping(
    @ConversationParam() { contactInbox, conversation }: ConversationContext,
    @Query() query: PublicTypingParams,
    @Body() body: PublicTyping,
  ) {
    const typingStatus = body.typing_status ?? query.typing_status;
    if (!typingStatus)
      throw new ValidationFailedError([
        {
          field: 'typing_status',
          messages: ['is required: "on" or "off", in the body or as a query parameter'],
        },
      ]);
    await this.commands.execute(
      new ToggleTypingCommand(
        conversation.id,
        typingStatus,
        false,
        contactActor(contactInbox.contactId),
      ),
    );
    return {};
  }

  @Post(':id/update_last_seen')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Read receipt: the contact has seen the conversation; earlier outgoing messages become read',
  })
  @ApiDoneResponse()
  @ApiProblems(400, 401, 404)
  async updateLastSeen(
    @ConversationParam() { contactInbox, conversation }: ConversationContext,
    @Query() _query: IdentityParams,
  ) {
    await this.commands.execute(
      new UpdateLastSeenCommand(conversation.id, contactActor(contactInbox.contactId)),
    );
    return {};
  }

  @Get(':id/messages')
  @ApiOperation({
    summary:
      'Messages, oldest first: the newest 20, or the 20 `before` a message id; never private notes or activity',
    description:
      "As Chatwoot's Client API (which documents no parameters and reads only `before`): 20 messages a page, the newest without a cursor, the older ones with `before`. `after` is Conversa's addition for polling (Chatwoot ignores it): up to 100 messages newer than that id, and with `before` too, up to 1,000 between, as Chatwoot's Application API pages.",
  })
  @ApiOkResponse({ type: [MessageDto], description: 'Oldest first' })
  @ApiProblems(400, 401, 404, 422)
  async messages(
    @ConversationParam() { contactInbox, conversation }: ConversationContext,
    @Query() query: PublicMessagesParams,
  ) {
    return forCaller(
      contactInbox,
      await this.queries.execute(
        new ListMessagesQuery(conversation.id, {
          before: query.before,
          after: query.after,
          contactView: true,
        }),
      ),
    );
  }

  @Post(':id/messages')
  @ApiOperation({
    summary: 'Send a message from the contact',
    description:
      'A source_id the inbox already has returns that message (200 semantics on a 201), so retries never duplicate.',
  })
  @ApiCreatedResponse({ type: MessageDto })
  @ApiBody({
    type: PublicMessageCreate,
    examples: {
      text: { summary: 'A message', value: { content: 'Hi, where is my order?' } },
      idempotent: {
        summary: 'With your id, so a retry never duplicates it',
        value: { content: 'Hi, where is my order?', source_id: 'app-msg-5521', echo_id: 'tmp-1' },
      },
      chatwoot: {
        summary: "Fields Chatwoot's Client API drops are accepted and ignored",
        value: { content: 'Hello', echo_id: 'tmp-2', private: false, message_type: 'incoming' },
      },
    },
  })
  @ApiAttachmentsBody('attachments[]')
  @AcceptsAttachments('attachments[]')
  @ApiProblems(400, 401, 404, 409, 413, 422)
  async createMessage(
    @ConversationParam() { contactInbox, conversation }: ConversationContext,
    @Query() _query: IdentityParams,
    @Body() body: PublicMessageCreate,
  ) {
    // A contact's message into a resolved conversation is refused by the command (every
    // channel's), when the inbox does not accept messages after resolution.
    const { message } = await this.commands.execute(
      new CreateMessageCommand(
        conversation.id,
        {
          messageType: 'incoming',
          content: body.content ?? null,
          attachments: await this.uploads.prepare(body.attachments),
          contentAttributes: body.content_attributes,
          sourceId: body.source_id,
          echoId: body.echo_id,
          sender: { type: 'contact', id: contactInbox.contactId },
        },
        contactActor(contactInbox.contactId),
      ),
    );
    return forCaller(contactInbox, message);
  }

  @Patch(':id/messages/:message_id')
  @ApiOperation({ summary: 'Answer a form, select or CSAT message (submitted_values)' })
  @ApiOkResponse({ type: MessageDto })
  @ApiBody({
    type: PublicMessageUpdate,
    examples: {
      csat: {
        summary: 'A CSAT rating',
        value: { submitted_values: { csat_survey_response: { rating: 5 } } },
      },
    },
  })
  @ApiProblems(400, 401, 404, 422)
  answer(
    @ConversationParam() context: ConversationContext,
    @Param('message_id', ParseBigIdPipe) messageId: number,
    @Query() _query: IdentityParams,
    @Body() body: PublicMessageUpdate,
  ) {
    return this.submit(context, messageId, body);
  }

  @Put(':id/messages/:message_id')
  @ApiOperation({ summary: 'Same as PATCH' })
  @ApiOkResponse({ type: MessageDto })
  @ApiBody({
    type: PublicMessageUpdate,
    examples: {
      form: { summary: 'A form answer', value: { submitted_values: { email: 'a@example.com' } } },
    },
  })
  @ApiProblems(400, 401, 404, 422)
  answerPut(
    @ConversationParam() context: ConversationContext,
    @Param('message_id', ParseBigIdPipe) messageId: number,
    @Query() _query: IdentityParams,
    @Body() body: PublicMessageUpdate,
  ) {
    return this.submit(context, messageId, body);
  }

  private async submit(
    { contactInbox, conversation }: ConversationContext,
    messageId: number,
    body: PublicMessageUpdate,
  ) {
    // Only messages the contact can see may be answered.
    const [visible] = await this.queries.execute(
      new ListMessagesQuery(conversation.id, {
        messageIds: [String(messageId)],
        contactView: true,
      }),
    );
    if (!visible) {
      throw new UnprocessableError(
        'message_not_answerable',
        `Message ${messageId} is not a message of this conversation that you can answer.`,
      );
    }
    await this.commands.execute(
      new UpdateMessageCommand(
        conversation.id,
        messageId,
        { submittedValues: body.submitted_values },
        contactActor(contactInbox.contactId),
      ),
    );
    const [message] = await this.queries.execute(
      new ListMessagesQuery(conversation.id, { messageIds: [String(messageId)] }),
    );
    return forCaller(contactInbox, message);
  }

  private async one(contactInbox: ContactInboxRef, conversationId: number) {
    const [conversation] = await this.queries.execute(
      new PublicConversationsQuery(contactInbox.id, conversationId),
    );
    return forCaller(contactInbox, conversation);
  }
}
