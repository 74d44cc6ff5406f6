import type { Actor } from '../common/index.js';

/** What the outbox assigned when it stored an event: where it sits, in what order, when. */
export interface EventMetadata {
  /** Outbox row id: a global, increasing cursor. */
  id: string;
  /** The webhook-id receivers deduplicate by. */
  eventId: string;
  name: string;
  accountId: number;
  inboxId: number | null;
  conversationId: number | null;
  /** `conversation:<id>`, `contact:<id>`, `inbox:<id>`...; sequence counts within it. */
  stream: string;
  sequence: number;
  actor: Actor;
  occurredAt: Date;
}

/** A stored event: its metadata and its payload as the outbox row holds it. */
export interface StoredEvent extends EventMetadata {
  payload: Record<string, unknown>;
}

/**
 * Base of every event stored in the outbox, delivered by webhook and served by the event feed.
 * A subclass is a typed class in the `events/` folder of the module that raises it, registered
 * by name with `@OutboxEvent('name')`; it says where it belongs (account, inbox, conversation,
 * stream), how it serialises (`toPayload`, the webhook body without the envelope) and how a
 * stored payload becomes the event again (static `fromStored`). Published on the EventBus after
 * its transaction committed, with `meta` (event_id, sequence, occurredAt...) set.
 */
export abstract class DomainEvent {
  abstract readonly accountId: number;
  abstract readonly inboxId: number | null;
  abstract readonly conversationId: number | null;
  abstract readonly stream: string;
  private metadata?: EventMetadata;
  /** Set when the event was loaded from a row: the body keeps the row's key order. */
  private loaded = false;

  constructor(readonly actor: Actor) {}

  /** The name in the catalogue: the webhook's `event` and the subscription name. */
  get name(): string {
    return eventNameOf(this.constructor as EventClass);
  }

  /** The stored record's metadata; there once the event was recorded (always, for handlers). */
  get meta(): EventMetadata {
    if (!this.metadata) throw new Error(`${this.name} has not been recorded in the outbox`);
    return this.metadata;
  }

  get recorded(): boolean {
    return this.metadata !== undefined;
  }

  /** The webhook body without event, event_id, sequence and occurred_at. */
  abstract toPayload(): Record<string, unknown>;

  /** The webhook and event-feed body. */
  body(): Record<string, unknown> {
    const meta = this.meta;
    const payload = this.toPayload();
    return {
      ...(this.loaded ? inJsonbOrder(payload) : payload),
      event: this.name,
      event_id: meta.eventId,
      sequence: meta.sequence,
      occurred_at: meta.occurredAt.toISOString(),
    };
  }

  /** Attaches what the outbox assigned; used by the outbox only. */
  withMetadata(metadata: EventMetadata, loaded = false): this {
    this.metadata = metadata;
    this.loaded = loaded;
    return this;
  }
}

/**
 * PostgreSQL returns a jsonb object's keys shortest first, then bytewise; bodies of stored events
 * have always been sent in that order, so a loaded event's top-level keys keep it (signatures are
 * over the exact bytes). Nested objects come from the row already in that order.
 */
function inJsonbOrder(payload: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(payload).sort((a, b) =>
    a.length !== b.length ? a.length - b.length : Buffer.compare(Buffer.from(a), Buffer.from(b)),
  );
  const ordered: Record<string, unknown> = {};
  for (const key of keys) if (payload[key] !== undefined) ordered[key] = payload[key];
  return ordered;
}

/** A registered event class: constructible by its producers, loadable from a stored row. */
export interface EventClass<E extends DomainEvent = DomainEvent> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  new (...args: any[]): E;
  fromStored(stored: StoredEvent): E;
}

export interface OutboxEventOptions {
  /** Account webhooks may subscribe to it (default true; false for e.g. a test ping). */
  subscribable?: boolean;
}

const classes = new Map<string, EventClass>();
const names = new Map<EventClass, string>();
/** Live lists: they grow as modules load and register their events. */
const allNames: string[] = [];
const subscribable: string[] = [];

/**
 * Registers an event class under its name (an open catalogue: each module registers its own).
 *
 * @example
 * \@OutboxEvent('message_created')
 * export class MessageCreatedEvent extends MessageEvent { ... }
 */
export function OutboxEvent(name: string, options: OutboxEventOptions = {}) {
  return (target: EventClass): void => {
    const taken = classes.get(name);
    if (taken && taken !== target)
      throw new Error(`Event name "${name}" is already registered by ${taken.name}`);
    classes.set(name, target);
    names.set(target, name);
    if (!allNames.includes(name)) allNames.push(name);
    if (options.subscribable !== false && !subscribable.includes(name)) subscribable.push(name);
  };
}

export function eventNameOf(type: EventClass): string {
  const name = names.get(type);
  if (!name) throw new Error(`${type.name} is not registered: decorate it with @OutboxEvent`);
  return name;
}

/** Every registered event name (a live list). */
export function eventNames(): readonly string[] {
  return allNames;
}

/** The names account webhooks may subscribe to (a live list). */
export function subscribableEventNames(): readonly string[] {
  return subscribable;
}

/**
 * The typed event for a stored row, through the registry; metadata attached. A name no module
 * registers (any more) loads as an UnregisteredEvent, whose body is the stored one, so rows
 * already stored keep delivering.
 */
export function loadEvent(stored: StoredEvent): DomainEvent {
  const type = classes.get(stored.name);
  const event = type ? type.fromStored(stored) : new UnregisteredEvent(stored);
  const { payload: _payload, ...metadata } = stored;
  return event.withMetadata(metadata, true);
}

/** A stored event whose name no loaded module registers: kept as stored. */
export class UnregisteredEvent extends DomainEvent {
  readonly accountId: number;
  readonly inboxId: number | null;
  readonly conversationId: number | null;
  readonly stream: string;
  readonly payload: Record<string, unknown>;
  private readonly storedName: string;

  constructor(stored: StoredEvent) {
    super(stored.actor);
    this.accountId = stored.accountId;
    this.inboxId = stored.inboxId;
    this.conversationId = stored.conversationId;
    this.stream = stored.stream;
    this.payload = stored.payload;
    this.storedName = stored.name;
  }

  override get name(): string {
    return this.storedName;
  }

  toPayload(): Record<string, unknown> {
    return this.payload;
  }
}
