import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import {
  ConfigurationError,
  developmentLoopbackOpen,
  Environment,
  validateEnvironment,
} from './environment.js';

function failureOf(raw: Record<string, unknown>): ConfigurationError {
  try {
    validateEnvironment(raw);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('validateEnvironment', () => {
  it('has defaults that work against the local services', () => {
    const env = validateEnvironment({});
    expect(env).toBeInstanceOf(Environment);
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/conversa',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: 'conversa',
      LOG_LEVEL: 'info',
      BODY_LIMIT_BYTES: 1024 * 1024,
      RATE_LIMIT_WINDOW_MS: 60_000,
      RATE_LIMIT_PER_CREDENTIAL: 1200,
      RATE_LIMIT_PER_IP: 120,
      PASSWORD_HASH_COST: 17,
      SIGN_IN_TOKEN_TTL_DAYS: 30,
    });
  });

  it('converts numbers from the strings of process.env', () => {
    const env = validateEnvironment({
      PORT: '8080',
      BODY_LIMIT_BYTES: '2048',
      RATE_LIMIT_PER_IP: '3',
    });
    expect(env.PORT).toBe(8080);
    expect(env.BODY_LIMIT_BYTES).toBe(2048);
    expect(env.RATE_LIMIT_PER_IP).toBe(3);
  });

  it('treats empty values as unset, and ignores unknown variables', () => {
    const env = validateEnvironment({ PORT: '', LOG_LEVEL: '', HOME: '/root', PATH: '/usr/bin' });
    expect(env.PORT).toBe(3000);
    expect(env.LOG_LEVEL).toBe('info');
    expect(env).not.toHaveProperty('HOME');
  });

  it('accepts postgresql:// and rediss:// URLs', () => {
    const env = validateEnvironment({
      DATABASE_URL: 'postgresql://app:secret@db.internal:5432/conversa',
      REDIS_URL: 'rediss://cache.internal:6380',
    });
    expect(env.DATABASE_URL).toBe('postgresql://app:secret@db.internal:5432/conversa');
    expect(env.REDIS_URL).toBe('rediss://cache.internal:6380');
  });

  it('lists every bad value, one per line, naming the setting', () => {
    const error = failureOf({
      PORT: 'abc',
      DATABASE_URL: 'mysql://localhost/conversa',
      REDIS_URL: 'localhost:6379',
      LOG_LEVEL: 'loud',
      BODY_LIMIT_BYTES: '10',
      REDIS_PREFIX: 'has spaces',
      PASSWORD_HASH_COST: '30',
      NODE_ENV: 'staging',
    });
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('Invalid configuration:');
    const named = new Set(lines.slice(1).map((line) => line.trim().split(':')[0]));
    expect([...named].sort()).toEqual(
      [
        'BODY_LIMIT_BYTES',
        'DATABASE_URL',
        'LOG_LEVEL',
        'NODE_ENV',
        'PASSWORD_HASH_COST',
        'PORT',
        'REDIS_PREFIX',
        'REDIS_URL',
      ].sort(),
    );
    expect(error.message).toContain(
      'DATABASE_URL: DATABASE_URL must look like postgres://user:password@host:5432/database',
    );
    expect(error.message).toContain('REDIS_URL: REDIS_URL must look like redis://host:6379');
  });

  it('refuses ports out of range and fractional numbers', () => {
    expect(failureOf({ PORT: '70000' }).message).toMatch(/PORT: /);
    expect(failureOf({ PORT: '-1' }).message).toMatch(/PORT: /);
    expect(failureOf({ RATE_LIMIT_WINDOW_MS: '1.5' }).message).toMatch(/RATE_LIMIT_WINDOW_MS: /);
    expect(failureOf({ RATE_LIMIT_PER_CREDENTIAL: '0' }).message).toMatch(
      /RATE_LIMIT_PER_CREDENTIAL: /,
    );
  });

  it('does not echo other settings in the message', () => {
    const error = failureOf({
      PORT: 'abc',
      DATABASE_URL: 'postgres://app:top-secret@db:5432/conversa',
    });
    expect(error.message).not.toContain('top-secret');
  });

  it('puts one bad setting on one line with its value and a good example', () => {
    expect(failureOf({ PORT: 'abc' }).message).toBe(
      'Invalid configuration: PORT: PORT must be an integer number (got "abc"; e.g. PORT=3000)',
    );
  });

  it.each([
    ['127.0.0.1:4555', '"127.0.0.1:4555" has a port; list the host alone (127.0.0.1)'],
    ['[::1]:4555', '"[::1]:4555" has a port; list the host alone (::1)'],
    [
      'hooks.internal:8080',
      '"hooks.internal:8080" has a port; list the host alone (hooks.internal)',
    ],
    ['10.0.0.0/40', '"10.0.0.0/40" is not a CIDR range'],
    [
      'https://hooks.internal',
      '"https://hooks.internal" is a URL; list the host alone (hooks.internal)',
    ],
    ['two words', '"two words" is neither a host name, an IP address nor a CIDR range'],
  ])('refuses the WEBHOOK_ALLOWED_TARGETS entry %s with a hint', (entry, hint) => {
    const message = failureOf({ WEBHOOK_ALLOWED_TARGETS: `10.0.0.0/8, ${entry}` }).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toContain(`WEBHOOK_ALLOWED_TARGETS entry ${hint}`);
  });

  it('accepts hosts, addresses and CIDRs of both families', () => {
    const list = '127.0.0.0/8, ::1,fd00::/8,10.1.2.3,hooks.internal,localhost,2001:db8::1';
    expect(validateEnvironment({ WEBHOOK_ALLOWED_TARGETS: list }).WEBHOOK_ALLOWED_TARGETS).toBe(
      list,
    );
  });

  it('opens loopback by default in development only', () => {
    expect(validateEnvironment({}).WEBHOOK_ALLOWED_TARGETS).toBe('127.0.0.0/8,::1,localhost');
    expect(developmentLoopbackOpen(validateEnvironment({}))).toBe(true);
    expect(validateEnvironment({ NODE_ENV: 'production' }).WEBHOOK_ALLOWED_TARGETS).toBe('');
    expect(validateEnvironment({ NODE_ENV: 'test' }).WEBHOOK_ALLOWED_TARGETS).toBe('');
    const chosen = validateEnvironment({ WEBHOOK_ALLOWED_TARGETS: '10.0.0.0/8' });
    expect(chosen.WEBHOOK_ALLOWED_TARGETS).toBe('10.0.0.0/8');
    expect(developmentLoopbackOpen(chosen)).toBe(false);
  });
});
