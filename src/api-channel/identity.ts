import { createHmac, timingSafeEqual } from 'node:crypto';

/** Whether `hash` is the hex HMAC-SHA256 of `identifier` under `key`, compared in constant time. */
export function isValidIdentityHash(key: string, identifier: string, hash: string): boolean {
  const expected = createHmac('sha256', key).update(identifier).digest();
  const given = /^[0-9a-f]{64}$/i.test(hash) ? Buffer.from(hash, 'hex') : Buffer.alloc(0);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
