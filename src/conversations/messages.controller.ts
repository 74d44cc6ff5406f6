import { Body, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import {
  AccountScopedController,
  actorOf,
  AgentBotsAllowed,
  CurrentAuth,
  senderOf,
} from '../accounts/index.js';
import { AcceptsAttachments, ApiAttachmentsBody, AttachmentUploads } from '../attachments/index.js';
import type { AuthContext } from '../accounts/index.js';
import { ApiProblems, ParseBigIdPipe } from '../common/index.js';
import { CreateMessageCommand } from './commands/create-message.command.js';
import { UpdateMessageCommand } from './commands/update-message.command.js';
import { newMessageOf } from './message-input.js';
import { ConversationParam } from './conversation-param.js';
import type { ConversationRef } from './dto/conversation-ref.js';
import { MessageNotFoundError } from './conversations.errors.js';
import {
  CreateMessageRequest,
  ListMessagesParams,
  UpdateMessageRequest,
} from './dto/conversation.requests.js';
import { MessageDto, MessagesAnswerDto } from './dto/conversation.responses.js';
import { GetConversationQuery } from './queries/get-conversation.query.js';
import { ListMessagesQuery } from './queries/list-messages.query.js';

@AccountScopedController('conversations/:id/messages', 'Messages')
export class MessagesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly uploads: AttachmentUploads,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Messages, oldest first (`before` / `after` a message id)',
    description:
      'As in Chatwoot: the newest 20, or 20 before `before`; up to 100 after `after`; up to 1,000 between `after` and `before`.',
  })
  @ApiOkResponse({ type: MessagesAnswerDto })
  @ApiProblems(400, 422)
  async list(
    @ConversationParam() conversation: ConversationRef,
    @Query() query: ListMessagesParams,
  ) {
    const [view, payload] = await Promise.all([
      this.queries.execute(new GetConversationQuery(conversation.id)),
      this.queries.execute(
        new ListMessagesQuery(conversation.id, { before: query.before, after: query.after }),
      ),
    ]);
    return {
      meta: {
        labels: view.labels,
        additional_attributes: view.additional_attributes,
        contact: view.meta.sender,
        ...(view.meta.assignee ? { assignee: view.meta.assignee } : {}),
        agent_last_seen_at: view.agent_last_seen_at
          ? new Date(view.agent_last_seen_at * 1000).toISOString()
          : null,
        assignee_last_seen_at: view.assignee_last_seen_at
          ? new Date(view.assignee_last_seen_at * 1000).toISOString()
          : null,
      },
      payload,
    };
  }

  @Post()
  @AgentBotsAllowed()
  @ApiOperation({
    summary: 'Send a message or a private note',
    description:
      'Outgoing by default (the reply goes to the inbox webhook). message_type "incoming" records a message as from the contact. A repeated source_id returns the existing message.',
  })
  @ApiCreatedResponse({ type: MessageDto })
  @ApiBody({
    type: CreateMessageRequest,
    examples: {
      reply: { summary: 'An agent reply', value: { content: 'Your refund is on its way.' } },
      note: {
        summary: 'A private note',
        value: { content: 'Customer is a VIP, answer today.', private: true },
      },
      incoming: {
        summary: 'Record a message from the contact, idempotent by source_id',
        value: { content: 'Where is my order?', message_type: 'incoming', source_id: 'crm-88121' },
      },
      template: {
        summary: 'A WhatsApp-style template message (Chatwoot template_params)',
        value: {
          content: 'Your order A-1042 has shipped.',
          template_params: {
            name: 'order_update',
            category: 'UTILITY',
            language: 'en_US',
            processed_params: { 1: 'A-1042' },
          },
        },
      },
      select: {
        summary: 'An input_select message; content_attributes may also be a JSON string',
        value: {
          content: 'How would you rate us?',
          content_type: 'input_select',
          content_attributes: {
            items: [
              { title: 'Great', value: 'great' },
              { title: 'Okay', value: 'okay' },
            ],
          },
        },
      },
    },
  })
  @ApiAttachmentsBody('attachments[]')
  @AcceptsAttachments('attachments[]')
  @ApiProblems(400, 409, 413, 422)
  async create(
    @CurrentAuth() auth: AuthContext,
    @ConversationParam() conversation: ConversationRef,
    @Body() body: CreateMessageRequest,
  ) {
    const { message } = await this.commands.execute(
      new CreateMessageCommand(
        conversation.id,
        {
          ...newMessageOf(body, { author: senderOf(auth), contactId: conversation.contactId }),
          attachments: await this.uploads.prepare(body.attachments),
        },
        actorOf(auth),
      ),
    );
    return message;
  }

  @Patch(':message_id')
  @ApiOperation({
    summary:
      "Report a message's delivery status from your system: sent, delivered, read or failed (with external_error)",
  })
  @ApiOkResponse({ type: MessageDto })
  @ApiBody({
    type: UpdateMessageRequest,
    examples: {
      delivered: { summary: 'Delivered', value: { status: 'delivered' } },
      failed: {
        summary: 'Failed, with the reason',
        value: { status: 'failed', external_error: 'Recipient number is unreachable' },
      },
    },
  })
  @ApiProblems(400, 422)
  async update(
    @CurrentAuth() auth: AuthContext,
    @ConversationParam() conversation: ConversationRef,
    @Param('message_id', ParseBigIdPipe) messageId: number,
    @Body() body: UpdateMessageRequest,
  ) {
    await this.commands.execute(
      new UpdateMessageCommand(
        conversation.id,
        messageId,
        { status: body.status, externalError: body.external_error },
        actorOf(auth),
      ),
    );
    return this.message(conversation.id, String(messageId));
  }

  @Delete(':message_id')
  @ApiOperation({
    summary: 'Delete a message (its content is replaced; content_attributes.deleted is set)',
  })
  @ApiOkResponse({ type: MessageDto, description: 'The message as it is now' })
  @ApiProblems(400)
  async remove(
    @CurrentAuth() auth: AuthContext,
    @ConversationParam() conversation: ConversationRef,
    @Param('message_id', ParseBigIdPipe) messageId: number,
  ) {
    await this.commands.execute(
      new UpdateMessageCommand(conversation.id, messageId, { delete: true }, actorOf(auth)),
    );
    return this.message(conversation.id, String(messageId));
  }

  private async message(conversationId: number, messageId: string) {
    const [message] = await this.queries.execute(
      new ListMessagesQuery(conversationId, { messageIds: [messageId] }),
    );
    if (!message) throw new MessageNotFoundError(Number(messageId));
    return message;
  }
}
