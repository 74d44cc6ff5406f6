import { CommandHandler, ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { FindInboxQuery } from '../../inboxes/index.js';
import { EventPublisher } from '../../outbox/index.js';
import {
  applyValues,
  assertUnique,
  createContactInbox,
  recordContactEvent,
} from '../contact-store.js';
import { ContactNotFoundError, SourceIdTakenError } from '../contacts.errors.js';
import { ContactInbox } from '../entities/contact-inbox.entity.js';
import { Contact } from '../entities/contact.entity.js';
import { SaveContactCommand } from './save-contact.command.js';

@CommandHandler(SaveContactCommand)
export class SaveContactHandler implements ICommandHandler<SaveContactCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queries: QueryBus,
    private readonly events: EventPublisher,
  ) {}

  async execute({
    accountId,
    contactId,
    values,
    actor,
    inbox,
  }: SaveContactCommand): Promise<{ id: number }> {
    if (inbox)
      await this.queries.execute(new FindInboxQuery({ accountId, inboxId: inbox.inboxId }));
    const { id, record } = await this.dataSource.transaction(async (manager) => {
      await assertUnique(manager, accountId, values, contactId);
      const contacts = manager.getRepository(Contact);
      let contact: Contact;
      if (contactId === null) {
        contact = contacts.create({
          account_id: accountId,
          custom_attributes: {},
          additional_attributes: {},
        });
      } else {
        const found = await contacts.findOne({
          where: { id: contactId, account_id: accountId },
          lock: { mode: 'pessimistic_write' },
        });
        if (!found) throw new ContactNotFoundError(contactId);
        contact = found;
      }
      applyValues(contact, values);
      contact = await contacts.save(contact);
      if (inbox) {
        if (inbox.sourceId) {
          const taken = await manager
            .getRepository(ContactInbox)
            .findOneBy({ inbox_id: inbox.inboxId, source_id: inbox.sourceId });
          if (taken) throw new SourceIdTakenError(taken.contact_id);
        }
        await createContactInbox(manager, contact.id, inbox.inboxId, inbox.sourceId);
      }
      const record = await recordContactEvent(
        manager,
        contactId === null ? 'contact_created' : 'contact_updated',
        contact,
        actor,
        inbox?.inboxId ?? null,
      );
      return { id: contact.id, record };
    });
    this.events.publish([record]);
    return { id };
  }
}
