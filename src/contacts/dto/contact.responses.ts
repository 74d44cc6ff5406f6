import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { InboxResponse } from '../../inboxes/index.js';
import type { ContactInbox } from '../entities/contact-inbox.entity.js';
import type { Contact } from '../entities/contact.entity.js';

export function unixSeconds(date: Date | null | undefined): number {
  return date ? Math.floor(date.getTime() / 1000) : 0;
}

export class ContactInboxResponse {
  @ApiProperty() source_id: string;
  @ApiProperty({ type: InboxResponse }) inbox: InboxResponse;
}

/** Chatwoot's contact shape on the Application API. */
export class ContactResponse {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) phone_number: string | null;
  @ApiProperty({ nullable: true, type: String }) identifier: string | null;
  @ApiProperty() blocked: boolean;
  @ApiProperty({ description: 'avatar_url, or empty' }) thumbnail: string;
  @ApiProperty({ enum: ['online', 'offline'] }) availability_status: 'offline';
  @ApiProperty({ type: Object }) custom_attributes: Record<string, unknown>;
  @ApiProperty({ type: Object }) additional_attributes: Record<string, unknown>;
  @ApiProperty({ description: 'Unix seconds; 0 when never' }) last_activity_at: number;
  @ApiProperty({ description: 'Unix seconds' }) created_at: number;
  @ApiPropertyOptional({ type: [ContactInboxResponse] }) contact_inboxes?: ContactInboxResponse[];
}

export function toContactResponse(contact: Contact): ContactResponse {
  return {
    id: contact.id,
    name: contact.name,
    email: contact.email,
    phone_number: contact.phone_number,
    identifier: contact.identifier,
    blocked: contact.blocked,
    thumbnail: contact.avatar_url ?? '',
    availability_status: 'offline',
    custom_attributes: contact.custom_attributes,
    additional_attributes: contact.additional_attributes,
    last_activity_at: unixSeconds(contact.last_activity_at),
    created_at: unixSeconds(contact.created_at),
  };
}

/** The contact as embedded in events and as a message sender (Chatwoot's push data). */
export function contactPushData(
  contact: Pick<
    Contact,
    | 'id'
    | 'name'
    | 'email'
    | 'phone_number'
    | 'identifier'
    | 'avatar_url'
    | 'blocked'
    | 'custom_attributes'
    | 'additional_attributes'
  >,
) {
  return {
    id: contact.id,
    name: contact.name,
    email: contact.email,
    phone_number: contact.phone_number,
    identifier: contact.identifier,
    thumbnail: contact.avatar_url ?? '',
    blocked: contact.blocked,
    custom_attributes: contact.custom_attributes,
    additional_attributes: contact.additional_attributes,
    type: 'contact' as const,
  };
}
export type ContactPushData = ReturnType<typeof contactPushData>;

class ContactListMeta {
  @ApiProperty({ description: 'Contacts matching, on all pages' }) count: number;
  @ApiProperty() current_page: number;
  @ApiProperty({ description: 'Whether a later page has more (Chatwoot search answers it)' })
  has_more: boolean;
}

export class ContactListResponse {
  @ApiProperty({ type: ContactListMeta }) meta: ContactListMeta;
  @ApiProperty({ type: [ContactResponse] }) payload: ContactResponse[];
}

/**
 * The contact on the public Client API. Through a source_id linked by an unverified email or
 * phone match, the stored fields are never shown: name, email, phone_number, identifier and
 * custom_attributes echo what that request sent (null and {} otherwise).
 */
export class PublicContactResponse {
  @ApiProperty() id: number;
  @ApiProperty({ description: 'Names the contact in this inbox: use it in later Client API paths' })
  source_id: string;
  @ApiProperty() pubsub_token: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'null only through an unverified link when the request sent no name',
  })
  name: string | null;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) phone_number: string | null;
  @ApiProperty({ nullable: true, type: String }) identifier: string | null;
  @ApiProperty({ type: Object }) custom_attributes: Record<string, unknown>;
}

/** What the Client API and conversations need about a contact in an inbox. */
export interface ContactInboxRef {
  id: number;
  contactId: number;
  inboxId: number;
  sourceId: string;
  pubsubToken: string;
  hmacVerified: boolean;
  /**
   * Linked to an existing contact by an unverified email or phone match: the Client API shows
   * the caller none of the contact's stored attributes and refuses to change them.
   */
  unverifiedMatch: boolean;
  contact: ContactPushData;
}

/**
 * A contact inbox and its contact as ContactSql.contactInboxBySource reads them: the rows as
 * JSON (timestamps would be text; none is read).
 */
export interface ContactInboxJson {
  link: Pick<
    ContactInbox,
    | 'id'
    | 'contact_id'
    | 'inbox_id'
    | 'source_id'
    | 'pubsub_token'
    | 'hmac_verified'
    | 'unverified_match'
  >;
  contact: Parameters<typeof contactPushData>[0];
}

export function toContactInboxRef({ link, contact }: ContactInboxJson): ContactInboxRef {
  return {
    id: link.id,
    contactId: link.contact_id,
    inboxId: link.inbox_id,
    sourceId: link.source_id,
    pubsubToken: link.pubsub_token,
    hmacVerified: link.hmac_verified,
    unverifiedMatch: link.unverified_match,
    contact: contactPushData(contact),
  };
}

class CreatedContactInbox {
  @ApiProperty({ type: InboxResponse, nullable: true }) inbox: InboxResponse | null;
  @ApiProperty({ nullable: true, type: String }) source_id: string | null;
}

class CreatedContact {
  @ApiProperty({ type: ContactResponse }) contact: ContactResponse;
  @ApiProperty({
    type: CreatedContactInbox,
    description: 'The contact in inbox_id (both null without one)',
  })
  contact_inbox: CreatedContactInbox;
}

export class CreatedContactAnswer {
  @ApiProperty({ type: CreatedContact }) payload: CreatedContact;
}

class ContactableInbox {
  @ApiProperty({ nullable: true, type: String, description: 'null: not reachable there yet' })
  source_id: string | null;
  @ApiProperty({ type: InboxResponse }) inbox: InboxResponse;
}

export class ContactableInboxesAnswer {
  @ApiProperty({ type: [ContactableInbox] }) payload: ContactableInbox[];
}
