import { CommandHandler, ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { FindInboxQuery } from '../../inboxes/index.js';
import { UnitOfWork } from '../../outbox/index.js';
import { addContactInbox } from '../contact-inboxes.js';
import { ContactNotFoundError } from '../contacts.errors.js';
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
      const link = await addContactInbox(manager, contactId, inboxId, sourceId);
      return { sourceId: link.source_id };
    });
  }
}
