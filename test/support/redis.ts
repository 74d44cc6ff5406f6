import { Redis } from 'ioredis';
import { TEST_NAME } from './test-environment.mjs';

/** Deletes every key under `prefix:`, which must be a test run's prefix (or one derived from it). */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  if (!TEST_NAME.test(prefix)) throw new Error(`Refusing to delete Redis keys under "${prefix}"`);
  const redis = new Redis(process.env.REDIS_URL!);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}
