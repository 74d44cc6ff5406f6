import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../outbox/index.js';
import { ContactNotFoundError } from '../contacts.errors.js';
import { contactPushData } from '../dto/contact.responses.js';
import { Contact } from '../entities/contact.entity.js';
import { ContactDeletedEvent } from '../events/contact-deleted.event.js';
import { DeleteContactCommand } from './delete-contact.command.js';

@CommandHandler(DeleteContactCommand)
export class DeleteContactHandler implements ICommandHandler<DeleteContactCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ accountId, contactId, actor, deleteRows }: DeleteContactCommand): Promise<void> {
    await this.uow.run(async (tx) => {
      const { manager, record } = tx;
      const contacts = manager.getRepository(Contact);
      const contact = await contacts.findOne({
        where: { id: contactId, account_id: accountId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!contact) throw new ContactNotFoundError(contactId);
      await deleteRows(tx, contactId, actor);
      record(new ContactDeletedEvent(accountId, contactPushData(contact), null, actor));
      await contacts.delete({ id: contactId });
    });
  }
}
