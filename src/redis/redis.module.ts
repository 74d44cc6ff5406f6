import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Redis } from 'ioredis';
import type { AppConfig } from '../config/index.js';

/** Injection token of the shared ioredis client; every key it writes carries REDIS_PREFIX. */
export const REDIS = Symbol('REDIS');

const logger = new Logger('Redis');

export function createRedisClient(url: string, prefix: string): Redis {
  const client = new Redis(url, {
    keyPrefix: `${prefix}:`,
    maxRetriesPerRequest: 3,
    enableOfflineQueue: true,
  });
  // ioredis reconnects by itself; without a listener each failure is printed as unhandled.
  client.on('error', (error: Error) => logger.warn(`Redis connection error: ${error.message}`));
  return client;
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [ConfigService],
      useFactory: (config: AppConfig) =>
        createRedisClient(
          config.get('REDIS_URL', { infer: true }),
          config.get('REDIS_PREFIX', { infer: true }),
        ),
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
