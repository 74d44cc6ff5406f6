import { CommandHandler, EventBus, ICommandHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { ChangeFeed } from '../../database/index.js';
import { Inbox } from '../entities/inbox.entity.js';
import { InboxDeletedEvent } from '../events/inbox-deleted.event.js';
import { InboxNotFoundError } from '../inboxes.errors.js';
import { INBOXES_TOPIC } from '../queries/find-inbox.handler.js';
import { DeleteInboxCommand } from './delete-inbox.command.js';

@CommandHandler(DeleteInboxCommand)
export class DeleteInboxHandler implements ICommandHandler<DeleteInboxCommand> {
  constructor(
    @InjectRepository(Inbox) private readonly inboxes: Repository<Inbox>,
    private readonly events: EventBus,
    private readonly changes: ChangeFeed,
  ) {}

  async execute({ accountId, inboxId }: DeleteInboxCommand): Promise<void> {
    await this.inboxes.manager.transaction(async (manager) => {
      const result = await manager
        .getRepository(Inbox)
        .update(
          { id: inboxId, account_id: accountId, deleted_at: IsNull() },
          { deleted_at: new Date() },
        );
      if (!result.affected) throw new InboxNotFoundError(inboxId);
      await this.changes.announce(manager, INBOXES_TOPIC);
    });
    this.changes.forget(INBOXES_TOPIC);
    this.events.publish(new InboxDeletedEvent(accountId, inboxId));
  }
}
