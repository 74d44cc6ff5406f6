import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { AgentBotCaller } from './auth-context.js';
import { hashToken } from './credentials.js';
import type { IssuedToken } from './credentials.js';

/** Agent bots' tokens have their own prefix, so a bot is told apart (and rate-limited) at once. */
export const AGENT_BOT_TOKEN_PREFIX = 'cvb_';
const AGENT_BOT_TOKEN_PATTERN = /^cvb_[A-Za-z0-9_-]{43}$/;

export function isAgentBotToken(token: string): boolean {
  return AGENT_BOT_TOKEN_PATTERN.test(token);
}

/** A new agent bot access token (shown once; only its hash is kept). */
export function issueAgentBotToken(): IssuedToken {
  const token = AGENT_BOT_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return {
    token,
    hash: hashToken(token),
    hint: token.slice(0, 8),
  };
}

/** Finds the bot whose token hashes to `tokenHash`; null when none. */
export type AgentBotTokenResolver = (tokenHash: string) => Promise<AgentBotCaller | null>;

/**
 * Where the access guard looks up agent bot tokens: the agent bots module (which owns them)
 * registers its resolver here, so that this module does not depend on it.
 */
@Injectable()
export class AgentBotTokens {
  private resolver: AgentBotTokenResolver = () => Promise.resolve(null);

  use(resolver: AgentBotTokenResolver): void {
    this.resolver = resolver;
  }

  resolve(tokenHash: string): Promise<AgentBotCaller | null> {
    return this.resolver(tokenHash);
  }
}
