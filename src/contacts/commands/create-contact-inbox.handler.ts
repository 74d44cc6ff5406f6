import { CommandHandler, ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { FindInboxQuery } from '../../inboxes/index.js';
import { UnitOfWork } from '../../outbox/index.js';
import { createContactInbox } from '../contact-store.js';
import { ContactNotFoundError, SourceIdTakenError } from '../contacts.errors.js';
import { ContactInbox } from '../entities/contact-inbox.entity.js';
import { Contact } from '../entities/contact.entity.js';
import { CreateContactInboxCommand } from './create-contact-inbox.command.js';

@CommandHandler(CreateContactInboxCommand)
export class CreateContactInboxHandler implements ICommandHandler<CreateContactInboxCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly queries: QueryBus,
  ) {}

  async execute({ accountId, contactId, inboxId, sourceId }: CreateContactInboxCommand) {
    await this.queries.execute(new FindInboxQuery({ accountId, inboxId }));
    return this.uow.run(async ({ manager }) => {
      const contact = await manager
        .getRepository(Contact)
        .findOneBy({ id: contactId, account_id: accountId });
      if (!contact) throw new ContactNotFoundError(contactId);
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `contact-inbox:${inboxId}`,
      ]);
      if (sourceId) {
        const taken = await manager
          .getRepository(ContactInbox)
          .findOneBy({ inbox_id: inboxId, source_id: sourceId });
        if (taken && taken.contact_id !== contactId) throw new SourceIdTakenError(taken.contact_id);
        if (taken) return { sourceId };
      }
      const created = await createContactInbox(manager, contactId, inboxId, sourceId);
      return { sourceId: created.source_id };
    });
  }
}
