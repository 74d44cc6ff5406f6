// The automation module's public surface, and the extension points for automation authors:
// register custom actions and condition attributes with the AutomationRegistry, and react to
// the domain events (re-exported here) with an ordinary @EventsHandler.
export { AutomationModule } from './automation.module.js';
export { AutomationRegistry } from './automation-registry.js';
export type { ActionContext, CustomAction, CustomAttribute } from './automation-registry.js';
export type { AttributeResolver, RuleContext } from './conditions.js';
export {
  AssignBacklogCommand,
  AutoAssignConversationCommand,
} from './commands/auto-assign.commands.js';
export {
  ContactCreatedEvent,
  ContactUpdatedEvent,
  ConversationCreatedEvent,
  ConversationStatusChangedEvent,
  ConversationUpdatedEvent,
  MessageCreatedEvent,
  MessageUpdatedEvent,
  RecordedEvent,
} from '../outbox/index.js';
export type { EventRecord } from '../outbox/index.js';
