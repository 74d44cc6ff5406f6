import { Command } from '@nestjs/cqrs';

/** Gives the inbox webhook a new secret; the old one keeps signing too for `overlapMs`. */
export class RotateInboxWebhookSecretCommand extends Command<{
  secret: string;
  previousExpiresAt: Date;
}> {
  constructor(
    readonly accountId: number,
    readonly inboxId: number,
    readonly overlapMs: number,
  ) {
    super();
  }
}
