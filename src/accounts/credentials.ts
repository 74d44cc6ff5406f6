import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export const TOKEN_PREFIX = 'cvs_';
const TOKEN_PATTERN = /^cvs_[A-Za-z0-9_-]{43}$/;

export interface IssuedToken {
  /** The secret, shown to its owner once. */
  token: string;
  hash: string;
  hint: string;
}

/** A new random access token: a recognisable prefix and 256 random bits. */
export function issueToken(): IssuedToken {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token), hint: token.slice(0, 8) };
}

/**
 * A one-time token for an agent invited without a password to set one: another prefix than
 * access tokens (it authenticates nothing), the same 256 bits and SHA-256 at rest.
 */
export function issuePasswordSetupToken(ttlHours: number): {
  token: string;
  hash: string;
  expiresAt: Date;
} {
  const token = 'cvp_' + randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token), expiresAt: new Date(Date.now() + ttlHours * 3_600_000) };
}

export function isWellFormedToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/** Tokens carry 256 random bits, so a fast hash is enough to make a stolen table useless. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const SCRYPT_BLOCK_SIZE = 8;
const SCRYPT_PARALLELISM = 1;
const KEY_LENGTH = 32;

function derive(
  password: string,
  salt: Buffer,
  cost: number,
  r: number,
  p: number,
): Promise<Buffer> {
  const N = 2 ** cost;
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFKC'),
      salt,
      KEY_LENGTH,
      { N, r, p, maxmem: 256 * N * r },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

/**
 * scrypt (memory hard). The parameters are stored with the hash, so the cost can be raised
 * later without invalidating existing passwords. Format: `scrypt$cost$r$p$salt$key`.
 */
export async function hashPassword(password: string, cost: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost, SCRYPT_BLOCK_SIZE, SCRYPT_PARALLELISM);
  return [
    'scrypt',
    cost,
    SCRYPT_BLOCK_SIZE,
    SCRYPT_PARALLELISM,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, cost, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(
    password,
    Buffer.from(salt, 'base64'),
    Number(cost),
    Number(r),
    Number(p),
  );
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A random password for a first administrator who did not choose one. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
