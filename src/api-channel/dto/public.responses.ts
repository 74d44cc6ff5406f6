import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { PublicContactResponse } from '../../contacts/index.js';
import type { ContactInboxRef, ContactResponse } from '../../contacts/index.js';
import type { InboxRef } from '../../inboxes/index.js';

export function toPublicInbox(inbox: InboxRef) {
  return {
    identifier: inbox.identifier,
    name: inbox.name,
    identity_validation_enabled: inbox.hmacMandatory,
    timezone: inbox.timezone,
    working_hours_enabled: inbox.workingHoursEnabled,
    working_hours: inbox.workingHours as unknown[],
    csat_survey_enabled: inbox.csatSurveyEnabled,
    greeting_enabled: inbox.greetingEnabled,
    greeting_message: inbox.greetingMessage,
  };
}

/** What an unverified caller sent about the contact: all it may be shown of it. */
export type SentContactFields = Partial<
  Record<'name' | 'email' | 'phone_number' | 'identifier', string> & {
    custom_attributes: Record<string, unknown>;
  }
>;

/**
 * The contact on the Client API. Through a source_id linked by an unverified email or phone
 * match, the contact's stored attributes are never shown: only its ids, and `sent` (what the
 * caller itself sent in this request; null and {} otherwise).
 */
export function toPublicContact(ref: ContactInboxRef, sent: SentContactFields = {}) {
  if (ref.unverifiedMatch) {
    return {
      id: ref.contactId,
      source_id: ref.sourceId,
      pubsub_token: ref.pubsubToken,
      name: sent.name ?? null,
      email: sent.email ?? null,
      phone_number: sent.phone_number ?? null,
      identifier: sent.identifier ?? null,
      custom_attributes: sent.custom_attributes ?? {},
    };
  }
  return {
    id: ref.contactId,
    source_id: ref.sourceId,
    pubsub_token: ref.pubsubToken,
    name: ref.contact.name,
    email: ref.contact.email,
    phone_number: ref.contact.phone_number,
    identifier: ref.contact.identifier,
    custom_attributes: ref.contact.custom_attributes,
  };
}

/**
 * The answer to a contact update on the Client API: the public contact plus, as Chatwoot's
 * raw contact has them, its additional attributes, blocked flag and times.
 */
export class PublicContactUpdatedResponse extends PublicContactResponse {
  @ApiProperty({ type: Object }) additional_attributes: Record<string, unknown>;
  @ApiProperty() blocked: boolean;
  @ApiProperty() account_id: number;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  last_activity_at: string | null;
}

export function toUpdatedPublicContact(
  ref: ContactInboxRef,
  accountId: number,
  contact: ContactResponse,
): PublicContactUpdatedResponse {
  return {
    ...toPublicContact(ref),
    additional_attributes: contact.additional_attributes,
    blocked: contact.blocked,
    account_id: accountId,
    created_at: new Date(contact.created_at * 1000).toISOString(),
    last_activity_at: contact.last_activity_at
      ? new Date(contact.last_activity_at * 1000).toISOString()
      : null,
  };
}

/** A contact object of a conversation or message payload, reduced to what identifies it. */
function contactIdOnly(value: unknown): unknown {
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'contact') {
    return { id: (value as { id?: unknown }).id, type: 'contact' };
  }
  return value;
}

/**
 * A Client API conversation or message (or a list of them) as the caller of `ref` may see it:
 * unchanged, or, through an unverified link, with the contact's stored attributes removed.
 */
export function forCaller<T>(ref: ContactInboxRef, payload: T): T {
  if (!ref.unverifiedMatch) return payload;
  const redact = (item: unknown): unknown => {
    if (!item || typeof item !== 'object') return item;
    const record = { ...(item as Record<string, unknown>) };
    if ('sender' in record) record.sender = contactIdOnly(record.sender);
    if ('contact' in record) record.contact = contactIdOnly(record.contact);
    if (Array.isArray(record.messages)) record.messages = record.messages.map(redact);
    return record;
  };
  return (Array.isArray(payload) ? payload.map(redact) : redact(payload)) as T;
}

/** The inbox on the public Client API (what a widget or client needs to start). */
@ApiSchema({ name: 'PublicInbox' })
export class PublicInboxDto {
  @ApiProperty() identifier: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Whether calls must carry identifier_hash' })
  identity_validation_enabled: boolean;
  @ApiProperty({ example: 'UTC' }) timezone: string;
  @ApiProperty({ description: 'Stored for Chatwoot clients; Conversa does not act on it' })
  working_hours_enabled: boolean;
  @ApiProperty({ type: 'array', items: { type: 'object' }, maxItems: 7 })
  working_hours: unknown[];
  @ApiProperty({ description: 'Stored for Chatwoot clients; Conversa sends no CSAT survey' })
  csat_survey_enabled: boolean;
  @ApiProperty() greeting_enabled: boolean;
  @ApiProperty({ nullable: true, type: String }) greeting_message: string | null;
}
