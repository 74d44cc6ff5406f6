import type { Type } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import {
  ContactSenderDto,
  ConversationCoreDto,
  MessageEventFieldsDto,
} from '../../conversations/index.js';
import { InboxResponse } from '../../inboxes/index.js';
import { CursorMeta } from './webhook.responses.js';

/*
 * The documented bodies of webhook deliveries (and of the event feed): the event's payload as
 * recorded in the outbox, plus the envelope fields eventBody adds. One class per event, so the
 * OpenAPI `webhooks` section and receivers' code generators get one schema each.
 */

class IdName {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
}

class AccountRef {
  @ApiProperty() id: number;
}

class ContactInboxRef {
  @ApiProperty({ description: 'The contact source_id in the inbox' }) source_id: string;
  @ApiProperty() hmac_verified: boolean;
  @ApiProperty() inbox_id: number;
}

/** Added to every body by eventBody (outbox/record-event.ts). */
class Envelope {
  @ApiProperty({
    format: 'uuid',
    description: 'Same as the webhook-id header; the same on every retry of this event',
  })
  event_id: string;
  @ApiProperty({
    description:
      'Increases by 1 per event of the same conversation (or contact, inbox, webhook): a gap means a missed event',
  })
  sequence: number;
  @ApiProperty({ format: 'date-time' }) occurred_at: string;
}

/** The conversation as events carry it: a snapshot at the time of the event. */
@ApiSchema({ name: 'ConversationEventData' })
export class ConversationEventData extends ConversationCoreDto {
  @ApiProperty({ enum: ['Channel::Api'] }) channel: string;
  @ApiProperty({ type: ContactInboxRef }) contact_inbox: ContactInboxRef;
}

class ConversationEventBase extends ConversationEventData {
  @ApiProperty({ type: IdName }) account: IdName;
  @ApiProperty({ type: IdName }) inbox: IdName;
  @ApiProperty({
    format: 'uuid',
    description: 'Same as the webhook-id header; the same on every retry of this event',
  })
  event_id: string;
  @ApiProperty({
    description: 'Increases by 1 per event of the conversation: a gap means a missed event',
  })
  sequence: number;
  @ApiProperty({ format: 'date-time' }) occurred_at: string;
}

@ApiSchema({ name: 'ConversationCreatedEvent' })
export class ConversationCreatedEvent extends ConversationEventBase {
  @ApiProperty({ enum: ['conversation_created'] }) event: 'conversation_created';
}

/** Any JSON value, null included. */
const ANY_VALUE = { description: 'Any JSON value (null when unset)' };

interface AttributeChange {
  previous_value: unknown;
  current_value: unknown;
}

@ApiSchema({ name: 'ConversationUpdatedEvent' })
export class ConversationUpdatedEvent extends ConversationEventBase {
  @ApiProperty({ enum: ['conversation_updated'] }) event: 'conversation_updated';
  @ApiProperty({
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        properties: { previous_value: ANY_VALUE, current_value: ANY_VALUE },
        required: ['previous_value', 'current_value'],
      },
    },
    description:
      'One object per changed attribute (priority, labels, custom_attributes, muted, assignee_id, team_id), naming its previous and current value',
    example: [{ assignee_id: { previous_value: null, current_value: 3 } }],
  })
  changed_attributes: Record<string, AttributeChange>[];
}

@ApiSchema({ name: 'ConversationStatusChangedEvent' })
export class ConversationStatusChangedEvent extends ConversationEventBase {
  @ApiProperty({ enum: ['conversation_status_changed'] }) event: 'conversation_status_changed';
  @ApiProperty({ enum: ['open', 'pending', 'resolved', 'snoozed'] }) previous_status: string;
}

@ApiSchema({
  name: 'ConversationDeletedEvent',
  description:
    'A conversation was deleted, with its contact (DELETE /contacts/{id}) or its inbox (each conversation as the background purge removes it); the body is the conversation as it was just before.',
})
export class ConversationDeletedEvent extends ConversationEventBase {
  @ApiProperty({ enum: ['conversation_deleted'] }) event: 'conversation_deleted';
}

class ActorRef {
  @ApiProperty({ enum: ['user', 'contact', 'agent_bot', 'automation_rule', 'system'] })
  type: string;
  @ApiProperty({ nullable: true, type: Number }) id: number | null;
}

class TypingEventBase extends ConversationEventBase {
  @ApiProperty({ description: 'An agent typing a private note' }) is_private: boolean;
  @ApiProperty({ type: ActorRef, description: 'Who is typing' }) user: ActorRef;
}

@ApiSchema({ name: 'ConversationTypingOnEvent' })
export class ConversationTypingOnEvent extends TypingEventBase {
  @ApiProperty({ enum: ['conversation_typing_on'] }) event: 'conversation_typing_on';
}

@ApiSchema({ name: 'ConversationTypingOffEvent' })
export class ConversationTypingOffEvent extends TypingEventBase {
  @ApiProperty({ enum: ['conversation_typing_off'] }) event: 'conversation_typing_off';
}

class MessageEventBase extends MessageEventFieldsDto {
  @ApiProperty({ type: IdName }) account: IdName;
  @ApiProperty({ type: IdName }) inbox: IdName;
  @ApiProperty({ type: ConversationEventData }) conversation: ConversationEventData;
  @ApiProperty({
    format: 'uuid',
    description: 'Same as the webhook-id header; the same on every retry of this event',
  })
  event_id: string;
  @ApiProperty({
    description: 'Increases by 1 per event of the conversation: a gap means a missed event',
  })
  sequence: number;
  @ApiProperty({ format: 'date-time' }) occurred_at: string;
}

