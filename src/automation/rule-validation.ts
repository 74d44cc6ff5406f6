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
/** A count such as days_before's days: a whole number from 0 to 36,500 (as text or a number). */
const isWholeNumber = (value: unknown) =>
  (typeof value === 'number' || (typeof value === 'string' && /^\d{1,5}$/.test(value.trim()))) &&
  Number.isInteger(Number(value)) &&
  Number(value) >= 0 &&
  Number(value) <= 36_500;
/** A user or team id: a whole number within PostgreSQL integer range. */
const isId = (value: unknown) =>
  Number.isInteger(Number(value)) && Number(value) > 0 && Number(value) <= 2_147_483_647;

/** Chatwoot's placeholders for "nobody" in assign_agent, assign_team and change_priority. */
export const NIL = 'nil';
/** assign_agent's placeholder for the agent who last replied. */
export const LAST_RESPONDING_AGENT = 'last_responding_agent';

/** Whether assign_team's param means "remove the team", as Chatwoot reads it. */
export function unassignsTeam(params: unknown[]): boolean {
  return params.length === 0 || params[0] === null || [NIL, '0'].includes(String(params[0]));
}

const isAgentParam = (value: unknown) =>
  value === null || value === NIL || value === LAST_RESPONDING_AGENT || isId(value);

const STATUSES = ['open', 'resolved', 'pending', 'snoozed'];
/** Chatwoot ignores the params of these actions; so does Conversa. */
const anyParams = () => null;

/** Built-in actions and what their action_params must be (null: fine). */
export const BUILT_IN_ACTIONS: Record<string, (params: unknown[]) => string | null> = {
  assign_agent: (p) =>
    p.length === 0 || (p.length === 1 && isAgentParam(p[0]))
      ? null
      : 'needs [user_id], ["last_responding_agent"], or ["nil"] or [null] to unassign',
  assign_team: (p) =>
    unassignsTeam(p) || (p.length === 1 && isId(p[0]))
      ? null
      : 'needs [team_id], or [], ["nil"], [0] or [null] to remove the team',
  remove_assigned_agent: anyParams,
  remove_assigned_team: anyParams,
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
  mute_conversation: anyParams,
  snooze_conversation: (p) =>
    p.length === 0 || (p.length === 1 && Number.isInteger(Number(p[0])) && Number(p[0]) > 0)
      ? null
      : 'takes [] or [minutes]',
  resolve_conversation: anyParams,
  open_conversation: anyParams,
  pending_conversation: anyParams,
  change_status: (p) =>
    p.length === 1 && STATUSES.includes(String(p[0]))
      ? null
      : `needs one of ${STATUSES.join(', ')}`,
  change_priority: (p) =>
    p.length === 1 && (p[0] === null || [...PRIORITIES, 'none', NIL].includes(String(p[0])))
      ? null
      : `needs one of ${[...PRIORITIES, 'none'].join(', ')}, or "nil" or null to clear it`,
  set_custom_attribute: (p) => (p.length === 2 && isText(p[0]) ? null : 'needs [key, value]'),
};

/**
 * Chatwoot actions Conversa refuses at save, with the reason: a rule that silently skipped
 * them would look imported while doing less than it did in Chatwoot.
 */
export const UNSUPPORTED_ACTIONS: Record<string, string> = {
  send_email_to_team:
    'Conversa sends no email (it has no mailer); use send_webhook_event to notify your system, or add_private_note',
  send_email_transcript:
    'Conversa sends no email (it has no mailer); use send_webhook_event and send the transcript from your system',
  send_attachment:
    "Conversa's rules have no uploaded files to attach; use send_message, or send the file from your system",
  add_sla: 'SLA policies are a Chatwoot Enterprise feature Conversa does not have',
};

/** Chatwoot condition attributes Conversa refuses at save, with the reason. */
export const UNSUPPORTED_ATTRIBUTES: Record<string, string> = {
  sla_policy_id: 'SLA policies are a Chatwoot Enterprise feature Conversa does not have',
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
      else if (Object.hasOwn(UNSUPPORTED_ATTRIBUTES, key) && !custom) {
        problem(
          `${at}.attribute_key`,
          `"${key}" is a Chatwoot condition Conversa does not support: ${UNSUPPORTED_ATTRIBUTES[key]}`,
        );
      } else if (
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
      else if (
        condition.filter_operator === 'days_before' &&
        !(condition.values.length === 1 && isWholeNumber(condition.values[0]))
      ) {
        problem(`${at}.values`, 'days_before needs [number of days]');
      }
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
    if (!Array.isArray(input.actions)) problem('actions', 'must be an array');
    actions.forEach((raw, index) => {
      const action = (raw ?? {}) as Record<string, unknown>;
      const at = `actions[${index}]`;
      const name = String(action.action_name);
      const params = Array.isArray(action.action_params) ? action.action_params : null;
      if (params === null) problem(`${at}.action_params`, 'must be an array');
      // Own properties only: `valueOf` or `constructor` are not actions.
      const builtIn = Object.hasOwn(BUILT_IN_ACTIONS, name) ? BUILT_IN_ACTIONS[name] : undefined;
      const custom = customActions(name);
      if (Object.hasOwn(UNSUPPORTED_ACTIONS, name) && !custom) {
        problem(
          `${at}.action_name`,
          `"${name}" is a Chatwoot action Conversa does not support: ${UNSUPPORTED_ACTIONS[name]}`,
        );
      } else if (!builtIn && !custom) {
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
