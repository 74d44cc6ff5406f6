import { describe, expect, it } from '@jest/globals';
import { classifyResponse, nextDelayMs, parseRetryAfter, parseSchedule } from './retry-policy.js';

const SCHEDULE = parseSchedule('5000,300000,1800000,7200000,18000000,36000000,36000000');

describe('classifyResponse', () => {
  it.each([
    [200, 'delivered'],
    [204, 'delivered'],
    [299, 'delivered'],
    [410, 'gone'],
    [301, 'retry'],
    [302, 'retry'],
    [400, 'retry'],
    [404, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
  ])('%i is %s', (status, kind) => {
    expect(classifyResponse(status, undefined).kind).toBe(kind);
  });

  it('says a redirect is not followed', () => {
    expect(classifyResponse(302, undefined)).toMatchObject({
      reason: 'answered 302 (redirects are not followed)',
    });
  });

  it('honours Retry-After only on 429 and 503', () => {
    expect(classifyResponse(429, '7')).toEqual({
      kind: 'retry',
      reason: 'answered 429',
      retryAfterMs: 7000,
    });
    expect(classifyResponse(503, '2')).toMatchObject({ retryAfterMs: 2000 });
    expect(classifyResponse(500, '7')).toMatchObject({ retryAfterMs: null });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    ['120', 120_000],
    [' 3 ', 3_000],
    ['Thu, 01 Jan 2026 00:00:30 GMT', 30_000],
    ['Wed, 31 Dec 2025 00:00:00 GMT', 0],
    ['soon', null],
    [undefined, null],
  ])('%s → %s', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('nextDelayMs', () => {
  it('follows the schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then stops', () => {
    const middle = () => 0.5;
    expect(
      [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) =>
        nextDelayMs(attempt, SCHEDULE, null, 3_600_000, middle),
      ),
    ).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000, null]);
  });

  it('jitters by at most ±20 %', () => {
    expect(nextDelayMs(1, SCHEDULE, null, 0, () => 0)).toBe(4_000);
    expect(nextDelayMs(1, SCHEDULE, null, 0, () => 1)).toBe(6_000);
  });

  it('waits for a longer Retry-After, but no longer than the cap', () => {
    expect(nextDelayMs(1, SCHEDULE, 60_000, 3_600_000, () => 0.5)).toBe(60_000);
    expect(nextDelayMs(1, SCHEDULE, 1_000, 3_600_000, () => 0.5)).toBe(5_000);
    expect(nextDelayMs(1, SCHEDULE, 99_000_000, 3_600_000, () => 0.5)).toBe(3_600_000);
  });
});
