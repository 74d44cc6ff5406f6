import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuthContext } from './auth-context.js';
import type { Role } from './entities/account-user.entity.js';

export const PUBLIC_ROUTE = 'conversa:public-route';
export const REQUIRED_ROLE = 'conversa:required-role';
export const AGENT_BOTS_ALLOWED = 'conversa:agent-bots-allowed';

/** The route needs no access token (public Client API, sign-in, health). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Only members with this role in the URL's account may call the route (403 otherwise). */
export const RequireRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);

/**
 * An agent bot's access token may call the route (Chatwoot's list: what a bot needs to talk and
 * hand off); every other route answers 403 to a bot.
 */
export const AgentBotsAllowed = () => SetMetadata(AGENT_BOTS_ALLOWED, true);

/** Shorthand for the routes only administrators may call. */
export const AdministratorsOnly = () => RequireRole('administrator');

/** The caller, as checked by the access guard. */
export const CurrentAuth = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthContext => {
    const auth = context.switchToHttp().getRequest<FastifyRequest>().auth;
    if (!auth) throw new Error('CurrentAuth used on a public route');
    return auth;
  },
);

/** The account of the URL, after the membership check. */
export const CurrentAccount = createParamDecorator(
  (_: unknown, context: ExecutionContext): { id: number; role: Role } => {
    const account = context.switchToHttp().getRequest<FastifyRequest>().auth?.account;
    if (!account) throw new Error('CurrentAccount used on a route without :account_id');
    return account;
  },
);
