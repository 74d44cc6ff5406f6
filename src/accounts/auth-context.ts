import type { Actor } from '../common/index.js';
import type { Role } from './entities/account-user.entity.js';

/** An agent bot calling with its own access token. */
export interface AgentBotCaller {
  id: number;
  accountId: number;
  /** The inboxes it is attached to: all it may reach. */
  inboxIds: number[];
}

/** Who is calling, set on the request by the access guard. */
export interface AuthContext {
  /** 0 for an agent bot (no user has id 0). */
  userId: number;
  tokenId: number;
  /** Set when an agent bot calls: it reaches only @AgentBotsAllowed routes of its account. */
  agentBot?: AgentBotCaller;
  /** Present on /api/v1/accounts/{account_id}/... routes, after the membership check. */
  account?: { id: number; role: Role };
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AuthContext;
  }
}

export function actorOf(auth: AuthContext): Actor {
  return auth.agentBot
    ? { type: 'agent_bot', id: auth.agentBot.id }
    : { type: 'user', id: auth.userId };
}

/** Who a message the caller writes is from: the user, or the agent bot. */
export function senderOf(auth: AuthContext): { type: 'user' | 'agent_bot'; id: number } {
  return auth.agentBot
    ? { type: 'agent_bot', id: auth.agentBot.id }
    : { type: 'user', id: auth.userId };
}

/** Who sees what in the account: a user by role and membership, an agent bot by its inboxes. */
export function viewerOf(auth: AuthContext): { userId: number; role: Role; inboxIds?: number[] } {
  const role = auth.account?.role ?? 'agent';
  return auth.agentBot
    ? { userId: auth.userId, role, inboxIds: auth.agentBot.inboxIds }
    : { userId: auth.userId, role };
}
