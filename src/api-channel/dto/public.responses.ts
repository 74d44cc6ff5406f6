import type { ContactInboxRef } from '../../contacts/index.js';
import type { InboxRef } from '../../inboxes/index.js';

export function toPublicInbox(inbox: InboxRef) {
  return {
    identifier: inbox.identifier,
    name: inbox.name,
    identity_validation_enabled: inbox.hmacMandatory,
    timezone: inbox.timezone,
    working_hours_enabled: false,
    working_hours: [] as unknown[],
    csat_survey_enabled: false,
    greeting_enabled: inbox.greetingEnabled,
    greeting_message: inbox.greetingMessage,
  };
}

export function toPublicContact(ref: ContactInboxRef) {
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
