import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { RECORDED_EVENT_CLASSES, RecordedEvent } from '../../outbox/index.js';
import { DeliveryDispatcher } from '../delivery-dispatcher.service.js';

/** The fast path: right after a write commits, turn its events into deliveries. */
@EventsHandler(...RECORDED_EVENT_CLASSES)
export class DispatchOnRecordedEvent implements IEventHandler<RecordedEvent> {
  constructor(private readonly dispatcher: DeliveryDispatcher) {}

  handle(): Promise<void> {
    return this.dispatcher.dispatch();
  }
}
