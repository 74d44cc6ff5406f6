import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '../../outbox/index.js';
import {
  applyValues,
  assertUnique,
  createContactInbox,
  lockContactKeys,
  lockContactSource,
} from '../contact.store.js';
import type { ContactValues } from '../contact.store.js';
import { contactPushData } from '../dto/contact.responses.js';
import { ContactInbox } from '../entities/contact-inbox.entity.js';
import { Contact } from '../entities/contact.entity.js';
import { ContactCreatedEvent } from '../events/contact-created.event.js';
import { ContactUpdatedEvent } from '../events/contact-updated.event.js';
import { IdentifyContactCommand } from './identify-contact.command.js';
import { typedContactValues } from './typed-values.js';

@CommandHandler(IdentifyContactCommand)
export class IdentifyContactHandler implements ICommandHandler<IdentifyContactCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute(command: IdentifyContactCommand) {
    const { accountId, inboxId, sourceId, hmacVerified, actor, matchByIdentifierOnly } = command;
    const result = await this.uow.run(async ({ manager, record }) => {
      const values = await typedContactValues(manager, accountId, command.values);
      // Identifies of the same person serialise (matching and creating must not race); others run in parallel.
      await lockContactKeys(manager, accountId, values);
      if (sourceId) await lockContactSource(manager, inboxId, sourceId);
      const contactInboxes = manager.getRepository(ContactInbox);
      const existing = sourceId
        ? await contactInboxes.findOneBy({ inbox_id: inboxId, source_id: sourceId })
        : null;
      if (existing) {
        const contact = await manager
          .getRepository(Contact)
          .findOneByOrFail({ id: existing.contact_id });
        const update: Partial<ContactInbox> = {};
        if (hmacVerified && !existing.hmac_verified) update.hmac_verified = true;
        // A hash proves only the identifier it was made for: the contact's own lifts the restriction.
        if (
          existing.unverified_match &&
          hmacVerified &&
          contact.identifier !== null &&
          values.identifier === contact.identifier
        )
          update.unverified_match = false;
        if (Object.keys(update).length > 0)
          await contactInboxes.update({ id: existing.id }, update);
        return { contact, contactInbox: { ...existing, ...update }, created: false };
      }

      const matched = await this.match(manager, accountId, values, matchByIdentifierOnly);
      let contact = matched?.contact ?? null;
      const created = contact === null;
      // Knowing someone's email or phone number proves nothing: a caller matched by them is
      // linked (a new source_id), but the contact stays as it is and the link is flagged, unless
      // a valid hash vouches for the caller and the contact has no other identifier to prove.
      const unverifiedMatch =
        matched !== null &&
        matched.by !== 'identifier' &&
        !(hmacVerified && matched.contact.identifier === null);
      if (contact) {
        const changes = Object.entries(values).some(
          ([key, value]) => value !== undefined && key !== 'identifier',
        );
        if (changes && !unverifiedMatch) {
          await assertUnique(manager, accountId, values, contact.id);
          applyValues(contact, values);
          contact = await manager.getRepository(Contact).save(contact);
          record(new ContactUpdatedEvent(accountId, contactPushData(contact), inboxId, actor));
        }
      } else {
        await assertUnique(manager, accountId, values, null);
        const fresh = manager
          .getRepository(Contact)
          .create({ account_id: accountId, custom_attributes: {}, additional_attributes: {} });
        applyValues(fresh, values);
        contact = await manager.getRepository(Contact).save(fresh);
        record(new ContactCreatedEvent(accountId, contactPushData(contact), inboxId, actor));
      }
      const contactInbox = await createContactInbox(
        manager,
        contact.id,
        inboxId,
        sourceId,
        hmacVerified,
        unverifiedMatch,
      );
      return { contact, contactInbox, created };
    });
    const { contact, contactInbox } = result;
    return {
      created: result.created,
      ref: {
        id: contactInbox.id,
        contactId: contact.id,
        inboxId,
        sourceId: contactInbox.source_id,
        pubsubToken: contactInbox.pubsub_token,
        hmacVerified: contactInbox.hmac_verified,
        unverifiedMatch: contactInbox.unverified_match,
        contact: contactPushData(contact),
      },
    };
  }

  /** The account's contact with the same identifier, else email, else phone number, and which matched. */
  private async match(
    manager: EntityManager,
    accountId: number,
    values: ContactValues,
    identifierOnly: boolean,
  ): Promise<{ contact: Contact; by: 'identifier' | 'email' | 'phone_number' } | null> {
    const contacts = manager.getRepository(Contact);
    if (values.identifier) {
      const found = await contacts.findOneBy({
        account_id: accountId,
        identifier: values.identifier,
      });
      if (found) return { contact: found, by: 'identifier' };
    }
    if (identifierOnly) return null;
    if (values.email) {
      const found = await contacts
        .createQueryBuilder('contact')
        .where('contact.account_id = :accountId AND lower(contact.email) = lower(:email)', {
          accountId,
          email: values.email,
        })
        .getOne();
      if (found) return { contact: found, by: 'email' };
    }
    if (values.phone_number) {
      const found = await contacts.findOneBy({
        account_id: accountId,
        phone_number: values.phone_number,
      });
      if (found) return { contact: found, by: 'phone_number' };
    }
    return null;
  }
}
