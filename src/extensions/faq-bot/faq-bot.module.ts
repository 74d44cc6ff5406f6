import { Inject, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { AgentBotsModule, InProcessBots } from '../../agent-bots/index.js';
import type { BotContext, InProcessBot } from '../../agent-bots/index.js';
import type { ConversationEventData, MessageEventData } from '../../conversations/index.js';
import { CannedResponseAnswers, FAQ_ANSWERS } from './faq-answers.js';
import type { FaqAnswers } from './faq-answers.js';

/** Words with which a contact asks for a person. */
const ASK_FOR_A_PERSON = /\b(human|person|agent|someone)\b/i;

export const NO_ANSWER_REPLY = "I don't have an answer to that. A person will reply here shortly.";

/**
 * An example in-process agent bot (see docs/extending.md): while a conversation is pending, it
 * answers a contact's message from its answers (FaqAnswers: its bot_config.answers, then the
 * account's canned responses), and hands the conversation to
 * people when it has no answer or the contact asks for a person. An administrator makes it an
 * account's bot with `POST /agent_bots {"name": "FAQ bot", "bot_config": {"in_process": "faq",
 * "answers": {"opening hours": "We are open 9-17."}}}` and attaches it to an inbox.
 */
@Injectable()
export class FaqBot implements InProcessBot, OnModuleInit {
  readonly name = 'faq';

  constructor(
    private readonly bots: InProcessBots,
    @Inject(FAQ_ANSWERS) private readonly answers: FaqAnswers,
  ) {}

  onModuleInit(): void {
    this.bots.register(this);
  }

  async onMessage(
    message: MessageEventData,
    conversation: ConversationEventData,
    bot: BotContext,
  ): Promise<void> {
    // Only the contact's messages, and only while the conversation is the bot's.
    if (message.message_type !== 'incoming' || conversation.status !== 'pending') return;
    const text = message.content ?? '';
    if (ASK_FOR_A_PERSON.test(text)) return bot.handOff('the contact asked for a person');
    const answer = await this.answers.answerFor(bot.accountId, text, bot.botConfig);
    if (answer) return bot.reply(answer);
    await bot.reply(NO_ANSWER_REPLY);
    await bot.handOff('the FAQ bot had no answer');
  }
}

@Module({
  imports: [AgentBotsModule],
  providers: [FaqBot, { provide: FAQ_ANSWERS, useClass: CannedResponseAnswers }],
})
export class FaqBotModule {}
