import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  getSchemaPath,
} from '@nestjs/swagger';
import { AccountScopedController, AdministratorsOnly, CurrentAccount } from '../accounts/index.js';
import { ApiEmptyResponse, ApiProblems, BodyWrapper, ParseIdPipe } from '../common/index.js';
import {
  DeleteWebhookCommand,
  RecoverDeliveriesCommand,
  RotateWebhookSecretCommand,
  SaveWebhookCommand,
  SendTestEventCommand,
  SetEndpointEnabledCommand,
} from './commands/webhook.commands.js';
import type { EndpointRef } from './commands/webhook.commands.js';
import {
  CreateWebhookRequest,
  DeliveriesParams,
  EndpointStateRequest,
  RecoverRequest,
  UpdateWebhookRequest,
} from './dto/webhook.requests.js';
import {
  DeliveryPage,
  InboxWebhookResponse,
  RecoveredAnswer,
  TestEventAnswer,
  toInboxWebhookView,
  WebhookAnswer,
  WebhookListAnswer,
} from './dto/webhook.responses.js';
import { Endpoint, EndpointAction } from './endpoint.decorators.js';
import { DEFAULT_SUBSCRIPTIONS } from './webhooks.constants.js';
import {
  GetEndpointQuery,
  ListDeliveriesQuery,
  ListWebhooksQuery,
} from './queries/webhook.queries.js';

type Account = { id: number };

const RECOVER_EXAMPLES = {
  sinceTime: { summary: 'Since a time', value: { since: '2026-01-01T00:00:00Z' } },
};

/**
 * Every endpoint: account webhooks (`/webhooks`, `/webhooks/{id}`) and each API inbox's own
 * webhook (`/inboxes/{id}/webhook`, whose URL is the inbox's `webhook_url`). The actions both
 * kinds have are one method each, served at both addresses (EndpointAction).
 */
