import { Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { Actor } from '../common/index.js';
import {
  CreateMessageCommand,
  MessageCreatedEvent,
  ToggleStatusCommand,
} from '../conversations/index.js';
import type { ConversationEventData, MessageEventData } from '../conversations/index.js';
import type { DomainEvent } from '../outbox/index.js';
import { InProcessReceivers } from '../webhooks/index.js';
import { findBotById } from './agent-bot.store.js';

/** What an in-process bot can do in the conversation an event is about. */
export interface BotContext {
  /** The agent bot (row) the event was delivered for, its account and settings. */
  agentBotId: number;
  accountId: number;
  botConfig: Record<string, unknown>;
  /** The conversation's internal id (for commands) and display id (for the API). */
  conversationId: number;
  displayId: number;
  /** Sends an outgoing message as the bot. Safe under redelivery: a retry does not repeat it. */
  reply(content: string): Promise<void>;
  /** Hands the conversation to people (opens it, if still pending), saying why. */
  handOff(reason?: string): Promise<void>;
  commands: CommandBus;
  queries: QueryBus;
}

/** A bot implemented in code; its handlers run for its events (see docs/extending.md). */
export interface InProcessBot {
  /** What bots' `bot_config.in_process` names. */
  name: string;
  /** A message of a conversation of the bot (incoming or outgoing; never activity or private). */
  onMessage?(
    message: MessageEventData,
    conversation: ConversationEventData,
    bot: BotContext,
  ): Promise<void>;
  /** Any other event: conversation_created, _updated, _opened, _resolved, typing on and off. */
  onConversation?(
    event: string,
    conversation: ConversationEventData,
    bot: BotContext,
  ): Promise<void>;
}

/**
 * The extension point for bots that run inside the process. A registered bot gets the same
 * deliveries as an HTTP bot (durable, in order per conversation, retried, and handed off to people
 * when they finally fail or it does not answer in time); a throw is a failed attempt.
 */
@Injectable()
export class InProcessBots {
  constructor(
    private readonly receivers: InProcessReceivers,
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly dataSource: DataSource,
  ) {}

  register(bot: InProcessBot): void {
    this.receivers.register(bot.name, (body, event, agentBotId) =>
      this.deliver(bot, body, event, agentBotId),
    );
  }

  private async deliver(
    bot: InProcessBot,
    body: Record<string, unknown>,
    event: DomainEvent,
    agentBotId: number,
  ): Promise<void> {
    const conversation = (
      event instanceof MessageCreatedEvent ? body.conversation : body
    ) as ConversationEventData;
    if (!event.conversationId || !conversation) return;
    const row = await findBotById(this.dataSource.manager, agentBotId);
    if (!row) return;
    const context = this.context(row, event, conversation);
    if (body.event === 'message_created' && event instanceof MessageCreatedEvent) {
      await bot.onMessage?.(event.message, conversation, context);
    } else {
      await bot.onConversation?.(String(body.event), conversation, context);
    }
  }

  private context(
    row: { id: number; account_id: number; bot_config: Record<string, unknown> },
    event: DomainEvent,
    conversation: ConversationEventData,
  ): BotContext {
    const conversationId = event.conversationId!;
    const actor: Actor = { type: 'agent_bot', id: row.id };
    let replies = 0;
    return {
      agentBotId: row.id,
      accountId: row.account_id,
      botConfig: row.bot_config,
      conversationId,
      displayId: conversation.id,
      commands: this.commands,
      queries: this.queries,
      reply: async (content) => {
        replies += 1;
        await this.commands.execute(
          new CreateMessageCommand(
            conversationId,
            {
              messageType: 'outgoing',
              content,
              sender: { type: 'agent_bot', id: row.id },
              // The inbox keeps source ids unique: a redelivered event finds its replies made.
              sourceId: `agent-bot:${row.id}:${event.meta.eventId}:${replies}`,
            },
            actor,
          ),
        );
      },
      handOff: async (reason) => {
        await this.commands.execute(
          new ToggleStatusCommand(conversationId, 'open', null, actor, reason, 'pending'),
        );
      },
    };
  }
}
