import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';

// Atomically: count the hit in a fixed window, and start a block when the limit is passed.
// KEYS: hits, block. ARGV: window ms, limit, block ms. Returns hits, window ms left, block ms left.
const SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
local windowLeft = redis.call('PTTL', KEYS[1])
if windowLeft <= 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  windowLeft = tonumber(ARGV[1])
end
local blockLeft = redis.call('PTTL', KEYS[2])
if blockLeft <= 0 and hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  blockLeft = tonumber(ARGV[3])
end
if blockLeft < 0 then blockLeft = 0 end
return { hits, windowLeft, blockLeft }
`;

type ThrottleRedis = Redis & {
  conversaThrottle(
    hitsKey: string,
    blockKey: string,
    ttl: number,
    limit: number,
    block: number,
  ): Promise<number[]>;
};

/**
 * @nestjs/throttler storage in Redis, shared by every server process. (The community Redis
 * storage is CommonJS requiring the ESM-only @nestjs/common, which jest on Node 20 cannot load,
 * and its peer range stops at Nest 11.)
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly redis: ThrottleRedis;

  constructor(redis: Redis) {
    redis.defineCommand('conversaThrottle', { numberOfKeys: 2, lua: SCRIPT });
    this.redis = redis as ThrottleRedis;
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ) {
    const base = `throttle:${throttlerName}:${key}`;
    const [totalHits, windowLeft, blockLeft] = await this.redis.conversaThrottle(
      `${base}:hits`,
      `${base}:block`,
      ttl,
      limit,
      blockDuration,
    );
    // @nestjs/throttler expects seconds here; it sends timeToBlockExpire as Retry-After.
    return {
      totalHits,
      timeToExpire: Math.ceil(windowLeft / 1000),
      isBlocked: blockLeft > 0,
      timeToBlockExpire: Math.ceil(blockLeft / 1000),
    };
  }
}
