import { Injectable } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { faultPoint } from '../common/index.js';
import { busEventOf } from './events/catalogue.js';
import type { EventRecord } from './events/recorded.event.js';

/**
 * Publishes committed records on the EventBus. Call it only after the transaction that
 * recorded them committed; what must happen anyway (webhooks) is driven from the outbox too.
 */
@Injectable()
export class EventPublisher {
  constructor(private readonly bus: EventBus) {}

  publish(records: EventRecord[]): void {
    faultPoint('crash_after_commit');
    if (records.length > 0) this.bus.publishAll(records.map(busEventOf));
  }
}
