export { checkRedis } from './check-redis.js';
export { createRedisClient, REDIS, RedisModule } from './redis.module.js';
