import { describe, expect, it } from '@jest/globals';
import { ValidationFailedError } from '../common/index.js';
import { isPattern, typedAttributes } from './attribute-types.js';
import type { AttributeDisplayType, AttributeRules } from './attribute-types.js';

const rule = (
  key: string,
  type: AttributeDisplayType,
  extra: Partial<AttributeRules[string]> = {},
) => ({
  [key]: { key, type, options: [], regexPattern: null, regexCue: null, ...extra },
});

const problems = (rules: AttributeRules, values: Record<string, unknown>) => {
  try {
    typedAttributes(rules, values);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationFailedError);
    return (error as ValidationFailedError).errors;
  }
  throw new Error('expected a 422');
};

describe('typedAttributes', () => {
  const rules: AttributeRules = {
    ...rule('seats', 'number'),
    ...rule('price', 'currency'),
    ...rule('share', 'percent'),
    ...rule('paid', 'checkbox'),
    ...rule('due', 'date'),
    ...rule('site', 'link'),
    ...rule('plan', 'list', { options: ['free', 'pro'] }),
    ...rule('code', 'text', { regexPattern: '^[A-Z]{2}-\\d+$', regexCue: 'like AB-1' }),
    ...rule('note', 'text'),
  };

  it('normalises fitting values and keeps undefined keys as sent', () => {
    expect(
      typedAttributes(rules, {
        seats: '12',
        price: 9.99,
        share: '-0.5',
        paid: 'false',
        due: '2026-02-28T10:00:00+01:00',
        site: 'https://example.com/a?b=1',
        plan: 'pro',
        code: 'AB-1042',
        note: 42,
        other: [1, { a: null }],
        cleared: null,
        seats_null: null,
      }),
    ).toEqual({
      seats: 12,
      price: 9.99,
      share: -0.5,
      paid: false,
      due: '2026-02-28T10:00:00+01:00',
      site: 'https://example.com/a?b=1',
      plan: 'pro',
      code: 'AB-1042',
      note: '42',
      other: [1, { a: null }],
      cleared: null,
      seats_null: null,
    });
    expect(typedAttributes(rules, { seats: null, paid: null })).toEqual({
      seats: null,
      paid: null,
    });
  });

  it('names every value that does not fit, with its type and an example', () => {
    const errors = problems(rules, {
      seats: '1e3',
      price: Number.NaN,
      paid: 1,
      due: '2026-02-30',
      site: 'javascript:alert(1)',
      plan: 'Pro',
      code: 'ab-1',
      note: { nested: true },
    });
    expect(Object.fromEntries(errors.map((error) => [error.field, error.messages[0]]))).toEqual({
      'custom_attributes.seats':
        'is a number attribute: send a number like 42 or 19.99 (got "1e3")',
      'custom_attributes.price':
        'is a currency attribute: send a number like 42 or 19.99 (got null)',
      'custom_attributes.paid': 'is a checkbox attribute: send true or false (got 1)',
      'custom_attributes.due':
        'is a date attribute: send an ISO 8601 date like 2026-11-23 or 2026-11-23T10:00:00Z (got "2026-02-30")',
      'custom_attributes.site':
        'is a link attribute: send an http(s) URL like https://example.com/orders/42 (got "javascript:alert(1)")',
      'custom_attributes.plan': 'is a list attribute: send one of "free", "pro" (got "Pro")',
      'custom_attributes.code':
        'is a text attribute that must match ^[A-Z]{2}-\\d+$ (like AB-1) (got "ab-1")',
      'custom_attributes.note':
        'is a text attribute: send a string like "gold" (got {"nested":true})',
    });
  });

  it('keeps a key such as __proto__ an ordinary key', () => {
    const values = JSON.parse('{"__proto__": {"polluted": true}, "seats": 1}') as Record<
      string,
      unknown
    >;
    const typed = typedAttributes(rules, values);
    expect(Object.keys(typed)).toEqual(['__proto__', 'seats']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('runs patterns in linear time: a pattern that backtracks badly in JavaScript is harmless', () => {
    const slow = rule('slow', 'text', { regexPattern: '^(a+)+$' });
    // A backtracking engine takes longer than the age of the universe on this; RE2 does not.
    expect(problems(slow, { slow: `${'a'.repeat(1400)}b` })).toHaveLength(1);
    expect(typedAttributes(slow, { slow: 'a'.repeat(1400) })).toEqual({ slow: 'a'.repeat(1400) });
  });
});

describe('isPattern', () => {
  it('accepts RE2 syntax and refuses what it cannot run in linear time', () => {
    expect(isPattern('^[A-Z]{2}-\\d+$')).toBe(true);
    expect(isPattern('(?i)^gold|silver$')).toBe(true);
    expect(isPattern('([a-z')).toBe(false);
    expect(isPattern('^(?=.*\\d).+$')).toBe(false);
    expect(isPattern('(a)\\1')).toBe(false);
  });
});
