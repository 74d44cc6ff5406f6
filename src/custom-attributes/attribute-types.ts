import { RE2JS } from 're2js';
import { isHttpUrl, isIsoTime, ValidationFailedError } from '../common/index.js';
import type { FieldError } from '../common/index.js';

/** Which records a definition governs; Chatwoot numbers them 0 and 1. */
export const ATTRIBUTE_MODELS = ['conversation_attribute', 'contact_attribute'] as const;
export type AttributeModel = (typeof ATTRIBUTE_MODELS)[number];

/** Chatwoot's display types; a type's index is the integer Chatwoot also accepts. */
export const ATTRIBUTE_DISPLAY_TYPES = [
  'text',
  'number',
  'currency',
  'percent',
  'link',
  'date',
  'list',
  'checkbox',
] as const;
export type AttributeDisplayType = (typeof ATTRIBUTE_DISPLAY_TYPES)[number];

/** Keys a definition may not take: the record's own attributes (Chatwoot's list). */
export const STANDARD_ATTRIBUTES: Record<AttributeModel, readonly string[]> = {
  conversation_attribute: [
    'status',
    'priority',
    'assignee_id',
    'inbox_id',
    'team_id',
    'display_id',
    'campaign_id',
    'labels',
    'browser_language',
    'country_code',
    'referer',
    'created_at',
    'last_activity_at',
  ],
  contact_attribute: [
    'name',
    'email',
    'phone_number',
    'identifier',
    'country_code',
    'city',
    'company_name',
    'created_at',
    'last_activity_at',
    'referer',
    'blocked',
  ],
};

/** What a definition says about the values under its key. */
export interface AttributeRule {
  key: string;
  type: AttributeDisplayType;
  /** The options of a list. */
  options: string[];
  regexPattern: string | null;
  regexCue: string | null;
}

/** The account's definitions of one model, by key. */
export type AttributeRules = Record<string, AttributeRule>;

/** How filters and automation conditions compare values of a display type. */
export type ComparedAs = 'text' | 'number' | 'date' | 'boolean';

export function comparedAs(type: AttributeDisplayType): ComparedAs {
  switch (type) {
    case 'number':
    case 'currency':
    case 'percent':
      return 'number';
    case 'date':
      return 'date';
    case 'checkbox':
      return 'boolean';
    default:
      return 'text';
  }
}

/** A plain decimal as JSON writes it, short enough to stay exact as a JavaScript number. */
const DECIMAL = /^-?\d{1,15}(\.\d{1,15})?$/;

const quoted = (values: string[]) =>
  values
    .slice(0, 10)
    .map((value) => JSON.stringify(value))
    .join(', ') + (values.length > 10 ? ', ...' : '');

/**
 * Whether `pattern` compiles as a regular expression. Patterns run on values anyone with the
 * inbox identifier can send, so they run on RE2 (linear time: no pattern can stall the
 * process), which has no lookarounds or backreferences.
 */
export function isPattern(pattern: string): boolean {
  try {
    RE2JS.compile(pattern);
    return true;
  } catch {
    return false;
  }
}

/** Whether `pattern` (checked with isPattern when saved) matches somewhere in `text`. */
function matchesPattern(pattern: string, text: string): boolean {
  return RE2JS.compile(pattern).test(text);
}

/** The value to store for `value` under `rule`, or what is wrong with it. */
function typed(rule: AttributeRule, value: unknown): { value: unknown } | { problem: string } {
  if (value === null) return { value };
  const is = `is a ${rule.type} attribute`;
  switch (rule.type) {
    case 'number':
    case 'currency':
    case 'percent': {
      if (typeof value === 'number' && Number.isFinite(value)) return { value };
      if (typeof value === 'string' && DECIMAL.test(value.trim()))
        return { value: Number(value.trim()) };
      return { problem: `${is}: send a number like 42 or 19.99` };
    }
    case 'checkbox':
      if (typeof value === 'boolean') return { value };
      if (value === 'true' || value === 'false') return { value: value === 'true' };
      return { problem: `${is}: send true or false` };
    case 'date':
      if (typeof value === 'string' && isIsoTime(value)) return { value };
      return { problem: `${is}: send an ISO 8601 date like 2026-11-23 or 2026-11-23T10:00:00Z` };
    case 'link':
      if (isHttpUrl(value)) return { value };
      return { problem: `${is}: send an http(s) URL like https://example.com/orders/42` };
    case 'list':
      if (typeof value === 'string' && rule.options.includes(value)) return { value };
      return { problem: `${is}: send one of ${quoted(rule.options)}` };
    case 'text': {
      const text =
        typeof value === 'string'
          ? value
          : typeof value === 'number' || typeof value === 'boolean'
            ? String(value)
            : null;
      if (text === null) return { problem: `${is}: send a string like "gold"` };
      if (rule.regexPattern !== null && !matchesPattern(rule.regexPattern, text)) {
        const cue = rule.regexCue ? ` (${rule.regexCue})` : '';
        return { problem: `${is} that must match ${rule.regexPattern}${cue}` };
      }
      return { value: text };
    }
  }
}

/**
 * The custom attributes to store: values under a defined key checked and normalised to the
 * definition's type (numbers and checkboxes become JSON numbers and booleans; null clears),
 * other keys as given. Throws a 422 naming every bad key, its type and an example.
 */
export function typedAttributes(
  rules: AttributeRules,
  values: Record<string, unknown>,
  field = 'custom_attributes',
): Record<string, unknown> {
  const errors: FieldError[] = [];
  // Entries, not assignment: a key such as __proto__ stays an ordinary key.
  const result: [string, unknown][] = [];
  for (const [key, value] of Object.entries(values)) {
    const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
    if (!rule) {
      result.push([key, value]);
      continue;
    }
    const outcome = typed(rule, value);
    if ('problem' in outcome) {
      const got = JSON.stringify(value) ?? String(value);
      errors.push({
        field: `${field}.${key}`,
        messages: [`${outcome.problem} (got ${got.length > 60 ? `${got.slice(0, 60)}...` : got})`],
      });
    } else {
      result.push([key, outcome.value]);
    }
  }
  if (errors.length > 0) throw new ValidationFailedError(errors);
  return Object.fromEntries(result);
}
