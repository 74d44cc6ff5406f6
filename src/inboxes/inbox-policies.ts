import type { EntityManager } from 'typeorm';
import { Inbox } from './entities/inbox.entity.js';

/**
 * Whether the inbox takes new messages from the contact into a resolved conversation; for
 * writers of other modules, through their transaction's `manager` (a query bus call would
 * take a second pool connection while the writer holds one).
 */
export async function acceptsMessagesAfterResolved(
  manager: EntityManager,
  inboxId: number,
): Promise<boolean> {
  const inbox = await manager
    .getRepository(Inbox)
    .findOne({ select: { allow_messages_after_resolved: true }, where: { id: inboxId } });
  return inbox?.allow_messages_after_resolved ?? true;
}
