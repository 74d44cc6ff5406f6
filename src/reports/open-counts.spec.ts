import { describe, expect, it } from '@jest/globals';
import type { StoredEvent } from '../outbox/index.js';
import { ProjectionBatch } from './projection.js';
import type { ConversationState } from './projection.js';

const ACCOUNT = 7;
let nextId = 1;

/** A conversation event as the conversations module records it (payload: the snapshot after). */
function event(
  name: string,
  conversationId: number,
  snapshot: { status: string; assignee_id: number | null },
  payload: Record<string, unknown> = {},
): StoredEvent {
  const id = nextId++;
  const conversation = {
    id: conversationId,
    status: snapshot.status,
    assignee_id: snapshot.assignee_id,
    team_id: null,
    labels: [],
    created_at: 1_772_000_000,
  };
  return {
    id: String(id),
    eventId: `e${id}`,
    name,
    accountId: ACCOUNT,
    inboxId: 3,
    conversationId,
    stream: `conversation:${conversationId}`,
    sequence: id,
    actor: { type: 'user', id: 1 },
    occurredAt: new Date('2026-03-02T13:00:00Z'),
    payload: name.startsWith('message_')
      ? { ...payload, conversation }
      : { ...conversation, ...payload },
  } as StoredEvent;
}

function stored(id: number, status: string, assignee: number | null): ConversationState {
  return {
    conversation_id: id,
    account_id: ACCOUNT,
    inbox_id: 3,
    display_id: id,
    created_at: new Date('2026-03-01T00:00:00Z'),
    status,
    assignee_id: assignee,
    team_id: null,
    labels: [],
    first_reply_at: null,
    waiting_since: null,
    last_resolved_at: null,
    handoff_at: null,
  };
}

const message = (type: 'incoming' | 'outgoing', sender: number | null) => ({
  message_type: type,
  private: false,
  created_at: '2026-03-02T13:00:00Z',
  sender: sender === null ? { type: 'contact', id: 99 } : { type: 'user', id: sender },
});

describe('ProjectionBatch live counts', () => {
  it('counts a new open conversation as open and unattended until an agent answers', () => {
    const batch = new ProjectionBatch();
    batch.apply(event('conversation_created', 1, { status: 'open', assignee_id: null }));
    expect(batch.openCountDeltas()).toEqual([
      { accountId: ACCOUNT, assigneeId: 0, open: 1, unattended: 1 },
    ]);
    const answered = new ProjectionBatch();
    answered.apply(event('conversation_created', 2, { status: 'open', assignee_id: 5 }));
    answered.apply(
      event('message_created', 2, { status: 'open', assignee_id: 5 }, message('outgoing', 5)),
    );
    expect(answered.openCountDeltas()).toEqual([
      { accountId: ACCOUNT, assigneeId: 5, open: 1, unattended: 0 },
    ]);
  });

  it('moves a stored conversation between assignees, out when resolved, and out when deleted', () => {
    const batch = new ProjectionBatch();
    batch.load(stored(10, 'open', 5));
    batch.load(stored(11, 'open', null));
    batch.load(stored(12, 'open', 6));
    batch.apply(event('conversation_updated', 10, { status: 'open', assignee_id: 6 }));
    batch.apply(
      event(
        'conversation_status_changed',
        11,
        { status: 'resolved', assignee_id: null },
        { previous_status: 'open' },
      ),
    );
    batch.apply(event('conversation_deleted', 12, { status: 'open', assignee_id: 6 }));
    const byAssignee = Object.fromEntries(
      batch
        .openCountDeltas()
        .map(({ assigneeId, open, unattended }) => [assigneeId, { open, unattended }]),
    );
    // 10 moved from 5 to 6 and 12 left 6: 6 is even; 11 left the unassigned.
    expect(byAssignee).toEqual({
      5: { open: -1, unattended: -1 },
      0: { open: -1, unattended: -1 },
    });
  });
});
