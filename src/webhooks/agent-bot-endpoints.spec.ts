import { describe, expect, it } from '@jest/globals';
import type { DomainEvent } from '../outbox/index.js';
import { botBody, InProcessReceivers, inProcessTarget } from './agent-bot-endpoints.js';

const eventWith = (body: Record<string, unknown>) =>
  ({ body: () => body }) as unknown as DomainEvent;

describe('what agent bots are sent', () => {
  it('sends contact and agent messages, not activity messages or private notes', () => {
    const incoming = { event: 'message_created', message_type: 'incoming', private: false };
    expect(botBody(eventWith(incoming))).toEqual(incoming);
    expect(botBody(eventWith({ ...incoming, message_type: 'activity' }))).toBeNull();
    expect(
      botBody(eventWith({ event: 'message_updated', message_type: 'outgoing', private: true })),
    ).toBeNull();
  });

  it('names status changes as Chatwoot bots expect, and leaves out pending and snoozed', () => {
    const changed = (status: string) =>
      botBody(eventWith({ event: 'conversation_status_changed', status, id: 4 }));
    expect(changed('open')).toEqual({ event: 'conversation_opened', status: 'open', id: 4 });
    expect(changed('resolved')).toMatchObject({ event: 'conversation_resolved' });
    expect(changed('pending')).toBeNull();
    expect(changed('snoozed')).toBeNull();
  });

  it('passes other events as they are', () => {
    const created = { event: 'conversation_created', id: 1 };
    expect(botBody(eventWith(created))).toBe(created);
  });
});

describe('in-process receivers', () => {
  it('finds a registered bot by its endpoint target, and tells HTTP targets apart', () => {
    const receivers = new InProcessReceivers();
    const receiver = async () => undefined;
    receivers.register('faq', receiver);
    expect(receivers.receiverFor(inProcessTarget('faq'))).toBe(receiver);
    expect(receivers.receiverFor(inProcessTarget('gone'))).toBeNull();
    expect(receivers.receiverFor('https://bots.example.com/hook')).toBeUndefined();
    expect(() => receivers.register('faq', receiver)).toThrow('registered already');
    expect(receivers.names()).toEqual(['faq']);
  });
});
