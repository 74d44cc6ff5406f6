import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { SearchCannedResponsesQuery } from '../../canned-responses/index.js';

/** Where the FAQ bot finds answers: swap the provider to answer from another source. */
export interface FaqAnswers {
  /** The answer to a contact's text in the account, or null when there is none. */
  answerFor(
    accountId: number,
    text: string,
    botConfig: Record<string, unknown>,
  ): Promise<string | null>;
}

export const FAQ_ANSWERS = Symbol('FAQ_ANSWERS');

/**
 * The answers an administrator gives the bot in its `bot_config.answers`: keyword → answer. A
 * keyword matches as a whole word or phrase, case-insensitively; the longest match wins.
 */
export class BotConfigAnswers implements FaqAnswers {
  answerFor(
    _accountId: number,
    text: string,
    botConfig: Record<string, unknown>,
  ): Promise<string | null> {
    return Promise.resolve(bestAnswer(text, answersOf(botConfig)));
  }
}

/**
 * The bot's own `bot_config.answers` first, then the account's canned responses: a short code
 * (`opening_hours` reads as "opening hours") is the keyword, its content the answer.
 */
@Injectable()
export class CannedResponseAnswers implements FaqAnswers {
  constructor(private readonly queries: QueryBus) {}

  async answerFor(
    accountId: number,
    text: string,
    botConfig: Record<string, unknown>,
  ): Promise<string | null> {
    const own = bestAnswer(text, answersOf(botConfig));
    if (own) return own;
    const canned = await this.queries.execute(new SearchCannedResponsesQuery(accountId));
    return bestAnswer(
      text,
      canned.map((response) => [response.short_code, response.content]),
    );
  }
}

function answersOf(botConfig: Record<string, unknown>): [string, string][] {
  const answers = botConfig.answers;
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) return [];
  return Object.entries(answers).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0].trim() !== '',
  );
}

/** The answer whose keyword (a whole word or phrase) the text contains; the longest wins. */
export function bestAnswer(text: string, answers: [string, string][]): string | null {
  const words = ` ${normalized(text)} `;
  const matching = answers
    .map(([keyword, answer]) => [normalized(keyword), answer] as const)
    .filter(([keyword]) => keyword && words.includes(` ${keyword} `))
    .sort((a, b) => b[0].length - a[0].length);
  return matching[0]?.[1] ?? null;
}

function normalized(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
