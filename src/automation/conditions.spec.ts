import { describe, expect, it } from '@jest/globals';
import { conditionHolds, evaluateConditions } from './conditions.js';
import type { RuleCondition, RuleContext, RuleOperator } from './conditions.js';

describe('conditionHolds', () => {
  it.each<[RuleOperator, unknown, unknown[], boolean]>([
    ['equal_to', 'open', ['open'], true],
    ['equal_to', 'Open', ['open'], true],
    ['equal_to', 'open', ['resolved', 'open'], true],
    ['equal_to', 'open', ['resolved'], false],
    ['equal_to', 5, ['5'], true],
    ['equal_to', null, [''], false],
    ['equal_to', ['vip', 'billing'], ['billing'], true],
    ['not_equal_to', 'open', ['resolved'], true],
    ['not_equal_to', 'open', ['open'], false],
    ['contains', 'I want a REFUND now', ['refund'], true],
    ['contains', 'hello', ['refund', 'ell'], true],
    ['contains', null, ['x'], false],
    ['does_not_contain', 'hello', ['refund'], true],
    ['does_not_contain', 'refund please', ['refund'], false],
    ['starts_with', '+351 912', ['+351'], true],
    ['starts_with', '+1 555', ['+351'], false],
    ['is_present', 'x', [], true],
    ['is_present', '', [], false],
    ['is_present', [], [], false],
    ['is_present', null, [], false],
    ['is_not_present', undefined, [], true],
    ['is_not_present', 'x', [], false],
    ['is_greater_than', 10, ['5'], true],
    ['is_greater_than', '3', [5], false],
    ['is_greater_than', 'abc', [5], false],
    ['is_less_than', '2026-01-01T00:00:00Z', ['2026-06-01T00:00:00Z'], true],
    ['is_less_than', 9, [5], false],
  ])('%s: %j against %j is %s', (operator, value, values, expected) => {
    expect(conditionHolds(operator, value, values)).toBe(expected);
  });

  it('attribute_changed needs a change, and matches its new value when values are given', () => {
    expect(conditionHolds('attribute_changed', 'high', [])).toBe(false);
    expect(
      conditionHolds('attribute_changed', 'high', [], {
        previous_value: null,
        current_value: 'high',
      }),
    ).toBe(true);
    expect(
      conditionHolds('attribute_changed', 'high', ['urgent'], {
        previous_value: null,
        current_value: 'high',
      }),
    ).toBe(false);
    expect(
      conditionHolds('attribute_changed', 'high', ['high'], {
        previous_value: 'low',
        current_value: 'high',
      }),
    ).toBe(true);
  });
});

describe('days_before', () => {
  const daysAgo = (days: number) => Date.now() - days * 86_400_000;

  it.each([
    ['unix seconds 10 days ago, 3 days', Math.floor(daysAgo(10) / 1000), [3], true],
    ['an ISO time 10 days ago, "3" days', new Date(daysAgo(10)).toISOString(), ['3'], true],
    ['unix seconds 1 day ago, 3 days', Math.floor(daysAgo(1) / 1000), [3], false],
    ['now, 0 days (before today)', Math.floor(Date.now() / 1000), [0], false],
    ['no value', null, [3], false],
    ['not a time', 'soon', [3], false],
  ])('%s', (_name, value, values, expected) => {
    expect(conditionHolds('days_before', value, values)).toBe(expected);
  });
});

