import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';

/** Deletes a contact with its contact inboxes, conversations and messages. */
export class DeleteContactCommand extends Command<void> {
  constructor(
    readonly accountId: number,
    readonly contactId: number,
    readonly actor: Actor,
  ) {
    super();
  }
}
