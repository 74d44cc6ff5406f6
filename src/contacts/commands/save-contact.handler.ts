import { CommandHandler, ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { FindInboxQuery } from '../../inboxes/index.js';
import { UnitOfWork } from '../../outbox/index.js';
import { applyValues, assertUnique, createContactInbox } from '../contact.store.js';
import { ContactNotFoundError, SourceIdTakenError } from '../contacts.errors.js';
import { contactPushData } from '../dto/contact.responses.js';
import { ContactInbox } from '../entities/contact-inbox.entity.js';
import { Contact } from '../entities/contact.entity.js';
import { ContactCreatedEvent } from '../events/contact-created.event.js';
import { ContactUpdatedEvent } from '../events/contact-updated.event.js';
import { SaveContactCommand } from './save-contact.command.js';
import { typedContactValues } from './typed-values.js';

@CommandHandler(SaveContactCommand)
export class SaveContactHandler implements ICommandHandler<SaveContactCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly queries: QueryBus,
  ) {}

  async execute({
    accountId,
    contactId,
    values: given,
    actor,
    inbox,
  }: SaveContactCommand): Promise<{ id: number }> {
    if (inbox)
      await this.queries.execute(new FindInboxQuery({ accountId, inboxId: inbox.inboxId }));
    return this.uow.run(async ({ manager, record }) => {
      const values = await typedContactValues(manager, accountId, given);
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
      const Event = contactId === null ? ContactCreatedEvent : ContactUpdatedEvent;
      record(new Event(accountId, contactPushData(contact), inbox?.inboxId ?? null, actor));
      return { id: contact.id };
    });
  }
}
