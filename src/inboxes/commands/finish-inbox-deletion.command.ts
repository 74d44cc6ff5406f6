import { Command } from '@nestjs/cqrs';

/** Sent once an inbox's conversations are purged: removes the inbox row and what hangs off it. */
export class FinishInboxDeletionCommand extends Command<void> {
  constructor(readonly inboxId: number) {
    super();
  }
}
