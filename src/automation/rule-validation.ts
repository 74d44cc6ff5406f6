import type { FieldError } from '../common/index.js';
import { PRIORITIES } from '../conversations/index.js';
import type { CustomAction } from './automation-registry.js';
import { BUILT_IN_ATTRIBUTES, RULE_OPERATORS } from './conditions.js';

export const RULE_EVENTS = [
  'conversation_created',
  'conversation_updated',
  'conversation_opened',
  'conversation_resolved',
  'message_created',
] as const;

const isText = (value: unknown) => typeof value === 'string' && value.trim().length > 0;
/** A user or team id: a whole number within PostgreSQL integer range. */
const isId = (value: unknown) =>
  Number.isInteger(Number(value)) && Number(value) > 0 && Number(value) <= 2_147_483_647;

/** Built-in actions and what their action_params must be (null: fine). */
export const BUILT_IN_ACTIONS: Record<string, (params: unknown[]) => string | null> = {
  assign_agent: (p) =>
    p.length === 1 && (p[0] === null || isId(p[0])) ? null : 'needs [user_id] (null unassigns)',
  assign_team: (p) =>
    p.length === 1 && (p[0] === null || isId(p[0]))
      ? null
      : 'needs [team_id] (null removes the team)',
  add_label: (p) => (p.length > 0 && p.every(isText) ? null : 'needs one or more label names'),
  remove_label: (p) => (p.length > 0 && p.every(isText) ? null : 'needs one or more label names'),
  send_message: (p) =>
    p.length === 1 && isText(p[0]) && String(p[0]).length <= 150_000
      ? null
      : 'needs [message text]',
  add_private_note: (p) =>
    p.length === 1 && isText(p[0]) && String(p[0]).length <= 150_000 ? null : 'needs [note text]',
  send_webhook_event: (p) =>
    p.length === 1 && typeof p[0] === 'string' && /^https?:\/\/\S+$/.test(p[0])
      ? null
      : 'needs [http(s) URL]',
  mute_conversation: (p) => (p.length === 0 ? null : 'takes no params'),
  snooze_conversation: (p) =>
    p.length === 0 || (p.length === 1 && Number.isInteger(Number(p[0])) && Number(p[0]) > 0)
      ? null
      : 'takes [] or [minutes]',
  resolve_conversation: (p) => (p.length === 0 ? null : 'takes no params'),
  open_conversation: (p) => (p.length === 0 ? null : 'takes no params'),
  change_priority: (p) =>
    p.length === 1 && (p[0] === null || [...PRIORITIES, 'none'].includes(String(p[0])))
      ? null
      : `needs one of ${[...PRIORITIES, 'none'].join(', ')}`,
  set_custom_attribute: (p) => (p.length === 2 && isText(p[0]) ? null : 'needs [key, value]'),
};

export interface RuleInput {
  event_name?: string;
  conditions?: unknown;
  actions?: unknown;
}

/** Every problem of a rule's event, conditions and actions, named by field. */
export function validateRule(
  input: RuleInput,
  customActions: (name: string) => CustomAction | undefined,
  customAttributes: Record<string, unknown>,
): FieldError[] {
  const errors: FieldError[] = [];
  const problem = (field: string, message: string) => errors.push({ field, messages: [message] });
  if (
    input.event_name !== undefined &&
    !(RULE_EVENTS as readonly string[]).includes(input.event_name)
  ) {
    problem(
      'event_name',
      `"${input.event_name}" is not a rule event; use one of ${RULE_EVENTS.join(', ')}`,
    );
  }
  if (input.conditions !== undefined) {
    const conditions = Array.isArray(input.conditions) ? input.conditions : [];
    if (!Array.isArray(input.conditions)) problem('conditions', 'must be an array');
    conditions.forEach((raw, index) => {
      const condition = (raw ?? {}) as Record<string, unknown>;
      const at = `conditions[${index}]`;
      const key = condition.attribute_key;
      const custom = condition.custom_attribute_type;
      if (typeof key !== 'string' || !key) problem(`${at}.attribute_key`, 'is required');
      else if (
        !Object.hasOwn(BUILT_IN_ATTRIBUTES, key) &&
        !Object.hasOwn(customAttributes, key) &&
        custom !== 'conversation_attribute' &&
        custom !== 'contact_attribute'
      ) {
        problem(
          `${at}.attribute_key`,
          `"${key}" is not a known attribute; for a custom attribute set custom_attribute_type to conversation_attribute or contact_attribute`,
        );
      }
      if (!(RULE_OPERATORS as readonly string[]).includes(String(condition.filter_operator))) {
        problem(
          `${at}.filter_operator`,
          `"${String(condition.filter_operator)}" is not an operator; use one of ${RULE_OPERATORS.join(', ')}`,
        );
      }
      if (!Array.isArray(condition.values)) problem(`${at}.values`, 'must be an array');
      const joiner = condition.query_operator;
      if (
        joiner !== undefined &&
        joiner !== null &&
        !['and', 'or'].includes(String(joiner).toLowerCase())
      ) {
        problem(`${at}.query_operator`, 'must be AND, OR or null');
      }
    });
  }
  if (input.actions !== undefined) {
    const actions = Array.isArray(input.actions) ? input.actions : [];
    if (!Array.isArray(input.actions) || actions.length === 0)
      problem('actions', 'must be a non-empty array');
    actions.forEach((raw, index) => {
      const action = (raw ?? {}) as Record<string, unknown>;
      const at = `actions[${index}]`;
      const name = String(action.action_name);
      const params = Array.isArray(action.action_params) ? action.action_params : null;
      if (params === null) problem(`${at}.action_params`, 'must be an array');
      // Own properties only: `valueOf` or `constructor` are not actions.
      const builtIn = Object.hasOwn(BUILT_IN_ACTIONS, name) ? BUILT_IN_ACTIONS[name] : undefined;
      const custom = customActions(name);
      if (!builtIn && !custom) {
        problem(
          `${at}.action_name`,
          `"${name}" is not an action; use one of ${Object.keys(BUILT_IN_ACTIONS).join(', ')} or a registered one`,
        );
      } else if (params) {
        const paramsProblem = builtIn ? builtIn(params) : (custom?.validate?.(params) ?? null);
        if (paramsProblem) problem(`${at}.action_params`, `${name} ${paramsProblem}`);
      }
    });
  }
  return errors;
}
