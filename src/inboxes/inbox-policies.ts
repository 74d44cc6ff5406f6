import { IsNull } from 'typeorm';
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

/** The agent bot the inbox's new conversations go to first, or null; as above, in `manager`. */
export async function agentBotOfInbox(
  manager: EntityManager,
  inboxId: number,
): Promise<number | null> {
  // Plain SQL: writers of other modules may run with only their own entities registered.
  const [inbox]: { agent_bot_id: number | null }[] = await manager.query(
    `SELECT agent_bot_id FROM inboxes WHERE id = $1`,
    [inboxId],
  );
  return inbox?.agent_bot_id ?? null;
}

/**
 * Attaches an agent bot to a live inbox of the account (null detaches); for the agent bots
 * module's writers, in their transaction. Returns false when there is no such inbox.
 */
export async function attachAgentBot(
  manager: EntityManager,
  accountId: number,
  inboxId: number,
  agentBotId: number | null,
): Promise<boolean> {
  const result = await manager
    .getRepository(Inbox)
    .update(
      { id: inboxId, account_id: accountId, deleted_at: IsNull() },
      { agent_bot_id: agentBotId },
    );
  return (result.affected ?? 0) > 0;
}

/** The live inboxes an agent bot is attached to (what its token may reach). */
export async function inboxesOfAgentBot(
  manager: EntityManager,
  agentBotId: number,
): Promise<number[]> {
  const inboxes = await manager
    .getRepository(Inbox)
    .find({ select: { id: true }, where: { agent_bot_id: agentBotId, deleted_at: IsNull() } });
  return inboxes.map((inbox) => inbox.id);
}
