import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DomainError } from './errors.js';
import {
  coerceFormValues,
  formBodyToObject,
  formFieldsToObject,
  isFormBody,
  parseQueryString,
  queryStringError,
  queryStringToObject,
} from './form-body.js';
import { JSON_LIMITS } from './json-body.js';

class Inner {
  @ApiPropertyOptional()
  count?: number;
}

class Outer {
  @ApiProperty()
  inbox_id: number;

  @ApiPropertyOptional()
  private?: boolean;

  @ApiPropertyOptional({ type: [Number] })
  user_ids?: number[];

  @ApiPropertyOptional({ type: () => Inner })
  inner?: Inner;

  @ApiPropertyOptional()
  name?: string;

  @ApiPropertyOptional({ enum: ['AND', 'OR'], nullable: true })
  joiner?: string | null;

  @ApiPropertyOptional({ oneOf: [{ type: 'integer' }, { type: 'string', format: 'date-time' }] })
  until?: number | string;
}

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a DomainError';
  }
  return undefined;
};

describe('formFieldsToObject', () => {
  it('builds the objects Rails builds from bracket keys', () => {
    expect(
      formFieldsToObject([
        ['message[content]', 'hi'],
        ['message[content_attributes][kind]', 'note'],
        ['labels[]', 'a'],
        ['labels[]', 'b'],
        ['items[][title]', 'one'],
        ['items[][value]', '1'],
        ['name', 'first'],
        ['name', 'last'],
      ]),
    ).toEqual({
      message: { content: 'hi', content_attributes: { kind: 'note' } },
      labels: ['a', 'b'],
      items: [{ title: 'one', value: '1' }],
      name: 'last',
    });
  });

  it("starts a new array element when the last one already has the key (Rack's rule)", () => {
    const rack = (fields: [string, string][]) => formFieldsToObject(fields);
    expect(
      rack([
        ['a[][x]', '1'],
        ['a[][y]', '2'],
        ['a[][x]', '3'],
      ]),
    ).toEqual({ a: [{ x: '1', y: '2' }, { x: '3' }] });
    // Nested keys count by their whole path; a plain value is never merged into.
    expect(
      rack([
        ['a[][x][p]', '1'],
        ['a[][x][q]', '2'],
        ['a[][x][p]', '3'],
        ['a[]', 'plain'],
        ['a[][y]', '4'],
      ]),
    ).toEqual({ a: [{ x: { p: '1', q: '2' } }, { x: { p: '3' } }, 'plain', { y: '4' }] });
    // A nested `[]` collects into the last element; arrays under a key are separate.
    expect(
      rack([
        ['f[][values][]', 'a'],
        ['f[][values][]', 'b'],
        ['g[h][][k]', '1'],
        ['g[h][][k]', '2'],
      ]),
    ).toEqual({ f: [{ values: ['a', 'b'] }], g: { h: [{ k: '1' }, { k: '2' }] } });
    // What Chatwoot's filter forms send.
    expect(
      formBodyToObject(
        'payload[][attribute_key]=status&payload[][filter_operator]=equal_to&payload[][values][]=open' +
          '&payload[][query_operator]=and&payload[][attribute_key]=priority' +
          '&payload[][filter_operator]=equal_to&payload[][values][]=high',
      ),
    ).toEqual({
      payload: [
        {
          attribute_key: 'status',
          filter_operator: 'equal_to',
          values: ['open'],
          query_operator: 'and',
        },
        { attribute_key: 'priority', filter_operator: 'equal_to', values: ['high'] },
      ],
    });
  });

  it('marks what it builds as a form body; JSON objects are not', () => {
    expect(isFormBody(formFieldsToObject([['a', '1']]))).toBe(true);
    expect(isFormBody({ a: '1' })).toBe(false);
  });

  it('never builds keys of Object.prototype', () => {
    const object = formFieldsToObject([
      ['__proto__[polluted]', 'yes'],
      ['constructor[prototype][polluted]', 'yes'],
    ]);
    expect(object).toEqual({});
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps the JSON limits', () => {
    expect(codeOf(() => formFieldsToObject([[`a${'[b]'.repeat(JSON_LIMITS.depth)}`, '1']]))).toBe(
      'json_too_deep',
    );
    const many = Array.from({ length: JSON_LIMITS.values + 1 }, (_, index): [string, string] => [
      `k${index}`,
      '1',
    ]);
    expect(codeOf(() => formFieldsToObject(many))).toBe('json_too_complex');
    expect(codeOf(() => formFieldsToObject([['name', 'a\u0000b']]))).toBe('invalid_characters');
    expect(codeOf(() => formBodyToObject('name=a%00b'))).toBe('invalid_characters');
    expect(codeOf(() => formFieldsToObject([['name', 'a\ud800b']]))).toBe('invalid_characters');
    expect(codeOf(() => formFieldsToObject([['\udfff', 'x']]))).toBe('invalid_characters');
    // Refused before its brackets are read (splitting them costs their square).
    expect(codeOf(() => formBodyToObject(`a[]${'[b]'.repeat(50_000)}=1`))).toBe('json_too_deep');
  });

  it('refuses a name sent both as a value and as a list or hash, as Rack does', () => {
    for (const fields of [
      [
        ['labels', 'a'],
        ['labels[]', 'b'],
      ],
      [
        ['labels[]', 'b'],
        ['labels', 'a'],
      ],
      [
        ['message', 'hi'],
        ['message[content]', 'hi'],
      ],
      [
        ['a[b][]', '1'],
        ['a[b]', '2'],
      ],
    ] as [string, string][][]) {
      expect({ fields, code: codeOf(() => formFieldsToObject(fields)) }).toEqual({
        fields,
        code: 'conflicting_keys',
      });
    }
    // A list of values and hashes is not a conflict (Rack takes it too).
    expect(
      formFieldsToObject([
        ['a[]', '1'],
        ['a[][x]', '2'],
        ['b[c][]', '3'],
        ['b[c][][d]', '4'],
      ]),
    ).toEqual({ a: ['1', { x: '2' }], b: { c: ['3', { d: '4' }] } });
  });
});

