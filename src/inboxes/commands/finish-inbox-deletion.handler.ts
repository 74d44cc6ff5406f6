import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Not, IsNull } from 'typeorm';
import { UnitOfWork } from '../../outbox/index.js';
import { Inbox } from '../entities/inbox.entity.js';
import { FinishInboxDeletionCommand } from './finish-inbox-deletion.command.js';

@CommandHandler(FinishInboxDeletionCommand)
export class FinishInboxDeletionHandler implements ICommandHandler<FinishInboxDeletionCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ inboxId }: FinishInboxDeletionCommand): Promise<void> {
    // Contact inboxes and members go with it (ON DELETE CASCADE); only deleted inboxes qualify.
    await this.uow.run(({ manager }) =>
      manager.getRepository(Inbox).delete({ id: inboxId, deleted_at: Not(IsNull()) }),
    );
  }
}
