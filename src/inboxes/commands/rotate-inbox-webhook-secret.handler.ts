import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import { IsNull } from 'typeorm';
import { UnitOfWork } from '../../outbox/index.js';
import { Inbox } from '../entities/inbox.entity.js';
import { InboxNotFoundError } from '../inboxes.errors.js';
import { INBOXES_TOPIC } from '../queries/find-inbox.handler.js';
import { RotateInboxWebhookSecretCommand } from './rotate-inbox-webhook-secret.command.js';

@CommandHandler(RotateInboxWebhookSecretCommand)
export class RotateInboxWebhookSecretHandler implements ICommandHandler<RotateInboxWebhookSecretCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ accountId, inboxId, overlapMs }: RotateInboxWebhookSecretCommand) {
    return this.uow.run(async ({ manager, announce }) => {
      const inboxes = manager.getRepository(Inbox);
      const inbox = await inboxes.findOne({
        where: { id: inboxId, account_id: accountId, deleted_at: IsNull() },
        lock: { mode: 'pessimistic_write' },
      });
      if (!inbox) throw new InboxNotFoundError(inboxId);
      const secret = `whsec_${randomBytes(24).toString('base64')}`;
      const previousExpiresAt = new Date(Date.now() + overlapMs);
      await inboxes.update(
        { id: inbox.id },
        {
          webhook_secret: secret,
          webhook_previous_secret: inbox.webhook_secret,
          webhook_previous_secret_expires_at: previousExpiresAt,
        },
      );
      await announce(INBOXES_TOPIC);
      return { secret, previousExpiresAt };
    });
  }
}
