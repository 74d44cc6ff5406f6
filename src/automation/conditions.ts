import { FILTER_OPERATORS } from '../common/index.js';
import type { ComparedAs } from '../custom-attributes/index.js';

/** What a rule's conditions are checked against: the state carried by the event. */
export interface RuleContext {
  conversation: Record<string, unknown>;
  contact: Record<string, unknown>;
  message: Record<string, unknown> | null;
  /** conversation_updated's changed_attributes: attribute → previous and current value. */
  changed: Record<string, { previous_value: unknown; current_value: unknown }>;
}

export type AttributeResolver = (context: RuleContext) => unknown;

/** The filter operators, plus attribute_changed for conversation_updated. */
export const RULE_OPERATORS = [...FILTER_OPERATORS, 'attribute_changed'] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];

export interface RuleCondition {
  attribute_key: string;
  filter_operator: RuleOperator;
  values: unknown[];
  /** Joins this condition to the next: AND binds tighter than OR. */
  query_operator?: string | null;
  /** conversation_attribute or contact_attribute, for custom attributes. */
  custom_attribute_type?: string | null;
}

const attribute =
  (source: 'conversation' | 'contact' | 'message', key: string): AttributeResolver =>
  (context) =>
    (context[source] ?? {})[key];
const nested =
  (source: 'conversation' | 'contact', group: string, key: string): AttributeResolver =>
  (context) =>
    ((context[source]?.[group] ?? {}) as Record<string, unknown>)[key];

/** The attributes rules can test out of the box (Chatwoot's names). */
export const BUILT_IN_ATTRIBUTES: Record<string, AttributeResolver> = {
  status: attribute('conversation', 'status'),
  priority: attribute('conversation', 'priority'),
  inbox_id: attribute('conversation', 'inbox_id'),
  team_id: attribute('conversation', 'team_id'),
  assignee_id: attribute('conversation', 'assignee_id'),
  display_id: attribute('conversation', 'id'),
  labels: attribute('conversation', 'labels'),
  muted: attribute('conversation', 'muted'),
  browser_language: nested('conversation', 'additional_attributes', 'browser_language'),
  conversation_language: nested('conversation', 'additional_attributes', 'conversation_language'),
  referer: nested('conversation', 'additional_attributes', 'referer'),
  created_at: attribute('conversation', 'created_at'),
  last_activity_at: attribute('conversation', 'last_activity_at'),
  mail_subject: nested('conversation', 'additional_attributes', 'mail_subject'),
  content: attribute('message', 'content'),
  message_type: attribute('message', 'message_type'),
  private: attribute('message', 'private'),
  // Chatwoot's name for the same condition.
  private_note: attribute('message', 'private'),
  name: attribute('contact', 'name'),
  email: attribute('contact', 'email'),
  phone_number: attribute('contact', 'phone_number'),
  identifier: attribute('contact', 'identifier'),
  country_code: nested('contact', 'additional_attributes', 'country_code'),
  city: nested('contact', 'additional_attributes', 'city'),
  company: nested('contact', 'additional_attributes', 'company_name'),
};

const text = (value: unknown): string =>
  (value === null || value === undefined ? '' : String(value)).toLowerCase();

function isPresent(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  return !(Array.isArray(value) && value.length === 0);
}

/** A time as milliseconds: unix seconds (as events carry them), milliseconds or ISO 8601. */
function timeOf(value: unknown): number | null {
  if (!isPresent(value)) return null;
  if (typeof value === 'number') return value < 1e11 ? value * 1000 : value;
  const time = Date.parse(String(value));
  return Number.isNaN(time) ? null : time;
}

/** Midnight UTC, `days` days ago: what Chatwoot's days_before compares with. */
function daysAgo(days: number): number {
  const today = new Date();
  return (
    Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - days * 86_400_000
  );
}

const asNumber = (value: unknown): number =>
  isPresent(value) && typeof value !== 'boolean' ? Number(value) : NaN;
const asTime = (value: unknown): number => (isPresent(value) ? Date.parse(String(value)) : NaN);
const asBoolean = (value: unknown): boolean | null =>
  value === true || value === 'true' ? true : value === false || value === 'false' ? false : null;

/**
 * The order of two values: as the type says for a defined custom attribute, else as numbers
 * when both read as numbers, else as times. Null when they do not compare.
 */
function compare(value: unknown, other: unknown, type?: ComparedAs): number | null {
  const [a, b] = [asNumber(value), asNumber(other)];
  if (type !== 'date' && !Number.isNaN(a) && !Number.isNaN(b)) return a - b;
  if (type === 'number') return null;
  const [x, y] = [asTime(value), Date.parse(String(other))];
  return Number.isNaN(x) || Number.isNaN(y) ? null : x - y;
}

