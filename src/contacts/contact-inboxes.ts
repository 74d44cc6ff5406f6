import type { EntityManager } from 'typeorm';
import { createContactInbox, lockInboxLinks } from './contact.store.js';
import {
  ContactNotFoundError,
  ContactSourceNotFoundError,
  SourceIdTakenError,
} from './contacts.errors.js';
import { ContactInbox } from './entities/contact-inbox.entity.js';
import { Contact } from './entities/contact.entity.js';

/** Which contact a writer of another module means in an inbox. */
export type ContactInInbox =
  /** The contact that has this source_id in the inbox. */
  | { sourceId: string; contactId?: undefined }
  /** This contact of the account: its link to the inbox (with this source_id if given), made if it has none. */
  | { contactId: number; sourceId?: string };

/**
 * The contact's link to an inbox, for writers of other modules that need one inside their own
 * transaction: it reads and writes through the caller's `manager`, so what the caller then
 * writes (a conversation) commits or rolls back with the link it made. This is the contacts
 * module's one door to its tables for such writers; they never touch contact_inboxes themselves.
 * `inboxId` must be an inbox of `accountId` (the caller resolved it).
 */
export async function linkContactInbox(
  manager: EntityManager,
  accountId: number,
  inboxId: number,
  who: ContactInInbox,
): Promise<{ id: number; contactId: number; sourceId: string }> {
  const links = manager.getRepository(ContactInbox);
  if (who.contactId === undefined) {
    const link = await links.findOneBy({ inbox_id: inboxId, source_id: who.sourceId });
    if (!link) throw new ContactSourceNotFoundError(who.sourceId);
    return { id: link.id, contactId: link.contact_id, sourceId: link.source_id };
  }
  const { contactId, sourceId } = who;
  const contact = await manager
    .getRepository(Contact)
    .findOneBy({ id: contactId, account_id: accountId });
  if (!contact) throw new ContactNotFoundError(contactId);
  const known = await links.findOne({
    where: {
      contact_id: contactId,
      inbox_id: inboxId,
      ...(sourceId ? { source_id: sourceId } : {}),
    },
    order: { id: 'ASC' },
  });
  if (known) return { id: known.id, contactId, sourceId: known.source_id };
  const created = await addContactInbox(manager, contactId, inboxId, sourceId);
  return { id: created.id, contactId, sourceId: created.source_id };
}

/**
 * Gives the contact a link to the inbox under `sourceId` (a new one when not given); the same
 * contact's existing link under it is returned as is, another contact's is a 409.
 */
export async function addContactInbox(
  manager: EntityManager,
  contactId: number,
  inboxId: number,
  sourceId: string | undefined,
): Promise<ContactInbox> {
  // Serialises the inbox's link writers, so the check below is exact.
  await lockInboxLinks(manager, inboxId);
  if (sourceId) {
    const taken = await manager
      .getRepository(ContactInbox)
      .findOneBy({ inbox_id: inboxId, source_id: sourceId });
    if (taken && taken.contact_id !== contactId) throw new SourceIdTakenError(taken.contact_id);
    if (taken) return taken;
  }
  return createContactInbox(manager, contactId, inboxId, sourceId);
}
