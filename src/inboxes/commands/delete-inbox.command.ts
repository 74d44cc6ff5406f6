import { Command } from '@nestjs/cqrs';

/**
 * Deletes an inbox at once from the API's point of view; its conversations and messages are
 * purged in the background, in small batches, so the API is never blocked by a large inbox.
 */
export class DeleteInboxCommand extends Command<void> {
  constructor(
    readonly accountId: number,
    readonly inboxId: number,
  ) {
    super();
  }
}
