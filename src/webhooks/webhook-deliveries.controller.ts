import { Get, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AccountScopedController, AdministratorsOnly, CurrentAccount } from '../accounts/index.js';
import { ApiProblems, ParseBigIdPipe } from '../common/index.js';
import { RedeliverCommand } from './commands/webhook.commands.js';
import { DeliveryResponse } from './dto/webhook.responses.js';
import { GetDeliveryQuery } from './queries/webhook.queries.js';

@AdministratorsOnly()
@AccountScopedController('webhook_deliveries', 'Webhooks')
export class WebhookDeliveriesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get(':id')
  @ApiOperation({
    summary: 'One delivery with every attempt (time, status code, duration, answer excerpt, error)',
  })
  @ApiOkResponse({ type: DeliveryResponse })
  @ApiProblems(400, 403, 404)
  show(@CurrentAccount() account: { id: number }, @Param('id', ParseBigIdPipe) id: number) {
    return this.queries.execute(new GetDeliveryQuery(account.id, String(id)));
  }

  @Post(':id/redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send this delivery again (same webhook-id)' })
  @ApiAcceptedResponse({ type: DeliveryResponse })
  @ApiProblems(400, 403, 404)
  async redeliver(
    @CurrentAccount() account: { id: number },
    @Param('id', ParseBigIdPipe) id: number,
  ) {
    await this.commands.execute(new RedeliverCommand(account.id, String(id)));
    return this.queries.execute(new GetDeliveryQuery(account.id, String(id)));
  }
}
