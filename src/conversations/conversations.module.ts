import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActorNames } from './actor-names.service.js';
import { AssignAgentBotHandler } from './commands/assign-agent-bot.handler.js';
import { AssignConversationHandler } from './commands/assign-conversation.handler.js';
import { CreateConversationHandler } from './commands/create-conversation.handler.js';
import { CreateMessageHandler } from './commands/create-message.handler.js';
import { ReopenSnoozedConversationsHandler } from './commands/reopen-snoozed-conversations.handler.js';
import { ToggleStatusHandler } from './commands/toggle-status.handler.js';
import { ToggleTypingHandler } from './commands/toggle-typing.handler.js';
import { UpdateConversationHandler } from './commands/update-conversation.handler.js';
import { UpdateLastSeenHandler } from './commands/update-last-seen.handler.js';
import { UpdateMessageHandler } from './commands/update-message.handler.js';
import { ContactDeletionController } from './contact-deletion.controller.js';
import { ContactMergeController } from './contact-merge.controller.js';
import { ContactConversationsController } from './contact-conversations.controller.js';
import { ConversationActionsController } from './conversation-actions.controller.js';
import { ConversationsController } from './conversations.controller.js';
import { Conversation } from './entities/conversation.entity.js';
import { Message } from './entities/message.entity.js';
import { PurgeConversationsOnInboxDeleted } from './handlers/purge-conversations-on-inbox-deleted.handler.js';
import { MessagesController } from './messages.controller.js';
import {
  AgentLoadHandler,
  PendingBotConversationsHandler,
  UnansweredBotConversationsHandler,
  WaitingConversationsHandler,
} from './queries/assignment-state.handler.js';
import { FindContactConversationHandler } from './queries/find-contact-conversation.handler.js';
import { FindConversationHandler } from './queries/find-conversation.handler.js';
import { GetConversationHandler } from './queries/get-conversation.handler.js';
import { ListConversationsHandler } from './queries/list-conversations.handler.js';
import { LastRespondingAgentHandler } from './queries/last-responding-agent.handler.js';
import { ListMessagesHandler } from './queries/list-messages.handler.js';
import { PublicConversationsHandler } from './queries/public-conversations.handler.js';
import { SnoozeWakeups } from './snooze-wakeups.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Conversation, Message])],
  controllers: [
    ConversationsController,
    ConversationActionsController,
    MessagesController,
    ContactConversationsController,
    ContactMergeController,
    ContactDeletionController,
  ],
  providers: [
    ActorNames,
    CreateConversationHandler,
    CreateMessageHandler,
    ToggleStatusHandler,
    ReopenSnoozedConversationsHandler,
    SnoozeWakeups,
    UpdateConversationHandler,
    AssignConversationHandler,
    AssignAgentBotHandler,
    UpdateMessageHandler,
    UpdateLastSeenHandler,
    ToggleTypingHandler,
    FindConversationHandler,
    FindContactConversationHandler,
    GetConversationHandler,
    ListConversationsHandler,
    ListMessagesHandler,
    LastRespondingAgentHandler,
    PublicConversationsHandler,
    AgentLoadHandler,
    WaitingConversationsHandler,
    UnansweredBotConversationsHandler,
    PendingBotConversationsHandler,
    PurgeConversationsOnInboxDeleted,
  ],
})
export class ConversationsModule {}
