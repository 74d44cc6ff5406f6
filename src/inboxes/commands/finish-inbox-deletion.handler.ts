import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { Not, IsNull, Repository } from 'typeorm';
import { Inbox } from '../entities/inbox.entity.js';
import { FinishInboxDeletionCommand } from './finish-inbox-deletion.command.js';

@CommandHandler(FinishInboxDeletionCommand)
export class FinishInboxDeletionHandler implements ICommandHandler<FinishInboxDeletionCommand> {
  constructor(@InjectRepository(Inbox) private readonly inboxes: Repository<Inbox>) {}

  async execute({ inboxId }: FinishInboxDeletionCommand): Promise<void> {
    // Contact inboxes and members go with it (ON DELETE CASCADE); only deleted inboxes qualify.
    await this.inboxes.delete({ id: inboxId, deleted_at: Not(IsNull()) });
  }
}
