import type { QueryBus } from '@nestjs/cqrs';
import { ListAgentsQuery } from '../accounts/index.js';
import { ListInboxMembersQuery } from '../inboxes/index.js';
import { AssigneeNotInInboxError } from './conversations.errors.js';

/**
 * Throws unless `userId` may be assigned conversations of the inbox: its members, and the
 * account's administrators, who work in every inbox (Chatwoot's assignable agents).
 */
export async function assertAssignable(
  queries: QueryBus,
  accountId: number,
  inboxId: number,
  userId: number,
): Promise<void> {
  const members = await queries.execute(new ListInboxMembersQuery(accountId, inboxId));
  if (members.includes(userId)) return;
  const [agent] = await queries.execute(new ListAgentsQuery(accountId, { userIds: [userId] }));
  if (agent?.role !== 'administrator') throw new AssigneeNotInInboxError(userId);
}
