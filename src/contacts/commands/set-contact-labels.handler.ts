import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../outbox/index.js';
import { setContactLabels } from '../contact.store.js';
import { contactPushData } from '../dto/contact.responses.js';
import { ContactUpdatedEvent } from '../events/contact-updated.event.js';
import { SetContactLabelsCommand } from './set-contact-labels.command.js';

@CommandHandler(SetContactLabelsCommand)
export class SetContactLabelsHandler implements ICommandHandler<SetContactLabelsCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ accountId, contactId, labels, actor }: SetContactLabelsCommand) {
    return this.uow.run(async ({ manager, record }) => {
      const { contact, changed } = await setContactLabels(manager, accountId, contactId, labels);
      if (changed) {
        record(new ContactUpdatedEvent(accountId, contactPushData(contact), null, actor));
      }
      return { labels: contact.labels };
    });
  }
}
