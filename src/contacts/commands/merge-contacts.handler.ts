import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../outbox/index.js';
import { mergeContacts } from '../contact.store.js';
import { contactPushData } from '../dto/contact.responses.js';
import { ContactMergedEvent } from '../events/contact-merged.event.js';
import { MergeContactsCommand } from './merge-contacts.command.js';

@CommandHandler(MergeContactsCommand)
export class MergeContactsHandler implements ICommandHandler<MergeContactsCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ accountId, baseId, mergeeId, actor, moveRows }: MergeContactsCommand) {
    return this.uow.run(async ({ manager, record }) => {
      const { base, mergee } = await mergeContacts(
        manager,
        accountId,
        baseId,
        mergeeId,
        (from, to) => moveRows(manager, from, to),
      );
      record(
        new ContactMergedEvent(accountId, contactPushData(base), contactPushData(mergee), actor),
      );
      return { id: base.id };
    });
  }
}
