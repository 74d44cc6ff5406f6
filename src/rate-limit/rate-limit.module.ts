import { ExecutionContext, Injectable, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { AGENT_BOT_TOKEN_PREFIX, credentialOf } from '../accounts/index.js';
import type { AppConfig } from '../config/index.js';
import { REDIS } from '../redis/index.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

function requestOf(context: ExecutionContext): FastifyRequest {
  return context.switchToHttp().getRequest<FastifyRequest>();
}

/**
 * Counts requests per credential (a hash of the token, so a bad token cannot dodge the limit
 * by being rejected first) or, without one, per client IP. Counters live in Redis, so the
 * limit holds across every server process.
 */
export function trackerOf(request: FastifyRequest): string {
  const credential = credentialOf(request);
  if (credential) {
    // An agent bot has one token, so its counter is the bot's (with its own limit).
    const kind = credential.startsWith(AGENT_BOT_TOKEN_PREFIX) ? 'bot' : 'token';
    return `${kind}:${createHash('sha256').update(credential).digest('hex').slice(0, 32)}`;
  }
  return `ip:${request.ip}`;
}

function limitFor(request: FastifyRequest, limits: Record<'bot' | 'token' | 'ip', number>) {
  const credential = credentialOf(request);
  if (!credential) return limits.ip;
  return credential.startsWith(AGENT_BOT_TOKEN_PREFIX) ? limits.bot : limits.token;
}

@Injectable()
class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    return trackerOf(request as unknown as FastifyRequest);
  }

  /** One counter per credential (or IP) across all routes; the default keeps one per route. */
  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    return tracker;
  }
}

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService, REDIS],
      useFactory: (config: AppConfig, redis: Redis) => {
        const perCredential = config.get('RATE_LIMIT_PER_CREDENTIAL', { infer: true });
        const perIp = config.get('RATE_LIMIT_PER_IP', { infer: true });
        const perAgentBot = config.get('RATE_LIMIT_PER_AGENT_BOT', { infer: true });
        return {
          storage: new RedisThrottlerStorage(redis),
          throttlers: [
            {
              name: 'default',
              ttl: config.get('RATE_LIMIT_WINDOW_MS', { infer: true }),
              limit: (context: ExecutionContext) =>
                limitFor(requestOf(context), {
                  bot: perAgentBot,
                  token: perCredential,
                  ip: perIp,
                }),
            },
          ],
        };
      },
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
})
export class RateLimitModule {}
