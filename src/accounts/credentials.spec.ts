import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import {
  generatePassword,
  hashPassword,
  hashToken,
  isWellFormedToken,
  issueToken,
  TOKEN_PREFIX,
  verifyPassword,
} from './credentials.js';

// The lowest cost the configuration accepts, so the spec stays fast.
const COST = 10;

describe('access tokens', () => {
  it('have a recognisable prefix and 256 random bits', () => {
    const { token } = issueToken();
    expect(token.startsWith(TOKEN_PREFIX)).toBe(true);
    expect(token).toMatch(/^cvs_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url')).toHaveLength(32);
  });

  it('are different every time', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => issueToken().token));
    expect(tokens.size).toBe(50);
  });

  it('are stored as the hex SHA-256 of the token, with the first 8 characters as a hint', () => {
    const { token, hash, hint } = issueToken();
    expect(hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).toBe(hash);
    expect(hint).toBe(token.slice(0, 8));
    expect(hash).not.toContain(token.slice(TOKEN_PREFIX.length));
  });

  it('are recognised as well formed only in the exact format', () => {
    const { token } = issueToken();
    expect(isWellFormedToken(token)).toBe(true);
    for (const bad of [
      '',
      'cvs_',
      token.slice(0, -1),
      `${token}A`,
      token.replace('cvs_', 'CVS_'),
      token.replace('cvs_', 'xyz_'),
      `${token.slice(0, -1)}=`,
      `${token.slice(0, -1)}+`,
      ` ${token}`,
    ]) {
      expect({ bad, wellFormed: isWellFormedToken(bad) }).toEqual({ bad, wellFormed: false });
    }
  });
});

describe('passwords', () => {
  it('are hashed with scrypt, the parameters and a random salt stored with the key', async () => {
    const stored = await hashPassword('correct horse battery', COST);
    const [scheme, cost, r, p, salt, key] = stored.split('$');
    expect({ scheme, cost, r, p }).toEqual({
      scheme: 'scrypt',
      cost: String(COST),
      r: '8',
      p: '1',
    });
    expect(Buffer.from(salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(stored).not.toContain('correct horse battery');
  });

  it('hash the same password differently each time (salted)', async () => {
    const [first, second] = await Promise.all([
      hashPassword('same password', COST),
      hashPassword('same password', COST),
    ]);
    expect(first).not.toBe(second);
    expect(await verifyPassword('same password', first)).toBe(true);
    expect(await verifyPassword('same password', second)).toBe(true);
  });

  it('verify the right password and refuse a wrong one', async () => {
    const stored = await hashPassword('correct horse battery', COST);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('verify with the cost stored in the hash, so the cost can be raised later', async () => {
    const cheap = await hashPassword('password one', COST);
    const dearer = await hashPassword('password one', COST + 2);
    expect(await verifyPassword('password one', cheap)).toBe(true);
    expect(await verifyPassword('password one', dearer)).toBe(true);
  });

  it('treat equivalent Unicode forms of a password alike', async () => {
    const stored = await hashPassword('caf\u00e9 au lait', COST);
    expect(await verifyPassword('cafe\u0301 au lait', stored)).toBe(true);
  });

  it('refuse a tampered or foreign hash', async () => {
    const stored = await hashPassword('correct horse battery', COST);
    const parts = stored.split('$');
    const key = Buffer.from(parts[5], 'base64');
    key[0] ^= 0xff;
    const tamperedKey = [...parts.slice(0, 5), key.toString('base64')].join('$');
    const salt = Buffer.from(parts[4], 'base64');
    salt[0] ^= 0xff;
    const tamperedSalt = [...parts.slice(0, 4), salt.toString('base64'), parts[5]].join('$');
    const shortKey = [...parts.slice(0, 5), key.subarray(0, 16).toString('base64')].join('$');

    expect(await verifyPassword('correct horse battery', tamperedKey)).toBe(false);
    expect(await verifyPassword('correct horse battery', tamperedSalt)).toBe(false);
    expect(await verifyPassword('correct horse battery', shortKey)).toBe(false);
    expect(await verifyPassword('correct horse battery', stored.replace(/^scrypt/, 'bcrypt'))).toBe(
      false,
    );
    expect(await verifyPassword('correct horse battery', '')).toBe(false);
    expect(await verifyPassword('correct horse battery', 'scrypt$10$8$1$$')).toBe(false);
  });
});

describe('generated passwords', () => {
  it('are long, random and URL safe', () => {
    const passwords = new Set(Array.from({ length: 20 }, generatePassword));
    expect(passwords.size).toBe(20);
    for (const password of passwords) expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });
});
