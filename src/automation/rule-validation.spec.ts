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
});
