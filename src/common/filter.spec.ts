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
  const custom = {
    own: 'conversation_attribute',
    sources: {
      conversation_attribute: {
        sql: 'c.custom_attributes',
        types: { order_total: 'number' as const, paid: 'boolean' as const, due: 'date' as const },
      },
      contact_attribute: { sql: 'ct.custom_attributes', types: { plan_level: 'number' as const } },
    },
  };
  const condition = (
    attribute_key: string,
    filter_operator: string,
    values: unknown[],
    custom_attribute_type?: string,
  ) =>
    Object.assign(new FilterCondition(), {
      attribute_key,
      filter_operator,
      values,
      query_operator: null,
      custom_attribute_type,
    });

  it.each([
    ['created_at', 'is_greater_than', ['2020']],
    ['inbox_id', 'equal_to', ['0x10']],
    ['inbox_id', 'equal_to', ['']],
    ['plan', 'is_greater_than', ['']],
    ['plan', 'is_greater_than', ['0x10']],
    ['plan', 'is_less_than', ['1e999999']],
    ['order_total', 'equal_to', ['twelve']],
    ['paid', 'equal_to', ['yes']],
    ['due', 'is_greater_than', ['next week']],
  ])('refuses %s %s %j with a 422 naming the condition', (key, operator, values) => {
    let error: unknown;
    try {
      buildFilterSql(
        [condition('name', 'is_present', []), condition(key, operator, values)],
        columns,
        custom,
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
    buildFilterSql([condition('plan', 'is_greater_than', ['1.5e2'])], columns, custom, params);
    expect(params).toEqual(['plan', '1.5e2']);
  });

  it('compares defined custom attributes by their type, unfit stored values as absent', () => {
    const params: unknown[] = [];
    const sql = buildFilterSql(
      [
        condition('order_total', 'is_greater_than', ['100']),
        condition('paid', 'equal_to', [true]),
        condition('due', 'is_less_than', ['2026-12-01']),
      ],
      columns,
      custom,
      params,
    );
    expect(sql).toContain("~ '^-?[0-9]+(\\.[0-9]+)?$' THEN (c.custom_attributes ->> $1)::numeric");
    expect(sql).toContain("IN ('true', 'false') THEN (c.custom_attributes ->> $3)::boolean");
    expect(sql).toContain('conversa_try_timestamptz((c.custom_attributes ->> $5))');
    expect(params).toEqual(['order_total', '100', 'paid', ['true'], 'due', '2026-12-01']);
  });

  it("reads the model custom_attribute_type names, else the key's column or the own model", () => {
    const params: unknown[] = [];
    const sql = buildFilterSql(
      [
        condition('plan_level', 'is_greater_than', ['2'], 'contact_attribute'),
        condition('inbox_id', 'equal_to', [3]),
        condition('inbox_id', 'equal_to', ['x'], 'conversation_attribute'),
        condition('plan_level', 'equal_to', ['gold'], 'company_attribute'),
      ],
      columns,
      custom,
      params,
    );
    expect(sql).toContain('(ct.custom_attributes ->> $1)::numeric');
    expect(sql).toContain('c.inbox_id = ANY($3::numeric[])');
    expect(sql).toContain('(c.custom_attributes ->> $4)::text');
    // An unknown model reads the filter's own records; plan_level is not defined there: text.
    expect(sql).toContain('(c.custom_attributes ->> $6)::text');
  });
});
