import { attachmentResponses } from '../../attachments/index.js';
import type { AttachmentJson } from '../../attachments/index.js';
import type { Actor } from '../../common/index.js';
import { DomainEvent } from '../../outbox/index.js';
import type { StoredEvent } from '../../outbox/index.js';
import type { ConversationEventData, MessageEventData } from '../conversation.read-model.js';

export interface EventAccount {
  id: number;
  name: string;
}

export interface EventInbox {
  id: number;
  name: string;
}

/** A conversation as it stood when an event happened: what every conversation event carries. */
export interface ConversationAt {
  /** The internal id, as commands take it (`conversation.id` is the display id). */
  conversationId: number;
  conversation: ConversationEventData;
  account: EventAccount;
  inbox: EventInbox;
}

/** Splits a stored conversation or message payload into the snapshot and the rest. */
function split(stored: StoredEvent): {
  at: Omit<ConversationAt, 'conversation'>;
  rest: Record<string, unknown>;
} {
  const { account, inbox, ...rest } = stored.payload;
  return {
    at: {
      conversationId: stored.conversationId!,
      account: account as EventAccount,
      inbox: inbox as EventInbox,
    },
    rest,
  };
}

/**
 * An event about a conversation; the payload is the conversation's snapshot with the account
 * and inbox (and, in subclasses, what the event adds).
 */
export abstract class ConversationEvent extends DomainEvent {
  readonly conversationId: number;
  readonly conversation: ConversationEventData;
  readonly account: EventAccount;
  readonly inbox: EventInbox;

  constructor(at: ConversationAt, actor: Actor) {
    super(actor);
    this.conversationId = at.conversationId;
    this.conversation = at.conversation;
    this.account = at.account;
    this.inbox = at.inbox;
  }

  get accountId(): number {
    return this.account.id;
  }

  get inboxId(): number {
    return this.inbox.id;
  }

  get stream(): string {
    return `conversation:${this.conversationId}`;
  }

  toPayload(): Record<string, unknown> {
    return { ...this.conversation, account: this.account, inbox: this.inbox };
  }

  /** The snapshot of a stored payload, and the fields `extra` names (the subclass's own). */
  protected static parse(
    stored: StoredEvent,
    ...extra: string[]
  ): { at: ConversationAt; fields: Record<string, unknown> } {
    const { at, rest } = split(stored);
    const fields: Record<string, unknown> = {};
    for (const key of extra) {
      fields[key] = rest[key];
      delete rest[key];
    }
    return { at: { ...at, conversation: rest as ConversationEventData }, fields };
  }
}

/**
 * An event about a message; the payload is the message, the account and inbox, and the
 * conversation's snapshot under `conversation`.
 */
export abstract class MessageEvent extends DomainEvent {
  readonly conversationId: number;
  readonly message: MessageEventData;
  readonly conversation: ConversationEventData;
  readonly account: EventAccount;
  readonly inbox: EventInbox;

  constructor(at: ConversationAt, message: MessageEventData, actor: Actor) {
    super(actor);
    this.conversationId = at.conversationId;
    this.message = message;
    this.conversation = at.conversation;
    this.account = at.account;
    this.inbox = at.inbox;
  }

  get accountId(): number {
    return this.account.id;
  }

  get inboxId(): number {
    return this.inbox.id;
  }

  get stream(): string {
    return `conversation:${this.conversationId}`;
  }

  toPayload(): Record<string, unknown> {
    return {
      ...this.message,
      account: this.account,
      inbox: this.inbox,
      conversation: this.conversation,
    };
  }

  /** The body, with attachment URLs signed now: each delivery sends URLs valid for the full TTL. */
  override body(): Record<string, unknown> {
    const body = super.body();
    if (Array.isArray(body.attachments)) {
      body.attachments = attachmentResponses(body.attachments as AttachmentJson[]);
    }
    return body;
  }

  protected static parse(stored: StoredEvent): { at: ConversationAt; message: MessageEventData } {
    const { at, rest } = split(stored);
    const { conversation, ...message } = rest;
    return {
      at: { ...at, conversation: conversation as ConversationEventData },
      message: message as MessageEventData,
    };
  }
}
