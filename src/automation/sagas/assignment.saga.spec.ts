import { describe, expect, it } from '@jest/globals';
import { AgentAvailabilityChangedEvent } from '../../accounts/index.js';
import {
  ConversationCreatedEvent,
  ConversationStatusChangedEvent,
  ConversationUpdatedEvent,
  MessageCreatedEvent,
} from '../../conversations/index.js';
import type { StoredEvent } from '../../outbox/index.js';
import {
  AssignBacklogCommand,
  AutoAssignConversationCommand,
} from '../commands/auto-assign.commands.js';
import { assignmentCommandsFor } from './assignment.saga.js';

/** A stored event of conversation 11 (display id 5) in inbox 3 of account 7. */
function record(
  name: string,
  fields: Record<string, unknown>,
  actor: StoredEvent['actor'] = { type: 'user', id: 9 },
): StoredEvent {
  const payload = { ...fields, account: { id: 7, name: 'Acme' }, inbox: { id: 3, name: 'API' } };
  return {
    id: '1',
    eventId: 'e',
    name,
    accountId: 7,
    inboxId: 3,
    conversationId: 11,
    stream: 'conversation:11',
    sequence: 1,
    actor,
    payload,
    occurredAt: new Date(),
  };
}

const user = { type: 'user' as const, id: 9 };

describe('assignmentCommandsFor', () => {
  it.each([
    [
      'a new conversation is auto-assigned',
      ConversationCreatedEvent.fromStored(record('conversation_created', { id: 5 })),
      [new AutoAssignConversationCommand(7, 5, 'created')],
    ],
    [
      'a reopened conversation is checked',
      ConversationStatusChangedEvent.fromStored(
        record('conversation_status_changed', {
          id: 5,
          status: 'open',
          previous_status: 'resolved',
          assignee_id: 4,
        }),
      ),
      [new AutoAssignConversationCommand(7, 5, 'reopened')],
    ],
    [
      'resolving frees the assignee for backlog',
      ConversationStatusChangedEvent.fromStored(
        record('conversation_status_changed', {
          id: 5,
          status: 'resolved',
          previous_status: 'open',
          assignee_id: 4,
        }),
      ),
      [new AssignBacklogCommand(7, 4)],
    ],
    [
      'resolving an unassigned conversation does nothing',
      ConversationStatusChangedEvent.fromStored(
        record('conversation_status_changed', {
          id: 5,
          status: 'resolved',
          previous_status: 'open',
          assignee_id: null,
        }),
      ),
      [],
    ],
    [
      'pending to resolved frees nobody',
      ConversationStatusChangedEvent.fromStored(
        record('conversation_status_changed', {
          id: 5,
          status: 'resolved',
          previous_status: 'pending',
          assignee_id: 4,
        }),
      ),
      [],
    ],
    [
      'an agent unassigning gives it back to the policy and frees the agent',
      ConversationUpdatedEvent.fromStored(
        record('conversation_updated', {
          id: 5,
          assignee_id: null,
          changed_attributes: [{ assignee_id: { previous_value: 4, current_value: null } }],
        }),
      ),
      [new AssignBacklogCommand(7, 4), new AutoAssignConversationCommand(7, 5, 'unassigned')],
    ],
    [
      'the system unassigning does not loop back',
      ConversationUpdatedEvent.fromStored(
        record(
          'conversation_updated',
          {
            id: 5,
            assignee_id: null,
            changed_attributes: [{ assignee_id: { previous_value: 4, current_value: null } }],
          },
          { type: 'system', id: null },
        ),
      ),
      [new AssignBacklogCommand(7, 4)],
    ],
    [
      'a rule unassigning triggers nothing (the backlog would pick the same conversation for the rule to unassign again)',
      ConversationUpdatedEvent.fromStored(
        record(
          'conversation_updated',
          {
            id: 5,
            assignee_id: null,
            changed_attributes: [{ assignee_id: { previous_value: 4, current_value: null } }],
          },
          { type: 'automation_rule', id: 3 },
        ),
      ),
      [],
    ],
    [
      'a rule reassigning frees the previous assignee',
      ConversationUpdatedEvent.fromStored(
        record(
          'conversation_updated',
          {
            id: 5,
            assignee_id: 6,
            changed_attributes: [{ assignee_id: { previous_value: 4, current_value: 6 } }],
          },
          { type: 'automation_rule', id: 3 },
        ),
      ),
      [new AssignBacklogCommand(7, 4)],
    ],
    [
      'an assignment from nobody triggers nothing',
      ConversationUpdatedEvent.fromStored(
        record('conversation_updated', {
          id: 5,
          assignee_id: 4,
          changed_attributes: [{ assignee_id: { previous_value: null, current_value: 4 } }],
        }),
      ),
      [],
    ],
    [
      'a team given to an unassigned conversation assigns within it',
      ConversationUpdatedEvent.fromStored(
        record('conversation_updated', {
          id: 5,
          assignee_id: null,
          changed_attributes: [{ team_id: { previous_value: null, current_value: 2 } }],
        }),
      ),
      [new AutoAssignConversationCommand(7, 5, 'team_changed')],
    ],
    [
      'a team given to an assigned conversation is checked (its assignee may not be a member)',
      ConversationUpdatedEvent.fromStored(
        record('conversation_updated', {
          id: 5,
          assignee_id: 4,
          changed_attributes: [{ team_id: { previous_value: null, current_value: 2 } }],
        }),
      ),
      [new AutoAssignConversationCommand(7, 5, 'team_changed')],
    ],
    [
      'removing the team triggers nothing',
      ConversationUpdatedEvent.fromStored(
        record('conversation_updated', {
          id: 5,
          assignee_id: 4,
          changed_attributes: [{ team_id: { previous_value: 2, current_value: null } }],
        }),
      ),
      [],
    ],
    [
      'an agent coming online takes backlog',
      new AgentAvailabilityChangedEvent(7, 4, 'online', 'offline', user),
      [new AssignBacklogCommand(7, 4)],
    ],
    [
      'an agent going offline takes nothing',
      new AgentAvailabilityChangedEvent(7, 4, 'offline', 'online', user),
      [],
    ],
    [
      'messages do not assign',
      MessageCreatedEvent.fromStored(record('message_created', { id: 1 })),
      [],
    ],
  ])('%s', (_name, event, expected) => {
    expect(assignmentCommandsFor(event)).toEqual(expected);
  });
});
