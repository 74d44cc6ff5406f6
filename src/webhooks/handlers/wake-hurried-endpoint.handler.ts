import { Logger } from '@nestjs/common';
import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { DeliveryScheduler } from '../delivery-scheduler.service.js';
import { EndpointHurriedEvent } from '../events/endpoint-hurried.event.js';

/** Wakes an endpoint whose waiting deliveries were made due (if Redis is down, the relay will). */
@EventsHandler(EndpointHurriedEvent)
export class WakeHurriedEndpoint implements IEventHandler<EndpointHurriedEvent> {
  private readonly logger = new Logger(WakeHurriedEndpoint.name);

  constructor(private readonly scheduler: DeliveryScheduler) {}

  async handle({ endpointId }: EndpointHurriedEvent): Promise<void> {
    await this.scheduler
      .wake([endpointId], `u${Date.now()}`)
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, 'Could not wake a webhook endpoint; the relay will'),
      );
  }
}
