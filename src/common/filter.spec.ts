import { describe, expect, it } from '@jest/globals';
import { UnprocessableError } from './errors.js';
import { buildFilterSql, FilterCondition, isIsoTime } from './filter.js';

describe('isIsoTime', () => {
  it.each([
    '2026-11-23',
    '2024-02-29',
    '2026-11-23T10:00Z',
    '2026-11-23T10:00:00Z',
    '2026-11-23 10:00:00.123456+05:30',
    '0001-01-01',
  ])('accepts %s', (text) => expect(isIsoTime(text)).toBe(true));

  it.each([
    '1',
    '2020',
    '0000-01-01',
    '2023-02-29',
    '2026-13-01',
    '2026-11-31',
    '2026-11-23T24:00:00Z',
    'Sat',
    '2026/11/23',
    '99999-01-01',
  ])('refuses %s', (text) => expect(isIsoTime(text)).toBe(false));
});

describe('buildFilterSql value types', () => {
  const columns = {
    created_at: { sql: 'c.created_at', type: 'date' as const },
    inbox_id: { sql: 'c.inbox_id', type: 'number' as const },
  };
  const condition = (attribute_key: string, filter_operator: string, values: unknown[]) =>
    Object.assign(new FilterCondition(), {
      attribute_key,
      filter_operator,
      values,
      query_operator: null,
    });

  it.each([
    ['created_at', 'is_greater_than', ['2020']],
    ['inbox_id', 'equal_to', ['0x10']],
    ['inbox_id', 'equal_to', ['']],
    ['plan', 'is_greater_than', ['']],
    ['plan', 'is_greater_than', ['0x10']],
    ['plan', 'is_less_than', ['1e999999']],
  ])('refuses %s %s %j with a 422 naming the condition', (key, operator, values) => {
    let error: unknown;
    try {
      buildFilterSql(
        [condition('name', 'is_present', []), condition(key, operator, values)],
        columns,
        'c.custom_attributes',
        [],
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnprocessableError);
    expect((error as Error).message).toContain(`payload[1]: `);
    expect((error as Error).message).toContain(key);
  });

  it('binds valid values', () => {
    const params: unknown[] = [];
    buildFilterSql(
      [condition('plan', 'is_greater_than', ['1.5e2'])],
      columns,
      'c.custom_attributes',
      params,
    );
    expect(params).toEqual(['plan', '1.5e2']);
  });
});
