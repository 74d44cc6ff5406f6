import { describe, expect, it } from '@jest/globals';
import { validateRule } from './rule-validation.js';

const noCustomAction = () => undefined;

describe('validateRule', () => {
  it('accepts a built-in action and attribute', () => {
    expect(
      validateRule(
        {
          event_name: 'message_created',
          conditions: [{ attribute_key: 'status', filter_operator: 'equal_to', values: ['open'] }],
          actions: [{ action_name: 'add_label', action_params: ['billing'] }],
        },
        noCustomAction,
        {},
      ),
    ).toEqual([]);
  });

  // Found by the fuzz suite: `valueOf` was looked up on the action table's prototype and called.
  it.each(['valueOf', 'constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'names inherited property %s as an unknown action and attribute, never running it',
    (name) => {
      const errors = validateRule(
        {
          conditions: [{ attribute_key: name, filter_operator: 'equal_to', values: ['x'] }],
          actions: [{ action_name: name, action_params: [] }],
        },
        noCustomAction,
        {},
      );
      expect(errors.map((error) => error.field).sort()).toEqual([
        'actions[0].action_name',
        'conditions[0].attribute_key',
      ]);
    },
  );

  it.each([
    ['assign_agent', ['nil']],
    ['assign_agent', ['last_responding_agent']],
    ['assign_agent', []],
    ['assign_team', ['0']],
    ['assign_team', [0]],
    ['assign_team', ['nil']],
    ['assign_team', []],
    ['change_priority', ['nil']],
    ['change_status', ['snoozed']],
    ['remove_assigned_agent', []],
    ['remove_assigned_team', [null]],
    ['pending_conversation', []],
    ['resolve_conversation', [null]],
  ])("accepts Chatwoot's %s %j", (name, params) => {
    expect(
      validateRule({ actions: [{ action_name: name, action_params: params }] }, noCustomAction, {}),
    ).toEqual([]);
  });

  it.each(['send_email_to_team', 'send_email_transcript', 'send_attachment', 'add_sla'])(
    'refuses %s as unsupported, with the reason',
    (name) => {
      const [error] = validateRule(
        { actions: [{ action_name: name, action_params: [] }] },
        noCustomAction,
        {},
      );
      expect(error.field).toBe('actions[0].action_name');
      expect(error.messages[0]).toMatch(/^".+" is a Chatwoot action Conversa does not support: /);
    },
  );

  it('lets a registered action take an unsupported name', () => {
    const custom = { name: 'send_email_to_team', run: async () => undefined };
    expect(
      validateRule(
        { actions: [{ action_name: 'send_email_to_team', action_params: [] }] },
        () => custom,
        {},
      ),
    ).toEqual([]);
  });

  it('takes private_note and days_before with a number of days', () => {
    expect(
      validateRule(
        {
          conditions: [
            { attribute_key: 'private_note', filter_operator: 'equal_to', values: [true] },
            { attribute_key: 'created_at', filter_operator: 'days_before', values: ['7'] },
          ],
        },
        noCustomAction,
        {},
      ),
    ).toEqual([]);
  });
});
