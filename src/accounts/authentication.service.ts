import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import {
  ExpiredTokenError,
  InvalidTokenError,
  MalformedTokenError,
  RevokedTokenError,
} from './accounts.errors.js';
import { AgentBotTokens, isAgentBotToken } from './agent-bot-tokens.js';
import type { AgentBotCaller } from './auth-context.js';
import { hashToken, isWellFormedToken } from './credentials.js';
import { AccessToken } from './entities/access-token.entity.js';
import { AccountUser, Role } from './entities/account-user.entity.js';

/** Resolves access tokens and account memberships for the access guard. */
@Injectable()
export class AuthenticationService {
  private readonly logger = new Logger(AuthenticationService.name);

  constructor(
    @InjectRepository(AccessToken) private readonly tokens: Repository<AccessToken>,
    @InjectRepository(AccountUser) private readonly memberships: Repository<AccountUser>,
    private readonly agentBots: AgentBotTokens,
  ) {}

  async authenticate(
    token: string,
  ): Promise<{ userId: number; tokenId: number; agentBot?: AgentBotCaller }> {
    if (isAgentBotToken(token)) {
      const agentBot = await this.agentBots.resolve(hashToken(token));
      if (!agentBot) throw new InvalidTokenError();
      return { userId: 0, tokenId: 0, agentBot };
    }
    if (!isWellFormedToken(token)) throw new MalformedTokenError();
    const found = await this.tokens.findOne({
      where: { token_hash: hashToken(token) },
      select: { id: true, user_id: true, expires_at: true, revoked_at: true },
    });
    if (!found) throw new InvalidTokenError();
    if (found.revoked_at) throw new RevokedTokenError();
    if (found.expires_at && found.expires_at.getTime() <= Date.now()) throw new ExpiredTokenError();
    this.touch(found.id);
    return { userId: found.user_id, tokenId: found.id };
  }

  /** The caller's role in the account, or null when they are not a member. */
  async roleIn(accountId: number, userId: number): Promise<Role | null> {
    const membership = await this.memberships.findOne({
      where: { account_id: accountId, user_id: userId },
      select: { role: true },
    });
    return membership?.role ?? null;
  }

  /**
   * Records use at most once a minute per token, off the request's critical path: an exact
   * last_used_at is not worth a write on every request.
   */
  private touch(tokenId: number): void {
    this.tokens
      .createQueryBuilder()
      .update()
      .set({ last_used_at: () => 'now()' })
      .where('id = :tokenId', { tokenId })
      .andWhere(`(last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`)
      .execute()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'Could not record token use'));
  }
}
