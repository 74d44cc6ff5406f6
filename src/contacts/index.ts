// The contacts module's public surface.
export { ContactsModule } from './contacts.module.js';
export type { ContactValues } from './contact.store.js';
export { ContactFields, ContactIdentifyRequest } from './dto/contact.requests.js';
export {
  ContactResponse,
  PublicContactResponse,
  toContactInboxRef,
  unixSeconds,
} from './dto/contact.responses.js';
export type {
  ContactInboxJson,
  ContactInboxRef,
  ContactPushData,
} from './dto/contact.responses.js';
export { ContactSourceNotFoundError } from './contacts.errors.js';
export { IdentifyContactCommand } from './commands/identify-contact.command.js';
export { SaveContactCommand } from './commands/save-contact.command.js';
export { MergeContactsCommand } from './commands/merge-contacts.command.js';
export type { MoveContactRows } from './commands/merge-contacts.command.js';
export { DeleteContactCommand } from './commands/delete-contact.command.js';
export type { DeleteContactRows } from './commands/delete-contact.command.js';
export { SetContactLabelsCommand } from './commands/set-contact-labels.command.js';
// For the labels module's rename, inside its transaction.
export { renameContactLabel } from './contact.store.js';
export { FindContactInboxQuery } from './queries/find-contact-inbox.query.js';
export { InboxOfSourceQuery } from './queries/inbox-of-source.query.js';
export { GetContactQuery, GetContactsQuery } from './queries/get-contact.query.js';
export { ListContactsQuery } from './queries/list-contacts.query.js';
// For writers of other modules that need a contact's link to an inbox inside their transaction.
export { linkContactInbox } from './contact-inboxes.js';
export type { ContactInInbox } from './contact-inboxes.js';
export { CreateContactInboxCommand } from './commands/create-contact-inbox.command.js';
// The events this module raises: typed, stored in the outbox, published after commit.
export { ContactEvent } from './events/contact-event.js';
export { ContactCreatedEvent } from './events/contact-created.event.js';
export { ContactUpdatedEvent } from './events/contact-updated.event.js';
export { ContactDeletedEvent } from './events/contact-deleted.event.js';
export { ContactMergedEvent } from './events/contact-merged.event.js';
// SQL for other modules' statements that read this module's tables (one statement, one owner).
export { ContactSql } from './contact-sql.js';
