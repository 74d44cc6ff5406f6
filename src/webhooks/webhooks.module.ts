import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  DeleteWebhookHandler,
  RecoverDeliveriesHandler,
  RedeliverHandler,
  RotateWebhookSecretHandler,
  SaveWebhookHandler,
  SendTestEventHandler,
  SetEndpointEnabledHandler,
} from './commands/webhook.handlers.js';
import { DeliveryDispatcher } from './delivery-dispatcher.service.js';
import { DeliveryRelay } from './delivery-relay.service.js';
import { DeliveryScheduler } from './delivery-scheduler.service.js';
import { DeliveryService } from './delivery.service.js';
import { Endpoints } from './endpoints.service.js';
import { WebhookAttempt } from './entities/webhook-attempt.entity.js';
import { WebhookDelivery } from './entities/webhook-delivery.entity.js';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity.js';
import { EventsController } from './events.controller.js';
import { DispatchOnRecordedEvent } from './handlers/dispatch-on-recorded-event.handler.js';
import { InboxWebhookController } from './inbox-webhook.controller.js';
import {
  GetDeliveryHandler,
  GetEndpointHandler,
  ListDeliveriesHandler,
  ListWebhooksHandler,
  ReadEventsHandler,
  WebhookBacklogHandler,
} from './queries/webhook.handlers.js';
import { WebhookDeliveriesController } from './webhook-deliveries.controller.js';
import { WebhooksController } from './webhooks.controller.js';
import { DELIVERY_QUEUE } from './webhooks.constants.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([WebhookEndpoint, WebhookDelivery, WebhookAttempt]),
    BullModule.registerQueue({ name: DELIVERY_QUEUE }),
  ],
  controllers: [
    WebhooksController,
    WebhookDeliveriesController,
    InboxWebhookController,
    EventsController,
  ],
  providers: [
    Endpoints,
    DeliveryScheduler,
    DeliveryDispatcher,
    DeliveryService,
    DeliveryRelay,
    DispatchOnRecordedEvent,
    SaveWebhookHandler,
    DeleteWebhookHandler,
    SetEndpointEnabledHandler,
    RotateWebhookSecretHandler,
    RecoverDeliveriesHandler,
    RedeliverHandler,
    SendTestEventHandler,
    ListWebhooksHandler,
    GetEndpointHandler,
    ListDeliveriesHandler,
    GetDeliveryHandler,
    ReadEventsHandler,
    WebhookBacklogHandler,
  ],
})
export class WebhooksModule {}
