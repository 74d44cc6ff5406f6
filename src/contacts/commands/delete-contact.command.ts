import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';
import type { Transaction } from '../../outbox/index.js';

/**
 * Deletes the rows of other modules that belong to a contact (its conversations, with their
 * events), inside the deletion's transaction, before the contact goes.
 */
export type DeleteContactRows = (tx: Transaction, contactId: number, actor: Actor) => Promise<void>;

/**
 * Deletes a contact with its contact inboxes, conversations and messages in one unit of work
 * that records `contact_deleted`; `deleteRows` removes other modules' rows first.
 */
export class DeleteContactCommand extends Command<void> {
  constructor(
    readonly accountId: number,
    readonly contactId: number,
    readonly actor: Actor,
    readonly deleteRows: DeleteContactRows,
  ) {
    super();
  }
}
