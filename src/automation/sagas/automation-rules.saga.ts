import { Injectable } from '@nestjs/common';
import { ICommand, IEvent, ofType, Saga } from '@nestjs/cqrs';
import type { Observable } from 'rxjs';
import { map } from 'rxjs';
import {
  ConversationCreatedEvent,
  ConversationStatusChangedEvent,
  ConversationUpdatedEvent,
  MessageCreatedEvent,
} from '../../conversations/index.js';
import { RunAutomationRulesCommand } from '../commands/automation-rules.commands.js';

/** Every event rules can react to becomes a run of the account's rules; the handler decides. */
@Injectable()
export class AutomationRulesSaga {
  @Saga()
  rules = (events$: Observable<IEvent>): Observable<ICommand> =>
    events$.pipe(
      ofType(
        ConversationCreatedEvent,
        ConversationUpdatedEvent,
        ConversationStatusChangedEvent,
        MessageCreatedEvent,
      ),
      map((event) => new RunAutomationRulesCommand(event)),
    );
}
