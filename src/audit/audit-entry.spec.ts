import { describe, expect, it } from '@jest/globals';
import { auditEntryOf, typeName, withoutSecrets } from './audit-entry.js';

const A = '/api/v1/accounts/:account_id';

describe('audit entries', () => {
  it('names the resource of the route, the action and the id', () => {
    expect(
      auditEntryOf({
        method: 'PATCH',
        route: `${A}/teams/:id`,
        params: { account_id: '1', id: '7' },
        body: { name: 'x' },
        answer: {},
      }),
    ).toEqual({
      auditableType: 'Team',
      auditableId: '7',
      action: 'update',
      operation: `PATCH ${A}/teams/:id`,
      changes: { name: 'x' },
    });
    const created = auditEntryOf({
      method: 'POST',
      route: `${A}/automation_rules`,
      params: { account_id: '1' },
      body: {},
      answer: { id: 12 },
    });
    expect([created.auditableType, created.auditableId, created.action]).toEqual([
      'AutomationRule',
      '12',
      'create',
    ]);
    const removed = auditEntryOf({
      method: 'DELETE',
      route: `${A}/inboxes/:id`,
      params: { account_id: '1', id: '3' },
      body: undefined,
      answer: undefined,
    });
    expect([removed.auditableType, removed.auditableId, removed.action]).toEqual([
      'Inbox',
      '3',
      'destroy',
    ]);
  });

  it('treats a verb after an id as an update of that resource, and a sub-resource as its own type', () => {
    const cloned = auditEntryOf({
      method: 'POST',
      route: `${A}/automation_rules/:id/clone`,
      params: { id: '4' },
      body: {},
      answer: { id: 9 },
    });
    expect([cloned.auditableType, cloned.auditableId, cloned.action, cloned.changes]).toEqual([
      'AutomationRule',
      '4',
      'update',
      { action: 'clone' },
    ]);
    const members = auditEntryOf({
      method: 'POST',
      route: `${A}/teams/:id/team_members`,
      params: { id: '2' },
      body: { user_ids: [5] },
      answer: [],
    });
    expect([members.auditableType, members.auditableId, members.action]).toEqual([
      'TeamMember',
      '2',
      'create',
    ]);
    const account = auditEntryOf({
      method: 'PATCH',
      route: A,
      params: { account_id: '1' },
      body: { name: 'Acme' },
      answer: {},
    });
    expect([account.auditableType, account.auditableId]).toEqual(['Account', '1']);
  });

  it('never keeps a secret', () => {
    expect(
      withoutSecrets({
        url: 'https://x',
        secret: 's',
        nested: { hmac_token: 'h', Password: 'p', list: [{ api_key: 'k' }] },
      }),
    ).toEqual({
      url: 'https://x',
      secret: '[FILTERED]',
      nested: {
        hmac_token: '[FILTERED]',
        Password: '[FILTERED]',
        list: [{ api_key: '[FILTERED]' }],
      },
    });
    expect(typeName('inboxes')).toBe('Inbox');
    expect(typeName('custom_attribute_definitions')).toBe('CustomAttributeDefinition');
    expect(typeName('canned_responses')).toBe('CannedResponse');
  });
});
