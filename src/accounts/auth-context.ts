import type { Actor } from '../common/index.js';
import type { Role } from './entities/account-user.entity.js';

/** Who is calling, set on the request by the access guard. */
export interface AuthContext {
  userId: number;
  tokenId: number;
  /** Present on /api/v1/accounts/{account_id}/... routes, after the membership check. */
  account?: { id: number; role: Role };
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AuthContext;
  }
}

export function actorOf(auth: AuthContext): Actor {
  return { type: 'user', id: auth.userId };
}
