// The event outbox: record events in a write's transaction, publish them after commit.
export { OutboxModule } from './outbox.module.js';
export { EventPublisher } from './event-publisher.service.js';
export {
  deleteEventsBefore,
  dispatchEvents,
  eventBody,
  markDispatched,
  readFeed,
  recordEvent,
  toEventRecord,
} from './record-event.js';
export type { EventRow, FeedFilter, NewEvent } from './record-event.js';
export { EVENT_NAMES, RecordedEvent } from './events/recorded.event.js';
export type { EventName, EventRecord } from './events/recorded.event.js';
export * from './events/catalogue.js';
