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
// The domain events rules and extensions react to (owned by their modules, re-exported here).
export {
  ConversationCreatedEvent,
  ConversationEvent,
  ConversationStatusChangedEvent,
  ConversationUpdatedEvent,
  MessageCreatedEvent,
  MessageEvent,
  MessageUpdatedEvent,
} from '../conversations/index.js';
export { ContactCreatedEvent, ContactUpdatedEvent } from '../contacts/index.js';
export { DomainEvent } from '../outbox/index.js';
export type { EventMetadata } from '../outbox/index.js';
export type { RuleEvent } from './rule-context.js';
