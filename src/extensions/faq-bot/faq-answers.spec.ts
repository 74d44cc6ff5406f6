import { describe, expect, it } from '@jest/globals';
import { bestAnswer, BotConfigAnswers } from './faq-answers.js';

describe('FAQ answers', () => {
  const answers: [string, string][] = [
    ['hours', 'Short answer'],
    ['opening hours', 'We are open 9-17.'],
    ['refund', 'Refunds take 5 days.'],
  ];

  it('matches a keyword as a whole word or phrase, case and punctuation aside; the longest wins', () => {
    expect(bestAnswer('What are your OPENING hours?', answers)).toBe('We are open 9-17.');
    expect(bestAnswer('hours?', answers)).toBe('Short answer');
    expect(bestAnswer('Can I get a refund, please', answers)).toBe('Refunds take 5 days.');
  });

  it('does not match inside words, and answers null without a match', () => {
    expect(bestAnswer('refunded already', answers)).toBeNull();
    expect(bestAnswer('Hello', answers)).toBeNull();
    expect(bestAnswer('', [])).toBeNull();
  });

  it('reads only string answers from bot_config.answers', async () => {
    const provider = new BotConfigAnswers();
    const config = { answers: { refund: 'Refunds take 5 days.', broken: 42, ' ': 'blank' } };
    await expect(provider.answerFor(1, 'refund', config)).resolves.toBe('Refunds take 5 days.');
    await expect(provider.answerFor(1, 'broken', config)).resolves.toBeNull();
    await expect(provider.answerFor(1, 'refund', { answers: ['refund'] })).resolves.toBeNull();
    await expect(provider.answerFor(1, 'refund', {})).resolves.toBeNull();
  });
});