@AdministratorsOnly()
@ApiExtraModels(WebhookAnswer, InboxWebhookResponse)
@AccountScopedController('', 'Webhooks')
export class WebhooksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('webhooks')
  @ApiOperation({ summary: 'Account webhooks' })
  @ApiOkResponse({ type: WebhookListAnswer })
  @ApiProblems(403)
  async list(@CurrentAccount() account: Account) {
    return { payload: { webhooks: await this.queries.execute(new ListWebhooksQuery(account.id)) } };
  }

  @Post('webhooks')
  @BodyWrapper('webhook')
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
      chatwoot: {
        summary: "Without subscriptions: Chatwoot's default events",
        value: { url: 'https://example.com/conversa/webhook' },
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
        subscriptions: body.subscriptions ?? [...DEFAULT_SUBSCRIPTIONS],
        inboxId: body.inbox_id,
      }),
    );
    return this.present({ accountId: account.id, webhookId: id });
  }

  @Get('webhooks/:id')
  @ApiOperation({
    summary: 'One account webhook, with whether it is enabled, and when and why it was disabled',
  })
  @ApiOkResponse({ type: WebhookAnswer })
  @ApiProblems(400, 403, 404)
  show(@CurrentAccount() account: Account, @Param('id', ParseIdPipe) id: number) {
    return this.present({ accountId: account.id, webhookId: id });
  }

  @Get('inboxes/:id/webhook')
  @ApiOperation({ summary: 'The inbox webhook: URL, secret, and whether it is enabled or failing' })
  @ApiOkResponse({ type: InboxWebhookResponse })
  @ApiProblems(400, 403, 404, 422)
  showInboxWebhook(@CurrentAccount() account: Account, @Param('id', ParseIdPipe) id: number) {
    return this.present({ accountId: account.id, inboxId: id });
  }

  @Patch('webhooks/:id')
  @BodyWrapper('webhook')
  @ApiOperation({
    summary: 'Update a webhook; `enabled: true` re-enables a disabled one',
    description:
      'A new `url` or re-enabling makes deliveries waiting for a retry due at once (a fixed receiver does not wait out the backoff).',
  })
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
    return this.present({ accountId: account.id, webhookId: id });
  }

  @Patch('inboxes/:id/webhook')
  @ApiOperation({
    summary: '`enabled: true` re-enables a disabled inbox webhook',
    description:
      "Re-enabling makes deliveries waiting for a retry due at once. The URL is the inbox's `webhook_url` (PATCH /inboxes/{id}).",
  })
  @ApiOkResponse({ type: InboxWebhookResponse })
  @ApiBody({
    type: EndpointStateRequest,
    examples: { reenable: { summary: 'Re-enable it', value: { enabled: true } } },
  })
  @ApiProblems(400, 403, 404, 422)
  async updateInboxWebhook(
    @CurrentAccount() account: Account,
    @Param('id', ParseIdPipe) id: number,
    @Body() body: EndpointStateRequest,
  ) {
    const endpoint = { accountId: account.id, inboxId: id };
    await this.commands.execute(new SetEndpointEnabledCommand(endpoint, body.enabled));
    return this.present(endpoint);
  }

  @Delete('webhooks/:id')
  @ApiOperation({ summary: 'Delete a webhook (its pending deliveries are dropped)' })
  @ApiEmptyResponse('Deleted')
  @ApiProblems(400, 403, 404)
  async remove(
    @CurrentAccount() account: Account,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<void> {
    await this.commands.execute(new DeleteWebhookCommand(account.id, id));
  }

  @EndpointAction('GET', 'deliveries')
  @ApiOperation({ summary: 'Deliveries of this webhook, newest first (cursor, status, limit)' })
  @ApiOkResponse({ type: DeliveryPage })
  @ApiProblems(400, 403, 404, 422)
  deliveries(@Endpoint() endpoint: EndpointRef, @Query() query: DeliveriesParams) {
    return this.queries.execute(
      new ListDeliveriesQuery(endpoint, {
        cursor: query.cursor,
        status: query.status,
        limit: query.limit ?? 50,
      }),
    );
  }

  @EndpointAction('POST', 'recover')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send again every failed delivery created since `since`',
    description:
      'Also sends the events since `since` that the webhook never got a delivery for, such as those that happened while it was disabled (never events from before it existed). `recovered` counts both.',
  })
  @ApiOkResponse({ type: RecoveredAnswer })
  @ApiBody({ type: RecoverRequest, examples: RECOVER_EXAMPLES })
  @ApiProblems(400, 403, 404, 422)
  async recover(@Endpoint() endpoint: EndpointRef, @Body() body: RecoverRequest) {
    const { count } = await this.commands.execute(
      new RecoverDeliveriesCommand(endpoint, new Date(body.since)),
    );
    return { recovered: count };
  }

  @EndpointAction('POST', 'test')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a webhook_test event to this webhook only',
    description: 'Deliveries waiting for a retry are made due at once as well.',
  })
  @ApiAcceptedResponse({ type: TestEventAnswer })
  @ApiProblems(400, 403, 404, 422)
  async test(@Endpoint() endpoint: EndpointRef) {
    const { deliveryId } = await this.commands.execute(new SendTestEventCommand(endpoint));
    return { delivery_id: Number(deliveryId) };
  }

  @EndpointAction('POST', 'rotate_secret')
  @HttpCode(200)
  @ApiOperation({
    summary: 'New signing secret',
    description:
      'During WEBHOOK_SECRET_OVERLAP_MS (24 h) both signatures are sent, so receivers can switch without losing events. Answers with the webhook as GET shows it.',
  })
  // One method serves both addresses, so the answer is documented as either shape.
  @ApiOkResponse({
    description: '{ payload: { webhook } }; under /inboxes/{id}/webhook, the inbox webhook',
    schema: {
      oneOf: [
        { $ref: getSchemaPath(WebhookAnswer) },
        { $ref: getSchemaPath(InboxWebhookResponse) },
      ],
    },
  })
  @ApiProblems(400, 403, 404, 422)
  async rotate(@Endpoint() endpoint: EndpointRef) {
    await this.commands.execute(new RotateWebhookSecretCommand(endpoint));
    return this.present(endpoint);
  }

  /** An endpoint as its own GET shows it. */
  private async present(endpoint: EndpointRef) {
    if ('inboxId' in endpoint)
      return toInboxWebhookView(await this.queries.execute(new GetEndpointQuery(endpoint)));
    const [webhook] = await this.queries.execute(
      new ListWebhooksQuery(endpoint.accountId, endpoint.webhookId),
    );
    return { payload: { webhook } };
  }
}
