import { Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { AutomationRegistry, ConversationCreatedEvent } from '../../automation/index.js';
import type { ActionContext } from '../../automation/index.js';
import { GetConversationQuery, UpdateConversationCommand } from '../../conversations/index.js';

/**
 * An example extension (see docs/extending.md). It adds to automation rules:
 * - the condition attribute `contact_email_domain` (the part of the contact's email after @);
 * - the action `mark_vip`: adds the label `vip` and sets the priority to `urgent`.
 * And it reacts to conversation_created with an ordinary event handler.
 */
@Injectable()
class VipRoutingRegistrations implements OnModuleInit {
  constructor(private readonly registry: AutomationRegistry) {}

  onModuleInit(): void {
    this.registry.registerAttribute({
      name: 'contact_email_domain',
      resolve: (state) => String(state.contact.email ?? '').split('@')[1] ?? null,
    });
    this.registry.registerAction({
      name: 'mark_vip',
      validate: (params) => (params.length === 0 ? null : 'takes no params'),
      run: async ({ conversationId, ruleId, commands, queries }: ActionContext) => {
        const { labels } = await queries.execute(new GetConversationQuery(conversationId));
        await commands.execute(
          new UpdateConversationCommand(
            conversationId,
            { labels: [...labels, 'vip'], priority: 'urgent' },
            { type: 'automation_rule', id: ruleId },
          ),
        );
      },
    });
  }
}

@EventsHandler(ConversationCreatedEvent)
class LogNewConversations implements IEventHandler<ConversationCreatedEvent> {
  private readonly logger = new Logger('VipRouting');

  handle({ conversation, inbox, meta }: ConversationCreatedEvent): void {
    this.logger.debug(
      `conversation ${conversation.id} created in inbox ${inbox.name} (event ${meta.eventId})`,
    );
  }
}

@Module({ providers: [VipRoutingRegistrations, LogNewConversations] })
export class VipRoutingModule {}
