export { FaqBotModule, NO_ANSWER_REPLY } from './faq-bot.module.js';
export { bestAnswer, BotConfigAnswers, CannedResponseAnswers, FAQ_ANSWERS } from './faq-answers.js';
export type { FaqAnswers } from './faq-answers.js';
