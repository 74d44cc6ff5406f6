import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '../accounts/index.js';
import type { ContactInboxRef } from '../contacts/index.js';
import { ApiProblems, ParseBigIdPipe, ParseIdPipe, UnprocessableError } from '../common/index.js';
import {
  CreateConversationCommand,
  CreateMessageCommand,
  ListMessagesQuery,
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
} from './dto/public.requests.js';
import { forCaller } from './dto/public.responses.js';
import { contactActor } from './public-contacts.controller.js';
import { PublicContext } from './public-context.service.js';

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
    private readonly context: PublicContext,
  ) {}

  @Get()
  @ApiOperation({
    summary: "The contact's conversations in this inbox (with their newest 20 visible messages)",
  })
  @ApiOkResponse({ description: 'Conversation[]' })
  @ApiProblems(401, 404)
  async list(
    @Param('inbox_identifier') inbox: string,
    @Param('source_id') sourceId: string,
    @Query() query: IdentityParams,
  ) {
    const { contactInbox } = await this.context.contact(inbox, sourceId, query.identifier_hash);
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
  @ApiCreatedResponse({ description: 'The conversation' })
  @ApiProblems(401, 404, 422)
  async create(
    @Param('inbox_identifier') inboxIdentifier: string,
    @Param('source_id') sourceId: string,
    @Query() query: IdentityParams,
    @Body() body: PublicConversationCreate,
  ) {
    const { inbox, contactInbox } = await this.context.contact(
      inboxIdentifier,
      sourceId,
      query.identifier_hash,
    );
    const { id } = await this.commands.execute(
      new CreateConversationCommand(
        {
          accountId: inbox.accountId,
          inboxId: inbox.id,
          contactId: contactInbox.contactId,
          contactInboxId: contactInbox.id,
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
  @ApiOkResponse({ description: 'The conversation' })
  @ApiProblems(400, 401, 404)
  async show(
    @Param('inbox_identifier') inbox: string,
    @Param('source_id') sourceId: string,
    @Param('id', ParseIdPipe) id: number,
    @Query() query: IdentityParams,
  ) {
    const { contactInbox, conversation } = await this.context.conversation(
      inbox,
      sourceId,
      id,
      query.identifier_hash,
    );
    return this.one(contactInbox, conversation.id);
  }

  @Post(':id/toggle_status')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resolve the conversation (the contact ends it)' })
  @ApiOkResponse({ description: 'The conversation' })
  @ApiProblems(400, 401, 404)
  async toggleStatus(
    @Param('inbox_identifier') inbox: string,
    @Param('source_id') sourceId: string,
    @Param('id', ParseIdPipe) id: number,
    @Query() query: IdentityParams,
  ) {
    const { contactInbox, conversation } = await this.context.conversation(
      inbox,
      sourceId,
      id,
      query.identifier_hash,
    );
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
  @ApiOkResponse({ description: 'Done' })
  @ApiProblems(400, 401, 404, 422)
  async toggleTyping(
    @Param('inbox_identifier') inbox: string,
    @Param('source_id') sourceId: string,
    @Param('id', ParseIdPipe) id: number,
    @Query() query: IdentityParams,
    @Body() body: PublicTyping,
  ) {
    const { contactInbox, conversation } = await this.context.conversation(
      inbox,
      sourceId,
      id,
      query.identifier_hash,
    );
    await this.commands.execute(
      new ToggleTypingCommand(
        conversation.id,
        body.typing_status,
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
  @ApiOkResponse({ description: 'Done' })
  @ApiProblems(400, 401, 404)
  async updateLastSeen(
    @Param('inbox_identifier') inbox: string,
    @Param('source_id') sourceId: string,
    @Param('id', ParseIdPipe) id: number,
    @Query() query: IdentityParams,
  ) {
    const { contactInbox, conversation } = await this.context.conversation(
      inbox,
      sourceId,
      id,
      query.identifier_hash,
    );
    await this.commands.execute(
      new UpdateLastSeenCommand(conversation.id, contactActor(contactInbox.contactId)),
    );
    return {};
  }

  @Get(':id/messages')
  @ApiOperation({
    summary:
      'Messages, 20 at a time, oldest first (`before` a message id); never private notes or activity',
  })
  @ApiOkResponse({ description: 'Message[]' })
  @ApiProblems(400, 401, 404, 422)
  async messages(
    @Param('inbox_identifier') inbox: string,
    @Param('source_id') sourceId: string,
    @Param('id', ParseIdPipe) id: number,
    @Query() query: PublicMessagesParams,
  ) {
    const { contactInbox, conversation } = await this.context.conversation(
      inbox,
      sourceId,
      id,
      query.identifier_hash,
    );
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
  @ApiCreatedResponse({ description: 'The message' })
  @ApiProblems(400, 401, 404, 409, 422)
  async createMessage(
    @Param('inbox_identifier') inboxIdentifier: string,
    @Param('source_id') sourceId: string,
    @Param('id', ParseIdPipe) id: number,
    @Query() query: IdentityParams,
    @Body() body: PublicMessageCreate,
  ) {
    const { inbox, contactInbox, conversation } = await this.context.conversation(
      inboxIdentifier,
      sourceId,
      id,
      query.identifier_hash,
    );
    if (conversation.status === 'resolved' && !inbox.allowMessagesAfterResolved) {
      throw new UnprocessableError(
        'conversation_resolved',
        `Conversation ${id} is resolved and this inbox does not accept messages after resolution; open a new conversation.`,
      );
    }
    const { message } = await this.commands.execute(
      new CreateMessageCommand(
        conversation.id,
        {
          messageType: 'incoming',
          content: body.content,
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
  @ApiOkResponse({ description: 'The message' })
  @ApiProblems(400, 401, 404, 422)
  answer(
    @Param('inbox_identifier') inbox: string,
    @Param('source_id') sourceId: string,
    @Param('id', ParseIdPipe) id: number,
    @Param('message_id', ParseBigIdPipe) messageId: number,
    @Query() query: IdentityParams,
    @Body() body: PublicMessageUpdate,
  ) {
    return this.submit(inbox, sourceId, id, messageId, query, body);
  }

  @Put(':id/messages/:message_id')
  @ApiOperation({ summary: 'Same as PATCH' })
  @ApiOkResponse({ description: 'The message' })
  @ApiProblems(400, 401, 404, 422)
  answerPut(
    @Param('inbox_identifier') inbox: string,
    @Param('source_id') sourceId: string,
    @Param('id', ParseIdPipe) id: number,
    @Param('message_id', ParseBigIdPipe) messageId: number,
    @Query() query: IdentityParams,
    @Body() body: PublicMessageUpdate,
  ) {
    return this.submit(inbox, sourceId, id, messageId, query, body);
  }

  private async submit(
    inbox: string,
    sourceId: string,
    id: number,
    messageId: number,
    query: IdentityParams,
    body: PublicMessageUpdate,
  ) {
    const { contactInbox, conversation } = await this.context.conversation(
      inbox,
      sourceId,
      id,
      query.identifier_hash,
    );
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
