import { CommandHandler, EventBus, ICommandHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { Inbox } from '../entities/inbox.entity.js';
import { InboxDeletedEvent } from '../events/inbox-deleted.event.js';
import { InboxNotFoundError } from '../inboxes.errors.js';
import { DeleteInboxCommand } from './delete-inbox.command.js';

@CommandHandler(DeleteInboxCommand)
export class DeleteInboxHandler implements ICommandHandler<DeleteInboxCommand> {
  constructor(
    @InjectRepository(Inbox) private readonly inboxes: Repository<Inbox>,
    private readonly events: EventBus,
  ) {}

  async execute({ accountId, inboxId }: DeleteInboxCommand): Promise<void> {
    const result = await this.inboxes.update(
      { id: inboxId, account_id: accountId, deleted_at: IsNull() },
      { deleted_at: new Date() },
    );
    if (!result.affected) throw new InboxNotFoundError(inboxId);
    this.events.publish(new InboxDeletedEvent(accountId, inboxId));
  }
}
