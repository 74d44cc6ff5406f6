import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { IsNull } from 'typeorm';
import { UnitOfWork } from '../../outbox/index.js';
import { Inbox } from '../entities/inbox.entity.js';
import { InboxDeletedEvent } from '../events/inbox-deleted.event.js';
import { InboxNotFoundError } from '../inboxes.errors.js';
import { INBOXES_TOPIC } from '../queries/find-inbox.handler.js';
import { DeleteInboxCommand } from './delete-inbox.command.js';
import { SetInboxWebhookCommand } from './set-inbox-webhook.command.js';

@CommandHandler(DeleteInboxCommand)
export class DeleteInboxHandler implements ICommandHandler<DeleteInboxCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly commands: CommandBus,
  ) {}

  async execute({ accountId, inboxId }: DeleteInboxCommand): Promise<void> {
    await this.uow.run(async (tx) => {
      const { manager, announce, publish } = tx;
      const result = await manager
        .getRepository(Inbox)
        .update(
          { id: inboxId, account_id: accountId, deleted_at: IsNull() },
          { deleted_at: new Date() },
        );
      if (!result.affected) throw new InboxNotFoundError(inboxId);
      // Nothing more goes to its webhook (what waits fails as for a removed webhook).
      await this.commands.execute(new SetInboxWebhookCommand(tx, accountId, inboxId, null));
      await announce(INBOXES_TOPIC);
      publish(new InboxDeletedEvent(accountId, inboxId));
    });
  }
}
