import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Environment } from '../config/index.js';
import {
  DeleteWebhookHandler,
  RecoverDeliveriesHandler,
  RedeliverHandler,
  RotateWebhookSecretHandler,
  SaveWebhookHandler,
  SendTestEventHandler,
  SetEndpointEnabledHandler,
  SetInboxWebhookHandler,
} from './commands/webhook.handlers.js';
import { InProcessReceivers } from './agent-bot-endpoints.js';
import { DeliveryDispatcher } from './delivery-dispatcher.service.js';
import { DeliveryOutcomes } from './delivery-outcomes.service.js';
import { DeliveryScheduler } from './delivery-scheduler.service.js';
import { DeliverySweeper } from './delivery-sweeper.service.js';
import { DeliveryService } from './delivery.service.js';
import { Endpoints } from './endpoints.service.js';
import { WebhookAttempt } from './entities/webhook-attempt.entity.js';
import { WebhookDeliveryLease } from './entities/webhook-delivery-lease.entity.js';
import { WebhookDelivery } from './entities/webhook-delivery.entity.js';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity.js';
import { WebhookStreamHead } from './entities/webhook-stream-head.entity.js';
import { EventRetention } from './event-retention.service.js';
import { EventsController } from './events.controller.js';
import { DispatchOnRecordedEvent } from './handlers/dispatch-on-recorded-event.handler.js';
import { WakeHurriedEndpoint } from './handlers/wake-hurried-endpoint.handler.js';
import {
  GetDeliveryHandler,
  GetEndpointHandler,
  InboxWebhooksHandler,
  ListDeliveriesHandler,
  ListWebhooksHandler,
  ReadEventsHandler,
  WebhookBacklogHandler,
} from './queries/webhook.handlers.js';
import { WebhookDeliveriesController } from './webhook-deliveries.controller.js';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor.js';
import { WebhooksController } from './webhooks.controller.js';
import { DELIVERY_QUEUE } from './webhooks.constants.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      WebhookEndpoint,
      WebhookDelivery,
      WebhookAttempt,
      WebhookStreamHead,
      WebhookDeliveryLease,
    ]),
    BullModule.registerQueue({ name: DELIVERY_QUEUE }),
  ],
  controllers: [WebhooksController, WebhookDeliveriesController, EventsController],
  providers: [
    Endpoints,
    InProcessReceivers,
    DeliveryScheduler,
    DeliveryDispatcher,
    DeliveryService,
    DeliveryOutcomes,
    DeliverySweeper,
    EventRetention,
    {
      // Only a process that delivers (PROCESS_ROLE worker or both) consumes the queue: Bull
      // registers the @Processor of each provider instance, and an API process has none.
      provide: WebhookDeliveryProcessor,
      useFactory: (
        deliveries: DeliveryService,
        scheduler: DeliveryScheduler,
        config: ConfigService<Environment, true>,
      ) =>
        config.get('PROCESS_ROLE', { infer: true }) === 'api'
          ? null
          : new WebhookDeliveryProcessor(deliveries, scheduler),
      inject: [DeliveryService, DeliveryScheduler, ConfigService],
    },
    DispatchOnRecordedEvent,
    WakeHurriedEndpoint,
    SaveWebhookHandler,
    SetInboxWebhookHandler,
    DeleteWebhookHandler,
    SetEndpointEnabledHandler,
    RotateWebhookSecretHandler,
    RecoverDeliveriesHandler,
    RedeliverHandler,
    SendTestEventHandler,
    ListWebhooksHandler,
    GetEndpointHandler,
    InboxWebhooksHandler,
    ListDeliveriesHandler,
    GetDeliveryHandler,
    ReadEventsHandler,
    WebhookBacklogHandler,
  ],
  exports: [InProcessReceivers],
})
export class WebhooksModule {}
