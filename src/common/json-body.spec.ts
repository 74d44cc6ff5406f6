import { describe, expect, it } from '@jest/globals';
import { JSON_LIMITS, jsonBodyError, jsonBodyProblem, jsonTextProblem } from './json-body.js';

const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const bytes = (text: string) => Buffer.from(text);

describe('jsonBodyProblem (after parsing)', () => {
  it('accepts ordinary bodies', () => {
    expect(
      jsonBodyProblem({ name: 'Ann 😀', custom_attributes: { plan: ['a', 1, null, true] } }),
    ).toBeNull();
  });

  it('refuses nesting deeper than the limit, naming where', () => {
    expect(jsonBodyProblem({ a: JSON.parse(nested(JSON_LIMITS.depth - 1)) })).toBeNull();
    expect(jsonBodyProblem({ a: JSON.parse(nested(JSON_LIMITS.depth)) })).toEqual({
      code: 'json_too_deep',
      field: `a${'[0]'.repeat(JSON_LIMITS.depth - 1)}`,
    });
  });

  it('refuses too many values, or an object with too many keys', () => {
    expect(jsonBodyProblem({ a: new Array(JSON_LIMITS.values).fill(1) })?.code).toBe(
      'json_too_complex',
    );
    const wide = Object.fromEntries(
      Array.from({ length: JSON_LIMITS.keys + 1 }, (_, index) => [`k${index}`, 1]),
    );
    expect(jsonBodyProblem({ attributes: wide })).toEqual({
      code: 'json_too_complex',
      field: 'attributes',
    });
  });

  it('refuses lone surrogates and NUL in values and keys, naming the field', () => {
    expect(jsonBodyProblem({ name: 'a\ud800' })).toEqual({
      code: 'invalid_characters',
      field: 'name',
    });
    expect(jsonBodyProblem({ list: ['ok', '\udc00'] })?.field).toBe('list[1]');
    expect(jsonBodyProblem({ map: { ['\ud800']: 1 } })?.field).toBe('map.(a key)');
    expect(jsonBodyProblem({ name: 'a\u0000' })?.code).toBe('invalid_characters');
  });
});

describe('jsonTextProblem (before parsing)', () => {
  it('counts brackets outside strings only', () => {
    expect(jsonTextProblem(bytes(`{"a":"${'['.repeat(100)}"}`))).toBeNull();
    expect(jsonTextProblem(bytes(`{"a":"\\"${'['.repeat(100)}"}`))).toBeNull();
    expect(jsonTextProblem(bytes(`{"a":${nested(JSON_LIMITS.depth - 1)}}`))).toBeNull();
    expect(jsonTextProblem(bytes(`{"a":${nested(JSON_LIMITS.depth)}}`))?.code).toBe(
      'json_too_deep',
    );
  });

  it('refuses a body with as many commas as values allowed', () => {
    const list = (count: number) => bytes(`[${new Array(count).fill('0').join(',')}]`);
    expect(jsonTextProblem(list(JSON_LIMITS.values - 1))).toBeNull();
    expect(jsonTextProblem(list(JSON_LIMITS.values + 1))?.code).toBe('json_too_complex');
  });
});

describe('jsonBodyError', () => {
  it('is a 400 problem that names the field and says how to fix it', () => {
    const error = jsonBodyError({ code: 'json_too_deep', field: 'custom_attributes.a' });
    expect(error).toMatchObject({ kind: 'invalid', code: 'json_too_deep' });
    expect(error.message).toContain('custom_attributes.a');
    expect(error.extensions.errors).toEqual([
      { field: 'custom_attributes.a', messages: [expect.stringContaining('32 levels')] },
    ]);
  });
});