/** equal_to for a typed value: the same number, instant or truth value. */
function sameTyped(type: Exclude<ComparedAs, 'text'>, item: unknown, wanted: unknown): boolean {
  if (type === 'boolean') return asBoolean(item) !== null && asBoolean(item) === asBoolean(wanted);
  return compare(item, wanted, type) === 0;
}

/**
 * Whether one condition holds for the attribute's value. Pure; strings compare
 * case-insensitively; `type` (a defined custom attribute's) makes equality and order typed.
 */
export function conditionHolds(
  operator: RuleOperator,
  value: unknown,
  values: unknown[],
  change?: { previous_value: unknown; current_value: unknown },
  type?: ComparedAs,
): boolean {
  const items = Array.isArray(value) ? value : [value];
  switch (operator) {
    case 'equal_to':
      return values.some((wanted) =>
        items.some((item) =>
          type && type !== 'text'
            ? sameTyped(type, item, wanted)
            : isPresent(item) && text(item) === text(wanted),
        ),
      );
    case 'not_equal_to':
      return !conditionHolds('equal_to', value, values, undefined, type);
    case 'contains':
      return values.some((wanted) => items.some((item) => text(item).includes(text(wanted))));
    case 'does_not_contain':
      return !conditionHolds('contains', value, values);
    case 'starts_with':
      return values.some((wanted) =>
        items.some((item) => isPresent(item) && text(item).startsWith(text(wanted))),
      );
    case 'is_present':
      return isPresent(value);
    case 'is_not_present':
      return !isPresent(value);
    case 'is_greater_than':
    case 'is_less_than': {
      const difference = compare(value, values[0], type);
      if (difference === null) return false;
      return operator === 'is_greater_than' ? difference > 0 : difference < 0;
    }
    case 'days_before': {
      const time = timeOf(value);
      const days = Number(values[0]);
      return time !== null && Number.isInteger(days) && time < daysAgo(days);
    }
    case 'attribute_changed':
      return (
        change !== undefined &&
        (values.length === 0 ||
          values.some((wanted) => text(change.current_value) === text(wanted)))
      );
  }
}

/** The defined custom attributes' types, by model and key (see AttributeTypesQuery). */
export type CustomAttributeTypes = Partial<
  Record<'conversation_attribute' | 'contact_attribute', Record<string, ComparedAs>>
>;

/** Whose custom attribute a condition reads, or null when it reads a named attribute. */
export function customAttributeModel(
  condition: RuleCondition,
  extra: Record<string, AttributeResolver>,
): 'conversation_attribute' | 'contact_attribute' | null {
  const key = condition.attribute_key;
  if (Object.hasOwn(BUILT_IN_ATTRIBUTES, key) || Object.hasOwn(extra, key)) return null;
  return condition.custom_attribute_type === 'contact_attribute'
    ? 'contact_attribute'
    : 'conversation_attribute';
}

export function resolveAttribute(
  condition: RuleCondition,
  context: RuleContext,
  extra: Record<string, AttributeResolver>,
): unknown {
  const key = condition.attribute_key;
  const model = customAttributeModel(condition, extra);
  if (model === null) return (BUILT_IN_ATTRIBUTES[key] ?? extra[key])(context);
  const source = model === 'contact_attribute' ? context.contact : context.conversation;
  const attributes = (source?.custom_attributes ?? {}) as Record<string, unknown>;
  return Object.hasOwn(attributes, key) ? attributes[key] : undefined;
}

/**
 * Evaluates conditions left to right, AND binding tighter than OR (as in SQL), and says why:
 * each condition with the value it saw. No conditions match everything.
 */
export function evaluateConditions(
  conditions: RuleCondition[],
  context: RuleContext,
  extra: Record<string, AttributeResolver> = {},
  customTypes: CustomAttributeTypes = {},
): { matched: boolean; reason: string } {
  if (conditions.length === 0) return { matched: true, reason: 'no conditions' };
  const groups: { holds: boolean; why: string }[][] = [[]];
  conditions.forEach((condition, index) => {
    const value = resolveAttribute(condition, context, extra);
    const model = customAttributeModel(condition, extra);
    const types = model ? customTypes[model] : undefined;
    const holds = conditionHolds(
      condition.filter_operator,
      value,
      condition.values ?? [],
      context.changed[condition.attribute_key],
      types && Object.hasOwn(types, condition.attribute_key)
        ? types[condition.attribute_key]
        : undefined,
    );
    groups[groups.length - 1].push({
      holds,
      why: `${condition.attribute_key} ${condition.filter_operator} ${JSON.stringify(condition.values ?? [])} was ${holds} (value ${JSON.stringify(value ?? null)})`,
    });
    if (index < conditions.length - 1 && text(condition.query_operator) === 'or') groups.push([]);
  });
  const matched = groups.some((group) => group.every((item) => item.holds));
  const reason = groups.map((group) => group.map((item) => item.why).join(' AND ')).join(' OR ');
  return { matched, reason };
}
