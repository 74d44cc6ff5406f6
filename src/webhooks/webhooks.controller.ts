import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { AccountScopedController, AdministratorsOnly, CurrentAccount } from '../accounts/index.js';
import { ApiEmptyResponse, ApiProblems, ParseIdPipe } from '../common/index.js';
import {
  DeleteWebhookCommand,
  RecoverDeliveriesCommand,
  RotateWebhookSecretCommand,
  SaveWebhookCommand,
  SendTestEventCommand,
} from './commands/webhook.commands.js';
import {
  CreateWebhookRequest,
  DeliveriesParams,
  RecoverRequest,
  UpdateWebhookRequest,
} from './dto/webhook.requests.js';
import {
  DeliveryPage,
  RecoveredAnswer,
  TestEventAnswer,
  WebhookAnswer,
  WebhookListAnswer,
} from './dto/webhook.responses.js';
import { ListDeliveriesQuery, ListWebhooksQuery } from './queries/webhook.queries.js';

type Account = { id: number };

@AdministratorsOnly()
@AccountScopedController('webhooks', 'Webhooks')
export class WebhooksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Account webhooks' })
  @ApiOkResponse({ type: WebhookListAnswer })
  @ApiProblems(403)
  async list(@CurrentAccount() account: Account) {
    return { payload: { webhooks: await this.queries.execute(new ListWebhooksQuery(account.id)) } };
  }

  @Post()
  @ApiOperation({
    summary: 'Create an account webhook',
    description:
      'Receives the subscribed events (only of inbox_id when set), signed per Standard Webhooks with `secret`. URLs that reach private, loopback or link-local addresses are refused (422 webhook_url_not_allowed).',
  })
  @ApiCreatedResponse({ type: WebhookAnswer })
  @ApiBody({
    type: CreateWebhookRequest,
    examples: {
      account: {
        summary: 'Conversation and message events of the whole account',
        value: {
          url: 'https://example.com/conversa/webhook',
          name: 'CRM sync',
          subscriptions: ['conversation_created', 'message_created'],
        },
      },
      oneInbox: {
        summary: 'Only the events of one inbox',
        value: {
          url: 'https://example.com/hooks/support',
          subscriptions: ['message_created', 'conversation_status_changed'],
          inbox_id: 1,
        },
      },
    },
  })
  @ApiProblems(403, 404, 422)
  async create(@CurrentAccount() account: Account, @Body() body: CreateWebhookRequest) {
    const { id } = await this.commands.execute(
      new SaveWebhookCommand(account.id, null, {
        url: body.url,
        name: body.name,
        subscriptions: body.subscriptions,
        inboxId: body.inbox_id,
      }),
    );
    return this.one(account.id, id);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One account webhook, with whether it is enabled, and when and why it was disabled',
  })
  @ApiOkResponse({ type: WebhookAnswer })
  @ApiProblems(400, 403, 404)
  show(@CurrentAccount() account: Account, @Param('id', ParseIdPipe) id: number) {
    return this.one(account.id, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Update a webhook; `enabled: true` re-enables a disabled one' })
  @ApiOkResponse({ type: WebhookAnswer })
  @ApiBody({
    type: UpdateWebhookRequest,
    examples: {
      reenable: { summary: 'Re-enable a disabled webhook', value: { enabled: true } },
      url: { summary: 'A new URL', value: { url: 'https://example.com/conversa/v2' } },
    },
  })
  @ApiProblems(400, 403, 404, 422)
  async update(
    @CurrentAccount() account: Account,
    @Param('id', ParseIdPipe) id: number,
    @Body() body: UpdateWebhookRequest,
  ) {
    await this.commands.execute(
      new SaveWebhookCommand(account.id, id, {
        url: body.url,
        name: body.name,
        subscriptions: body.subscriptions,
        inboxId: body.inbox_id,
        enabled: body.enabled,
      }),
    );
    return this.one(account.id, id);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a webhook (its pending deliveries are dropped)' })
  @ApiEmptyResponse('Deleted')
  @ApiProblems(400, 403, 404)
  async remove(
    @CurrentAccount() account: Account,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<void> {
    await this.commands.execute(new DeleteWebhookCommand(account.id, id));
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Deliveries of this webhook, newest first (cursor, status, limit)' })
  @ApiOkResponse({ type: DeliveryPage })
  @ApiProblems(400, 403, 404, 422)
  deliveries(
    @CurrentAccount() account: Account,
    @Param('id', ParseIdPipe) id: number,
    @Query() query: DeliveriesParams,
  ) {
    return this.queries.execute(
      new ListDeliveriesQuery(
        { accountId: account.id, webhookId: id },
        { cursor: query.cursor, status: query.status, limit: query.limit ?? 50 },
      ),
    );
  }

  @Post(':id/recover')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send again every failed delivery created since `since`',
    description:
      'Also sends the events since `since` that the webhook never got a delivery for, such as those that happened while it was disabled (never events from before it existed). `recovered` counts both.',
  })
  @ApiOkResponse({ type: RecoveredAnswer })
  @ApiBody({
    type: RecoverRequest,
    examples: { sinceTime: { summary: 'Since a time', value: { since: '2026-01-01T00:00:00Z' } } },
  })
  @ApiProblems(400, 403, 404, 422)
  async recover(
    @CurrentAccount() account: Account,
    @Param('id', ParseIdPipe) id: number,
    @Body() body: RecoverRequest,
  ) {
    const { count } = await this.commands.execute(
      new RecoverDeliveriesCommand({ accountId: account.id, webhookId: id }, new Date(body.since)),
    );
    return { recovered: count };
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a webhook_test event to this webhook only' })
  @ApiAcceptedResponse({ type: TestEventAnswer })
  @ApiProblems(400, 403, 404)
  async test(@CurrentAccount() account: Account, @Param('id', ParseIdPipe) id: number) {
    const { deliveryId } = await this.commands.execute(
      new SendTestEventCommand({ accountId: account.id, webhookId: id }),
    );
    return { delivery_id: Number(deliveryId) };
  }

  @Post(':id/rotate_secret')
  @HttpCode(200)
  @ApiOperation({
    summary: 'New signing secret',
    description:
      'During WEBHOOK_SECRET_OVERLAP_MS (24 h) both signatures are sent, so receivers can switch without losing events.',
  })
  @ApiOkResponse({ type: WebhookAnswer })
  @ApiProblems(400, 403, 404)
  async rotate(@CurrentAccount() account: Account, @Param('id', ParseIdPipe) id: number) {
    await this.commands.execute(
      new RotateWebhookSecretCommand({ accountId: account.id, webhookId: id }),
    );
    return this.one(account.id, id);
  }

  private async one(accountId: number, id: number) {
    const [webhook] = await this.queries.execute(new ListWebhooksQuery(accountId, id));
    return { payload: { webhook } };
  }
}
