import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { parseId } from '../common/index.js';
import {
  AccountNotFoundError,
  AdministratorRequiredError,
  AgentBotNotAllowedError,
  MissingCredentialError,
} from './accounts.errors.js';
import { AGENT_BOTS_ALLOWED, PUBLIC_ROUTE, REQUIRED_ROLE } from './auth.decorators.js';
import { AuthenticationService } from './authentication.service.js';
import type { Role } from './entities/account-user.entity.js';

/** The credential in `api_access_token`, or else in `Authorization: Bearer`. */
export function credentialOf(request: FastifyRequest): string | undefined {
  const header = request.headers['api_access_token'];
  if (typeof header === 'string' && header.trim()) return header.trim();
  const authorization = request.headers.authorization;
  const match = authorization?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/**
 * The one place that decides who may call what, applied to every route: a token is required
 * unless the route is @Public(); on /accounts/{account_id}/... routes the caller must be a
 * member (404 otherwise, so other tenants' ids reveal nothing) and hold any @RequireRole (403).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authentication: AuthenticationService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const token = credentialOf(request);
    if (!token) throw new MissingCredentialError();
    const { userId, tokenId, agentBot } = await this.authentication.authenticate(token);
    request.auth = { userId, tokenId, agentBot };
    if (agentBot) return this.admitAgentBot(request, targets);

    const rawAccountId = (request.params as Record<string, string | undefined>).account_id;
    const requiredRole = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets);
    if (rawAccountId === undefined) return true;

    // The same id rule as every other path id, but a 404: other tenants' ids reveal nothing.
    const accountId = parseId(rawAccountId);
    if (accountId === null) throw new AccountNotFoundError(rawAccountId);
    const role = await this.authentication.roleIn(accountId, userId);
    if (!role) throw new AccountNotFoundError(accountId);
    if (requiredRole && role !== requiredRole) throw new AdministratorRequiredError();
    request.auth.account = { id: accountId, role };
    return true;
  }

  /** A bot reaches only the routes a bot needs, in its own account (404 elsewhere, as above). */
  private admitAgentBot(
    request: FastifyRequest,
    targets: Parameters<Reflector['getAllAndOverride']>[1],
  ): boolean {
    const auth = request.auth!;
    if (!this.reflector.getAllAndOverride<boolean>(AGENT_BOTS_ALLOWED, targets))
      throw new AgentBotNotAllowedError();
    const rawAccountId = (request.params as Record<string, string | undefined>).account_id;
    const accountId = rawAccountId === undefined ? null : parseId(rawAccountId);
    if (accountId !== auth.agentBot!.accountId)
      throw new AccountNotFoundError(rawAccountId ?? 'none');
    auth.account = { id: accountId, role: 'agent' };
    return true;
  }
}
