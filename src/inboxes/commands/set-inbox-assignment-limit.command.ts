import { Command } from '@nestjs/cqrs';
import type { Transaction } from '../../outbox/index.js';

/**
 * Sets the capacity of an inbox's assignment policy from Chatwoot's
 * `auto_assignment_config.max_assignment_limit` (`null`: no limit; `undefined`: keep it) and
 * answers with the capacity it now has, in the inbox writer's unit of work (`tx`).
 *
 * Sent by this module and answered by the automation module, which owns the policies:
 * automation depends on inboxes, so the message is declared on this side of the line.
 */
export class SetInboxAssignmentLimitCommand extends Command<number | null> {
  constructor(
    readonly tx: Transaction,
    readonly accountId: number,
    readonly inboxId: number,
    readonly limit: number | null | undefined,
  ) {
    super();
  }
}
