// The event outbox and the one write path: command handlers write through the UnitOfWork, which
// records their events in the transaction and publishes them after commit. Events are typed
// classes owned by their modules, registered here by name (@OutboxEvent).
export { OutboxModule } from './outbox.module.js';
export { UnitOfWork } from './unit-of-work.js';
export type { RunOptions, Transaction, Work } from './unit-of-work.js';
export {
  DomainEvent,
  eventNameOf,
  eventNames,
  loadEvent,
  OutboxEvent,
  subscribableEventNames,
  UnregisteredEvent,
} from './domain-event.js';
export type { EventClass, EventMetadata, OutboxEventOptions, StoredEvent } from './domain-event.js';
export {
  deleteEventsBefore,
  dispatchEvents,
  markDispatched,
  readFeed,
  readSettledEvents,
  toStoredEvent,
} from './record-event.js';
export type { EventRow, FeedFilter, ProjectionPosition, SettledEvent } from './record-event.js';
// SQL for other modules' statements that read this module's tables (one statement, one owner).
export { OutboxSql } from './outbox-sql.js';
