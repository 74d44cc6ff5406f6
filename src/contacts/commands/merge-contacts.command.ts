import { Command } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../common/index.js';

/**
 * Moves the rows of other modules that name a contact (conversations, message senders) from
 * one contact to another, inside the merge's transaction.
 */
export type MoveContactRows = (
  manager: EntityManager,
  fromContactId: number,
  toContactId: number,
) => Promise<void>;

/**
 * Merges the contact `mergeeId` into `baseId` (Chatwoot's contact merge) in one unit of work
 * that records one `contact_merged` event; `moveRows` moves other modules' rows first.
 */
export class MergeContactsCommand extends Command<{ id: number }> {
  constructor(
    readonly accountId: number,
    readonly baseId: number,
    readonly mergeeId: number,
    readonly actor: Actor,
    readonly moveRows: MoveContactRows,
  ) {
    super();
  }
}