@ApiSchema({ name: 'MessageCreatedEvent' })
export class MessageCreatedEvent extends MessageEventBase {
  @ApiProperty({ enum: ['message_created'] }) event: 'message_created';
}

@ApiSchema({ name: 'MessageUpdatedEvent' })
export class MessageUpdatedEvent extends MessageEventBase {
  @ApiProperty({ enum: ['message_updated'] }) event: 'message_updated';
}

@ApiSchema({ name: 'MessageDeletedEvent' })
export class MessageDeletedEvent extends MessageEventBase {
  @ApiProperty({ enum: ['message_deleted'] }) event: 'message_deleted';
}

class ContactEventBase extends ContactSenderDto {
  @ApiProperty({ type: AccountRef }) account: AccountRef;
  @ApiProperty({ format: 'uuid', description: 'Same as the webhook-id header' }) event_id: string;
  @ApiProperty({ description: 'Increases by 1 per event of the contact' }) sequence: number;
  @ApiProperty({ format: 'date-time' }) occurred_at: string;
}

@ApiSchema({ name: 'ContactCreatedEvent' })
export class ContactCreatedEvent extends ContactEventBase {
  @ApiProperty({ enum: ['contact_created'] }) event: 'contact_created';
}

@ApiSchema({ name: 'ContactUpdatedEvent' })
export class ContactUpdatedEvent extends ContactEventBase {
  @ApiProperty({ enum: ['contact_updated'] }) event: 'contact_updated';
}

@ApiSchema({ name: 'ContactDeletedEvent' })
export class ContactDeletedEvent extends ContactEventBase {
  @ApiProperty({ enum: ['contact_deleted'] }) event: 'contact_deleted';
}

@ApiSchema({ name: 'ContactMergedEvent' })
export class ContactMergedEvent extends ContactEventBase {
  @ApiProperty({ enum: ['contact_merged'] }) event: 'contact_merged';
  @ApiProperty({
    type: ContactSenderDto,
    description: 'The contact merged into this one and deleted, as it was before the merge',
  })
  mergee: ContactSenderDto;
}

/** The inbox as administrators see it, without its secrets. */
class InboxEventBase extends InboxResponse {
  @ApiProperty({ type: AccountRef }) account: AccountRef;
  @ApiProperty({ format: 'uuid', description: 'Same as the webhook-id header' }) event_id: string;
  @ApiProperty({ description: 'Increases by 1 per event of the inbox' }) sequence: number;
  @ApiProperty({ format: 'date-time' }) occurred_at: string;
}

@ApiSchema({ name: 'InboxCreatedEvent' })
export class InboxCreatedEvent extends InboxEventBase {
  @ApiProperty({ enum: ['inbox_created'] }) event: 'inbox_created';
}

@ApiSchema({ name: 'InboxUpdatedEvent' })
export class InboxUpdatedEvent extends InboxEventBase {
  @ApiProperty({ enum: ['inbox_updated'] }) event: 'inbox_updated';
}

class TestedWebhook {
  @ApiProperty() id: number;
  @ApiProperty({ enum: ['account', 'inbox'] }) kind: string;
  @ApiProperty({ nullable: true, type: Number }) inbox_id: number | null;
}

@ApiSchema({ name: 'WebhookTestEvent' })
export class WebhookTestEvent extends Envelope {
  @ApiProperty({ enum: ['webhook_test'] }) event: 'webhook_test';
  @ApiProperty({ type: TestedWebhook }) webhook: TestedWebhook;
  @ApiProperty({ type: AccountRef }) account: AccountRef;
  @ApiProperty({ example: 'This is a test event from Conversa.' }) message: string;
}

/**
 * The documented body of each event of the catalogue, by name (the OpenAPI `webhooks` section
 * has one entry per registered event; one missing here is flagged by test/openapi.e2e-spec.ts).
 */
export const WEBHOOK_EVENT_BODIES: Record<string, Type<unknown>> = {
  conversation_created: ConversationCreatedEvent,
  conversation_updated: ConversationUpdatedEvent,
  conversation_status_changed: ConversationStatusChangedEvent,
  conversation_deleted: ConversationDeletedEvent,
  conversation_typing_on: ConversationTypingOnEvent,
  conversation_typing_off: ConversationTypingOffEvent,
  message_created: MessageCreatedEvent,
  message_updated: MessageUpdatedEvent,
  message_deleted: MessageDeletedEvent,
  contact_created: ContactCreatedEvent,
  contact_updated: ContactUpdatedEvent,
  contact_deleted: ContactDeletedEvent,
  contact_merged: ContactMergedEvent,
  inbox_created: InboxCreatedEvent,
  inbox_updated: InboxUpdatedEvent,
  webhook_test: WebhookTestEvent,
};

/** The event feed: the same bodies as the webhooks. */
@ApiExtraModels(...Object.values(WEBHOOK_EVENT_BODIES))
export class EventFeedAnswer {
  @ApiProperty({
    type: 'array',
    items: {
      oneOf: Object.values(WEBHOOK_EVENT_BODIES).map((body) => ({ $ref: getSchemaPath(body) })),
    },
    description: 'Oldest first; each body is what webhooks receive for the event',
  })
  payload: unknown[];
  @ApiProperty({ type: CursorMeta }) meta: CursorMeta;
}
