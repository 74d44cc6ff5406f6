import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { EventPublisher } from '../../outbox/index.js';
import { recordContactEvent } from '../contact-store.js';
import { ContactNotFoundError } from '../contacts.errors.js';
import { Contact } from '../entities/contact.entity.js';
import { DeleteContactCommand } from './delete-contact.command.js';

@CommandHandler(DeleteContactCommand)
export class DeleteContactHandler implements ICommandHandler<DeleteContactCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  async execute({ accountId, contactId, actor }: DeleteContactCommand): Promise<void> {
    const record = await this.dataSource.transaction(async (manager) => {
      const contacts = manager.getRepository(Contact);
      const contact = await contacts.findOne({
        where: { id: contactId, account_id: accountId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!contact) throw new ContactNotFoundError(contactId);
      const record = await recordContactEvent(manager, 'contact_deleted', contact, actor);
      await contacts.delete({ id: contactId });
      return record;
    });
    this.events.publish([record]);
  }
}
