import { Injectable } from '@nestjs/common';
import { ICommand, IEvent, ofType, Saga } from '@nestjs/cqrs';
import type { Observable } from 'rxjs';
import { mergeMap } from 'rxjs';
import { AgentAvailabilityChangedEvent } from '../../accounts/index.js';
import {
  ConversationCreatedEvent,
  ConversationStatusChangedEvent,
  ConversationUpdatedEvent,
} from '../../conversations/index.js';
import {
  AssignBacklogCommand,
  AutoAssignConversationCommand,
} from '../commands/auto-assign.commands.js';

/**
 * Events → assignment commands. Pure: every decision (who, whether there is room) is made by
 * the command handlers, because an exception inside a saga's stream would end the saga.
 * - a conversation is created, or is unassigned (not by the assigner itself, nor a rule): assign it;
 * - it is reopened: reassign it if its assignee is offline or full (per policy);
 * - it gets a team: assign within the team (from someone outside a team that auto-assigns, too);
 * - an agent comes online, or their open load drops (resolved, reassigned; not unassigned by a
 *   rule): assign backlog.
 */
export function assignmentCommandsFor(event: IEvent): ICommand[] {
  if (event instanceof AgentAvailabilityChangedEvent) {
    return event.availability === 'online'
      ? [new AssignBacklogCommand(event.accountId, event.userId)]
      : [];
  }
  if (event instanceof ConversationCreatedEvent)
    return [new AutoAssignConversationCommand(event.accountId, event.conversation.id, 'created')];
  if (event instanceof ConversationStatusChangedEvent) {
    const { id: displayId, status, assignee_id: assignee } = event.conversation;
    if (status === 'open')
      return [new AutoAssignConversationCommand(event.accountId, displayId, 'reopened')];
    return event.previousStatus === 'open' && assignee
      ? [new AssignBacklogCommand(event.accountId, assignee)]
      : [];
  }
  if (event instanceof ConversationUpdatedEvent) {
    const { accountId, actor } = event;
    const displayId = event.conversation.id;
    const commands: ICommand[] = [];
    const assignee = event.change('assignee_id');
    // A rule's unassigning stands: handing the conversation back to the policy, or the freed room
    // to the backlog (which picks that same conversation), would be an assignment by the system,
    // which triggers rules, and the same rule would unassign again, endlessly.
    const unassignedByRule = assignee?.current_value === null && actor.type === 'automation_rule';
    if (assignee?.previous_value && !unassignedByRule) {
      commands.push(new AssignBacklogCommand(accountId, assignee.previous_value as number));
    }
    if (
      assignee &&
      assignee.current_value === null &&
      actor.type !== 'system' &&
      !unassignedByRule
    ) {
      commands.push(new AutoAssignConversationCommand(accountId, displayId, 'unassigned'));
    }
    if (event.change('team_id')?.current_value) {
      commands.push(new AutoAssignConversationCommand(accountId, displayId, 'team_changed'));
    }
    return commands;
  }
  return [];
}

@Injectable()
export class AssignmentSaga {
  @Saga()
  assignment = (events$: Observable<IEvent>): Observable<ICommand> =>
    events$.pipe(
      ofType(
        ConversationCreatedEvent,
        ConversationStatusChangedEvent,
        ConversationUpdatedEvent,
        AgentAvailabilityChangedEvent,
      ),
      mergeMap((event) => assignmentCommandsFor(event)),
    );
}
