// The conversations module's public surface.
export { ConversationsModule } from './conversations.module.js';
export { CONVERSATION_STATUSES, PRIORITIES } from './entities/conversation.entity.js';
export type { ConversationStatus, Priority } from './entities/conversation.entity.js';
export { CONTENT_TYPES, MESSAGE_STATUSES, MESSAGE_TYPES } from './entities/message.entity.js';
export type { ContentType, MessageStatus, MessageType } from './entities/message.entity.js';
export type { ConversationRef } from './dto/conversation-ref.js';
export type { NewMessage } from './conversation.store.js';
// For the labels module's rename, inside its transaction.
export { renameConversationLabel } from './conversation.store.js';
export type { ConversationResponse, MessageResponse } from './conversation.read-model.js';
export {
  ContactSenderDto,
  ConversationCoreDto,
  ConversationDto,
  MessageDto,
  MessageEventFieldsDto,
  PublicConversationDto,
} from './dto/conversation.responses.js';
export { AssignConversationCommand } from './commands/assign-conversation.command.js';
export { AssignAgentBotCommand } from './commands/assign-agent-bot.command.js';
export { CreateConversationCommand } from './commands/create-conversation.command.js';
export type { NewConversation } from './commands/create-conversation.command.js';
export { CreateMessageCommand } from './commands/create-message.command.js';
export { ToggleStatusCommand } from './commands/toggle-status.command.js';
export { ReopenSnoozedConversationsCommand } from './commands/reopen-snoozed-conversations.command.js';
export { SNOOZE_ENDED_ACTIVITY } from './commands/reopen-snoozed-conversations.handler.js';
export { SnoozeWakeups } from './snooze-wakeups.service.js';
export { ToggleTypingCommand } from './commands/toggle-typing.command.js';
export { UpdateConversationCommand } from './commands/update-conversation.command.js';
export type { ConversationChanges } from './commands/update-conversation.command.js';
export { UpdateLastSeenCommand } from './commands/update-last-seen.command.js';
export { UpdateMessageCommand } from './commands/update-message.command.js';
export type { MessageChanges } from './commands/update-message.command.js';
export { FindConversationQuery } from './queries/find-conversation.query.js';
export { FindContactConversationQuery } from './queries/find-contact-conversation.query.js';
export type { ContactConversation } from './queries/find-contact-conversation.query.js';
export { ConversationNotFoundError } from './conversations.errors.js';
export { FindAgentBotQuery } from './queries/find-agent-bot.query.js';
export type { AgentBotRef } from './queries/find-agent-bot.query.js';
export { GetConversationQuery } from './queries/get-conversation.query.js';
export { ListConversationsQuery } from './queries/list-conversations.query.js';
export { ListMessagesQuery } from './queries/list-messages.query.js';
export { LastRespondingAgentQuery } from './queries/last-responding-agent.query.js';
export { PublicConversationsQuery } from './queries/public-conversations.query.js';
export type { PublicConversation } from './queries/public-conversations.query.js';
export {
  AgentLoadQuery,
  PendingBotConversationsQuery,
  UnansweredBotConversationsQuery,
  WaitingConversationsQuery,
} from './queries/assignment-state.query.js';
export type {
  AgentLoad,
  UnansweredBotConversation,
  WaitingConversation,
} from './queries/assignment-state.query.js';
// The events this module raises: typed, stored in the outbox, published after commit.
export { ConversationEvent, MessageEvent } from './events/conversation-event.js';
export type { ConversationAt, EventAccount, EventInbox } from './events/conversation-event.js';
export { ConversationCreatedEvent } from './events/conversation-created.event.js';
export { ConversationUpdatedEvent } from './events/conversation-updated.event.js';
export type { AttributeChange, ChangedAttributes } from './events/conversation-updated.event.js';
export { ConversationStatusChangedEvent } from './events/conversation-status-changed.event.js';
export { ConversationDeletedEvent } from './events/conversation-deleted.event.js';
export {
  ConversationTypingOffEvent,
  ConversationTypingOnEvent,
} from './events/conversation-typing.event.js';
export type { Typist } from './events/conversation-typing.event.js';
export { MessageCreatedEvent } from './events/message-created.event.js';
export { MessageUpdatedEvent } from './events/message-updated.event.js';
export { MessageDeletedEvent } from './events/message-deleted.event.js';
export type { ConversationEventData, MessageEventData } from './conversation.read-model.js';
// SQL for other modules' statements that read this module's tables (one statement, one owner).
export { ConversationSql } from './conversation-sql.js';
