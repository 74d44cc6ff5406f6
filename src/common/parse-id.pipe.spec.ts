import { describe, expect, it } from '@jest/globals';
import { DomainError } from './errors.js';
import { MAX_ID, ParseBigIdPipe, ParseIdPipe, parseId } from './parse-id.pipe.js';

describe('parseId', () => {
  it.each(['1', '42', '2147483647'])('reads %s', (text) => {
    expect(parseId(text)).toBe(Number(text));
  });

  it.each([
    '0',
    '-1',
    '+1',
    ' 1',
    '1 ',
    '01',
    '1.0',
    '1e1',
    '0x10',
    '0b1',
    '',
    'abc',
    '2147483648',
    '１',
  ])('refuses "%s"', (text) => {
    expect(parseId(text)).toBeNull();
  });

  it('reads bigint ids up to the largest exact JavaScript integer', () => {
    expect(parseId('3000000000', Number.MAX_SAFE_INTEGER)).toBe(3_000_000_000);
    expect(parseId('9007199254740991', Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseId('9007199254740992', Number.MAX_SAFE_INTEGER)).toBeNull();
    expect(parseId('99999999999999999999', Number.MAX_SAFE_INTEGER)).toBeNull();
  });
});

describe('ParseIdPipe', () => {
  const pipe = new ParseIdPipe();

  it('answers the id', () => {
    expect(pipe.transform('16', { data: 'id' })).toBe(16);
  });

  it('throws 400 invalid_id naming the parameter and showing what was sent', () => {
    let error: unknown;
    try {
      pipe.transform('0x10', { data: 'inbox_id' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'invalid', code: 'invalid_id' });
    expect((error as Error).message).toContain('inbox_id');
    expect((error as Error).message).toContain('"0x10"');
    expect((error as Error).message).toContain(String(MAX_ID));
  });

  it('ParseBigIdPipe takes ids beyond int4', () => {
    expect(new ParseBigIdPipe().transform('3000000000', { data: 'message_id' })).toBe(
      3_000_000_000,
    );
    expect(() => pipe.transform('3000000000', { data: 'id' })).toThrow(DomainError);
  });
});