describe('evaluateConditions', () => {
  const context: RuleContext = {
    conversation: {
      status: 'open',
      priority: null,
      labels: ['vip'],
      custom_attributes: { plan: 'gold' },
      additional_attributes: {},
    },
    contact: {
      email: 'ada@acme.test',
      custom_attributes: { tier: '2' },
      additional_attributes: { city: 'Lisbon' },
    },
    message: { content: 'Refund please', message_type: 'incoming' },
    changed: {},
  };
  const condition = (
    attribute_key: string,
    filter_operator: RuleOperator,
    values: unknown[],
    query_operator: string | null = null,
    custom_attribute_type?: string,
  ): RuleCondition => ({
    attribute_key,
    filter_operator,
    values,
    query_operator,
    custom_attribute_type,
  });

  it.each<[string, RuleCondition[], boolean]>([
    ['no conditions', [], true],
    ['one true', [condition('status', 'equal_to', ['open'])], true],
    [
      'AND of true and false',
      [
        condition('status', 'equal_to', ['open'], 'and'),
        condition('content', 'contains', ['invoice']),
      ],
      false,
    ],
    [
      'OR of false and true',
      [
        condition('status', 'equal_to', ['resolved'], 'OR'),
        condition('content', 'contains', ['refund']),
      ],
      true,
    ],
    [
      'AND binds tighter than OR',
      [
        condition('status', 'equal_to', ['resolved'], 'AND'),
        condition('content', 'contains', ['refund'], 'OR'),
        condition('city', 'equal_to', ['lisbon']),
      ],
      true,
    ],
    [
      'conversation custom attribute',
      [condition('plan', 'equal_to', ['gold'], null, 'conversation_attribute')],
      true,
    ],
    [
      'contact custom attribute',
      [condition('tier', 'is_greater_than', [1], null, 'contact_attribute')],
      true,
    ],
    ['contact attribute', [condition('email', 'starts_with', ['ada@'])], true],
    ['labels', [condition('labels', 'equal_to', ['VIP'])], true],
  ])('%s', (_name, conditions, expected) => {
    expect(evaluateConditions(conditions, context).matched).toBe(expected);
  });

  it('compares defined custom attributes by their definition type', () => {
    const typed: RuleContext = {
      ...context,
      conversation: {
        ...context.conversation,
        custom_attributes: { total: 100, renewal: '2026-12-01', paid: true, code: '10' },
      },
    };
    const types = {
      conversation_attribute: {
        total: 'number' as const,
        renewal: 'date' as const,
        paid: 'boolean' as const,
      },
    };
    const holds = (item: RuleCondition) => evaluateConditions([item], typed, {}, types).matched;
    // Numbers: 100 equals "100.0" and exceeds "99"; a date is no number.
    expect(holds(condition('total', 'equal_to', ['100.0']))).toBe(true);
    expect(holds(condition('total', 'is_greater_than', ['99']))).toBe(true);
    expect(holds(condition('total', 'is_greater_than', ['2026-01-01']))).toBe(false);
    // Dates: the same day in another notation is equal; order is by time.
    expect(holds(condition('renewal', 'equal_to', ['2026-12-01T00:00:00Z']))).toBe(true);
    expect(holds(condition('renewal', 'is_less_than', ['2027-01-01']))).toBe(true);
    // Checkboxes: true matches true and "true", not "yes".
    expect(holds(condition('paid', 'equal_to', ['true']))).toBe(true);
    expect(holds(condition('paid', 'not_equal_to', [false]))).toBe(true);
    expect(holds(condition('paid', 'equal_to', ['yes']))).toBe(false);
    // Undefined keys compare as before: as text.
    expect(holds(condition('code', 'equal_to', ['10.0']))).toBe(false);
    expect(evaluateConditions([condition('total', 'equal_to', ['100.0'])], typed).matched).toBe(
      false,
    );
  });

  it('says which condition failed and what it saw', () => {
    const { reason } = evaluateConditions([condition('content', 'contains', ['invoice'])], context);
    expect(reason).toBe('content contains ["invoice"] was false (value "Refund please")');
  });

  it('uses registered attributes', () => {
    const domain = (ctx: RuleContext) => String(ctx.contact.email).split('@')[1];
    expect(
      evaluateConditions([condition('email_domain', 'equal_to', ['acme.test'])], context, {
        email_domain: domain,
      }).matched,
    ).toBe(true);
  });
});
