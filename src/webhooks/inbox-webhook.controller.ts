import { Body, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AccountScopedController, AdministratorsOnly, CurrentAccount } from '../accounts/index.js';
import { ApiProblems, ParseIdPipe } from '../common/index.js';
import { FindInboxQuery } from '../inboxes/index.js';
import {
  RecoverDeliveriesCommand,
  RotateWebhookSecretCommand,
  SendTestEventCommand,
  SetEndpointEnabledCommand,
} from './commands/webhook.commands.js';
import { DeliveriesParams, EndpointStateRequest, RecoverRequest } from './dto/webhook.requests.js';
import {
  DeliveryPage,
  endpointState,
  InboxWebhookResponse,
  RecoveredAnswer,
  TestEventAnswer,
} from './dto/webhook.responses.js';
import { GetEndpointQuery, ListDeliveriesQuery } from './queries/webhook.queries.js';

type Account = { id: number };

/** The same controls as account webhooks, for an API inbox's own webhook_url. */
@AdministratorsOnly()
@AccountScopedController('inboxes/:id/webhook', 'Webhooks')
export class InboxWebhookController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The inbox webhook: URL, secret, and whether it is enabled or failing' })
  @ApiOkResponse({ type: InboxWebhookResponse })
  @ApiProblems(400, 403, 404, 422)
  show(@CurrentAccount() account: Account, @Param('id', ParseIdPipe) id: number) {
    return this.view(account.id, id);
  }

  @Patch()
  @ApiOperation({ summary: '`enabled: true` re-enables a disabled inbox webhook' })
  @ApiOkResponse({ type: InboxWebhookResponse })
  @ApiBody({
    type: EndpointStateRequest,
    examples: { reenable: { summary: 'Re-enable it', value: { enabled: true } } },
  })
  @ApiProblems(400, 403, 404, 422)
  async update(
    @CurrentAccount() account: Account,
    @Param('id', ParseIdPipe) id: number,
    @Body() body: EndpointStateRequest,
  ) {
    await this.commands.execute(
      new SetEndpointEnabledCommand({ accountId: account.id, inboxId: id }, body.enabled),
    );
    return this.view(account.id, id);
  }

  @Get('deliveries')
  @ApiOperation({ summary: 'Deliveries of the inbox webhook, newest first' })
  @ApiOkResponse({ type: DeliveryPage })
  @ApiProblems(400, 403, 404, 422)
  deliveries(
    @CurrentAccount() account: Account,
    @Param('id', ParseIdPipe) id: number,
    @Query() query: DeliveriesParams,
  ) {
    return this.queries.execute(
      new ListDeliveriesQuery(
        { accountId: account.id, inboxId: id },
        { cursor: query.cursor, status: query.status, limit: query.limit ?? 50 },
      ),
    );
  }

  @Post('recover')
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
      new RecoverDeliveriesCommand({ accountId: account.id, inboxId: id }, new Date(body.since)),
    );
    return { recovered: count };
  }

  @Post('test')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a webhook_test event to the inbox webhook' })
  @ApiAcceptedResponse({ type: TestEventAnswer })
  @ApiProblems(400, 403, 404, 422)
  async test(@CurrentAccount() account: Account, @Param('id', ParseIdPipe) id: number) {
    const { deliveryId } = await this.commands.execute(
      new SendTestEventCommand({ accountId: account.id, inboxId: id }),
    );
    return { delivery_id: Number(deliveryId) };
  }

  @Post('rotate_secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'New signing secret; both signatures are sent during the overlap' })
  @ApiOkResponse({ type: InboxWebhookResponse })
  @ApiProblems(400, 403, 404, 422)
  async rotate(@CurrentAccount() account: Account, @Param('id', ParseIdPipe) id: number) {
    await this.commands.execute(
      new RotateWebhookSecretCommand({ accountId: account.id, inboxId: id }),
    );
    return this.view(account.id, id);
  }

  private async view(accountId: number, inboxId: number) {
    const endpoint = await this.queries.execute(new GetEndpointQuery({ accountId, inboxId }));
    const inbox = await this.queries.execute(new FindInboxQuery({ accountId, inboxId }));
    return {
      inbox_id: inboxId,
      url: inbox.webhookUrl,
      secret: inbox.webhookSecrets[0],
      previous_secret_active: inbox.webhookSecrets.length > 1,
      ...endpointState(endpoint),
    };
  }
}