describe('queryStringToObject', () => {
  it('reads bracket keys as a form body does, and a plain key sent twice as a list', () => {
    expect(queryStringToObject('labels%5B%5D=a&labels[]=b&status=open')).toEqual({
      labels: ['a', 'b'],
      status: 'open',
    });
    expect(queryStringToObject('labels=a&labels=b&labels=c')).toEqual({ labels: ['a', 'b', 'c'] });
    expect(queryStringToObject('labels=a,b')).toEqual({ labels: 'a,b' });
    expect(
      queryStringToObject('payload[0][attribute_key]=status&payload[0][values][]=open&q=a+b'),
    ).toEqual({ payload: [{ attribute_key: 'status', values: ['open'] }], q: 'a b' });
    expect(queryStringToObject('')).toEqual({});
    // Its values are typed by the query's request class, not as a form body's.
    expect(isFormBody(queryStringToObject('page=2'))).toBe(false);
  });

  it('refuses what a body is refused, with codes of the query string', () => {
    expect(codeOf(() => queryStringToObject(`a${'[b]'.repeat(JSON_LIMITS.depth)}=1`))).toBe(
      'query_too_deep',
    );
    const many = Array.from({ length: JSON_LIMITS.values + 1 }, (_, index) => `k${index}=1`);
    expect(codeOf(() => queryStringToObject(many.join('&')))).toBe('query_too_complex');
    expect(codeOf(() => queryStringToObject('q=a%00b'))).toBe('invalid_characters');
    expect(codeOf(() => queryStringToObject('labels=a&labels[]=b'))).toBe('conflicting_keys');
  });

  it("never throws for Fastify's router: a refused query is a stand-in carrying its problem", () => {
    const refused = parseQueryString('labels=a&labels[x]=b');
    expect(refused).toEqual({});
    expect(queryStringError(refused)).toMatchObject({ code: 'conflicting_keys' });
    expect(queryStringError(parseQueryString('labels[]=a'))).toBeUndefined();
  });
});

describe('coerceFormValues', () => {
  it('types numbers and booleans by the request class, nested and in arrays', () => {
    expect(
      coerceFormValues(
        {
          inbox_id: '5',
          private: 'false',
          user_ids: ['1', '2'],
          inner: { count: '3' },
          name: '42',
          extra: 'true',
        },
        Outer,
      ),
    ).toEqual({
      inbox_id: 5,
      private: false,
      user_ids: [1, 2],
      inner: { count: 3 },
      name: '42',
      extra: 'true',
    });
  });

  it('leaves text that is not a number or boolean for validation to refuse', () => {
    expect(coerceFormValues({ inbox_id: 'five', private: 'maybe' }, Outer)).toEqual({
      inbox_id: 'five',
      private: 'maybe',
    });
    expect(coerceFormValues({ private: '1' }, Outer)).toEqual({ private: true });
    expect(coerceFormValues({ inbox_id: '', private: '', name: '' }, Outer)).toEqual({
      inbox_id: null,
      private: null,
      name: '',
    });
  });

  it('reads numeric text as the number where a number is one of the documented forms', () => {
    expect(coerceFormValues({ until: '1757506877' }, Outer)).toEqual({ until: 1757506877 });
    // A blank nullable choice is null, as Rails reads a blank form value.
    expect(coerceFormValues({ joiner: '' }, Outer)).toEqual({ joiner: null });
    expect(coerceFormValues({ until: '2030-01-01T09:00:00Z' }, Outer)).toEqual({
      until: '2030-01-01T09:00:00Z',
    });
  });
});
