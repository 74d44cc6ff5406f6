import type { StoredEvent } from '../outbox/index.js';
import { businessSeconds } from './business-hours.js';
import type { Schedule, WorkingHoursEntry } from './business-hours.js';

/**
 * The reports projection as pure code: how each outbox event changes a conversation's report
 * state, which reporting events it yields and which rollup counters it moves. The projector
 * (report-projector.service.ts) loads the state for a batch, runs `apply` per event in outbox
 * order and writes the result; a rebuild runs the same code over the whole outbox, so both give
 * the same numbers.
 */

/** Names of the reporting events (Chatwoot's). */
export const REPORTING_EVENT_NAMES = [
  'first_response',
  'reply_time',
  'conversation_resolved',
  'conversation_opened',
  'conversation_bot_handoff',
] as const;
export type ReportingEventName = (typeof REPORTING_EVENT_NAMES)[number];

/**
 * The outbox event a bot hand-off module records (a conversation event whose payload is the
 * conversation snapshot, like every conversation event). Without it, a conversation going from
 * pending to open is the hand-off, as in Chatwoot, where bots keep conversations pending.
 */
export const BOT_HANDOFF_EVENT = 'conversation_bot_handoff';

export interface ConversationState {
  conversation_id: number;
  account_id: number;
  inbox_id: number;
  display_id: number;
  created_at: Date;
  status: string;
  assignee_id: number | null;
  team_id: number | null;
  labels: string[];
  first_reply_at: Date | null;
  waiting_since: Date | null;
  last_resolved_at: Date | null;
  handoff_at: Date | null;
}

export interface InboxState {
  inbox_id: number;
  account_id: number;
  name: string;
  channel_type: string;
  timezone: string;
  working_hours_enabled: boolean;
  working_hours: WorkingHoursEntry[];
}

export interface NewReportingEvent {
  account_id: number;
  name: ReportingEventName;
  value: number;
  value_in_business_hours: number;
  event_start_time: Date;
  event_end_time: Date;
  inbox_id: number;
  user_id: number | null;
  team_id: number | null;
  conversation_id: number;
  display_id: number;
  source_event_id: string;
  created_at: Date;
}

/** The rollup counters; a delta names the ones it moves. */
export const ROLLUP_COUNTERS = [
  'conversations',
  'incoming_messages',
  'outgoing_messages',
  'resolutions',
  'resolution_sum',
  'resolution_bh_sum',
  'first_responses',
  'first_response_sum',
  'first_response_bh_sum',
  'replies',
  'reply_sum',
  'reply_bh_sum',
  'reopens',
  'bot_handoffs',
  'frt_under_1h',
  'frt_1_4h',
  'frt_4_8h',
  'frt_8_24h',
  'frt_over_24h',
] as const;
export type RollupCounter = (typeof ROLLUP_COUNTERS)[number];

export const DIMENSIONS = ['account', 'agent', 'inbox', 'team', 'label', 'status', 'inbox_label'];
export type Dimension = (typeof DIMENSIONS)[number];

/** Rollup deltas of a batch, keyed by account, dimension, key and UTC hour. */
export class RollupDeltas {
  readonly rows = new Map<
    string,
    {
      accountId: number;
      dimension: string;
      key: string;
      hour: Date;
      counters: Record<string, number>;
    }
  >();

  add(
    accountId: number,
    dimension: Dimension,
    key: string,
    at: Date,
    counters: Partial<Record<RollupCounter, number>>,
  ): void {
    const hour = new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);
    const id = `${accountId}|${dimension}|${key}|${hour.getTime()}`;
    let row = this.rows.get(id);
    if (!row) {
      row = { accountId, dimension, key, hour, counters: {} };
      this.rows.set(id, row);
    }
    for (const [name, value] of Object.entries(counters))
      row.counters[name] = (row.counters[name] ?? 0) + (value ?? 0);
  }
}

/** The dimensions a conversation counts in, as it stands (for conversation counts). */
function conversationKeys(state: ConversationState): [Dimension, string][] {
  const keys: [Dimension, string][] = [
    ['account', String(state.account_id)],
    ['inbox', String(state.inbox_id)],
    ['status', state.status],
  ];
  if (state.assignee_id !== null) keys.push(['agent', String(state.assignee_id)]);
  if (state.team_id !== null) keys.push(['team', String(state.team_id)]);
  for (const label of state.labels) {
    keys.push(['label', label]);
    keys.push(['inbox_label', `${state.inbox_id}:${label}`]);
  }
  return keys;
}

/** The dimensions an activity (message, interval) counts in; `agent` is who it belongs to. */
function activityKeys(state: ConversationState, agent: number | null): [Dimension, string][] {
  const keys: [Dimension, string][] = [
    ['account', String(state.account_id)],
    ['inbox', String(state.inbox_id)],
  ];
  if (agent !== null) keys.push(['agent', String(agent)]);
  if (state.team_id !== null) keys.push(['team', String(state.team_id)]);
  for (const label of state.labels) keys.push(['label', label]);
  return keys;
}

interface Snapshot {
  id: number;
  status: string;
  assignee_id: number | null;
  team_id: number | null;
  labels: string[];
  created_at: number;
}

interface MessageData {
  message_type: string;
  private: boolean;
  created_at: string;
  content_attributes?: Record<string, unknown> | null;
  sender?: { id?: number; type?: string } | null;
}

const HOUR = 3600;

/** Where a conversation counts in the live counts: open, by assignee (0: none), unattended. */
export interface OpenCount {
  assigneeId: number;
  unattended: number;
}

export function openCountOf(state: ConversationState): OpenCount | null {
  if (state.status !== 'open') return null;
  return {
    assigneeId: state.assignee_id ?? 0,
    unattended: state.first_reply_at === null || state.waiting_since !== null ? 1 : 0,
  };
}

/** The batch the projector applies events to: loaded state, and what the events produced. */
export class ProjectionBatch {
  readonly conversations = new Map<number, ConversationState>();
  /** Where each loaded conversation counted in the live counts before the batch. */
  private readonly openBefore = new Map<number, OpenCount | null>();
  readonly inboxes = new Map<number, InboxState>();
  readonly changedConversations = new Set<number>();
  readonly changedInboxes = new Set<number>();
  readonly deletedConversations = new Set<number>();
  private readonly deletedAccounts = new Map<number, number>();
  readonly reportingEvents: NewReportingEvent[] = [];
  readonly deltas = new RollupDeltas();

  /** A conversation's state as stored before the batch. */
  load(state: ConversationState): void {
    this.conversations.set(state.conversation_id, state);
    this.openBefore.set(state.conversation_id, openCountOf(state));
  }

  /** How the batch moved the live counts: per account and assignee, open and unattended. */
  openCountDeltas(): { accountId: number; assigneeId: number; open: number; unattended: number }[] {
    const deltas = new Map<
      string,
      { accountId: number; assigneeId: number; open: number; unattended: number }
    >();
    const add = (accountId: number, count: OpenCount | null | undefined, sign: 1 | -1) => {
      if (!count) return;
      const id = `${accountId}|${count.assigneeId}`;
      let delta = deltas.get(id);
      if (!delta) {
        delta = { accountId, assigneeId: count.assigneeId, open: 0, unattended: 0 };
        deltas.set(id, delta);
      }
      delta.open += sign;
      delta.unattended += sign * count.unattended;
    };
    for (const id of new Set([...this.changedConversations, ...this.deletedConversations])) {
      const state = this.conversations.get(id);
      const accountId = state?.account_id ?? this.deletedAccounts.get(id)!;
      add(accountId, this.openBefore.get(id), -1);
      if (state && !this.deletedConversations.has(id)) add(accountId, openCountOf(state), 1);
    }
    return [...deltas.values()].filter((delta) => delta.open !== 0 || delta.unattended !== 0);
  }

  apply(event: StoredEvent): void {
    if (event.name === 'inbox_created' || event.name === 'inbox_updated') return this.inbox(event);
    if (event.conversationId === null || !event.stream.startsWith('conversation:')) return;
    const payload = event.payload;
    const isMessage = event.name.startsWith('message_');
    const snapshot = (isMessage ? payload.conversation : payload) as Snapshot | undefined;
    if (!snapshot || typeof snapshot !== 'object' || typeof snapshot.id !== 'number') return;
    if (event.name === 'conversation_deleted') return this.deleted(event);
    const state = this.stateOf(event, snapshot);
    // The snapshot is the conversation after the event: count it where it now stands first.
    this.follow(state, snapshot);
    if (event.name === 'message_created')
      this.message(event, state, payload as unknown as MessageData);
    else if (event.name === 'conversation_status_changed')
      this.statusChanged(event, state, snapshot.status, String(payload.previous_status));
    else if (event.name === BOT_HANDOFF_EVENT) this.handoff(event, state);
  }

  private inbox(event: StoredEvent): void {
    const inbox = event.payload as Record<string, unknown>;
    this.inboxes.set(Number(inbox.id), {
      inbox_id: Number(inbox.id),
      account_id: event.accountId,
      name: String(inbox.name ?? ''),
      channel_type: String(inbox.channel_type ?? 'Channel::Api'),
      timezone: typeof inbox.timezone === 'string' ? inbox.timezone : 'UTC',
      working_hours_enabled: inbox.working_hours_enabled === true,
      working_hours: Array.isArray(inbox.working_hours)
        ? (inbox.working_hours as WorkingHoursEntry[])
        : [],
    });
    this.changedInboxes.add(Number(inbox.id));
  }

  /** The conversation's state; a conversation first seen now is counted where it stands. */
  private stateOf(event: StoredEvent, snapshot: Snapshot): ConversationState {
    const id = event.conversationId!;
    let state = this.conversations.get(id);
    if (!state) {
      state = {
        conversation_id: id,
        account_id: event.accountId,
        inbox_id: event.inboxId!,
        display_id: snapshot.id,
        // A conversation is created in the transaction that records conversation_created.
        created_at:
          event.name === 'conversation_created'
            ? event.occurredAt
            : new Date(snapshot.created_at * 1000),
        status: snapshot.status,
        assignee_id: snapshot.assignee_id ?? null,
        team_id: snapshot.team_id ?? null,
        labels: [...new Set(snapshot.labels ?? [])],
        first_reply_at: null,
        waiting_since: null,
        last_resolved_at: null,
        handoff_at: null,
      };
      this.conversations.set(id, state);
      this.countConversation(state, 1);
      this.deletedConversations.delete(id);
    }
    this.changedConversations.add(id);
    return state;
  }

  private countConversation(state: ConversationState, sign: 1 | -1): void {
    for (const [dimension, key] of conversationKeys(state))
      this.deltas.add(state.account_id, dimension, key, state.created_at, { conversations: sign });
  }

  /** Moves the conversation's count when its status, assignee, team or labels changed. */
  private follow(state: ConversationState, snapshot: Snapshot): void {
    const labels = [...new Set(snapshot.labels ?? [])];
    const same =
      state.status === snapshot.status &&
      state.assignee_id === (snapshot.assignee_id ?? null) &&
      state.team_id === (snapshot.team_id ?? null) &&
      state.labels.length === labels.length &&
      state.labels.every((label) => labels.includes(label));
    if (same) return;
    this.countConversation(state, -1);
    state.status = snapshot.status;
    state.assignee_id = snapshot.assignee_id ?? null;
    state.team_id = snapshot.team_id ?? null;
    state.labels = labels;
    this.countConversation(state, 1);
  }

  private deleted(event: StoredEvent): void {
    const state = this.conversations.get(event.conversationId!);
    if (!state) return;
    this.countConversation(state, -1);
    this.deletedAccounts.set(state.conversation_id, state.account_id);
    this.conversations.delete(state.conversation_id);
    this.changedConversations.delete(state.conversation_id);
    this.deletedConversations.add(state.conversation_id);
  }

  private message(event: StoredEvent, state: ConversationState, message: MessageData): void {
    const at = new Date(message.created_at ?? event.occurredAt);
    if (message.message_type === 'incoming') {
      for (const [dimension, key] of activityKeys(state, state.assignee_id))
        this.deltas.add(state.account_id, dimension, key, at, { incoming_messages: 1 });
      state.waiting_since ??= at;
      return;
    }
    if (message.message_type !== 'outgoing') return;
    const sender = message.sender?.type === 'user' ? (message.sender.id ?? null) : null;
    for (const [dimension, key] of activityKeys(state, sender))
      this.deltas.add(state.account_id, dimension, key, at, { outgoing_messages: 1 });
    // A human reply: an agent's public message, not one an automation rule sent for them.
    const human =
      sender !== null &&
      !message.private &&
      event.actor.type !== 'automation_rule' &&
      !message.content_attributes?.automation_rule_id;
    if (!human) return;
    if (state.first_reply_at === null) {
      // From the last moment no human could have answered: creation, or a bot's hand-off.
      const start =
        state.handoff_at && state.handoff_at > state.created_at
          ? state.handoff_at
          : state.created_at;
      this.interval(event, state, 'first_response', start, at, sender);
      state.first_reply_at = at;
    } else if (state.waiting_since !== null) {
      this.interval(event, state, 'reply_time', state.waiting_since, at, sender);
    }
    state.waiting_since = null;
  }

  private statusChanged(
    event: StoredEvent,
    state: ConversationState,
    status: string,
    previous: string,
  ): void {
    const at = event.occurredAt;
    if (status === 'resolved' && previous !== 'resolved') {
      this.interval(event, state, 'conversation_resolved', state.created_at, at, state.assignee_id);
      state.last_resolved_at = at;
    } else if (previous === 'resolved' && status === 'open' && state.last_resolved_at) {
      this.interval(
        event,
        state,
        'conversation_opened',
        state.last_resolved_at,
        at,
        state.assignee_id,
      );
    } else if (previous === 'pending' && status === 'open') {
      this.handoff(event, state);
    }
  }

  /** A bot handed the conversation to humans; only the first hand-off counts (as in Chatwoot). */
  private handoff(event: StoredEvent, state: ConversationState): void {
    if (state.handoff_at !== null) return;
    this.interval(
      event,
      state,
      'conversation_bot_handoff',
      state.created_at,
      event.occurredAt,
      state.assignee_id,
    );
    state.handoff_at = event.occurredAt;
  }

  private interval(
    event: StoredEvent,
    state: ConversationState,
    name: ReportingEventName,
    start: Date,
    end: Date,
    userId: number | null,
  ): void {
    const value = Math.max(0, (end.getTime() - start.getTime()) / 1000);
    const inbox = this.inboxes.get(state.inbox_id);
    const schedule: Schedule | null = inbox
      ? {
          timezone: inbox.timezone,
          enabled: inbox.working_hours_enabled,
          hours: inbox.working_hours,
        }
      : null;
    const inBusinessHours = value === 0 ? 0 : businessSeconds(schedule, start, end);
    this.reportingEvents.push({
      account_id: state.account_id,
      name,
      value,
      value_in_business_hours: inBusinessHours,
      event_start_time: start,
      event_end_time: end,
      inbox_id: state.inbox_id,
      user_id: userId,
      team_id: state.team_id,
      conversation_id: state.conversation_id,
      display_id: state.display_id,
      source_event_id: event.id,
      created_at: end,
    });
    const counters = countersOf(name, value, inBusinessHours);
    for (const [dimension, key] of activityKeys(state, userId))
      this.deltas.add(state.account_id, dimension, key, end, counters);
  }
}

function countersOf(
  name: ReportingEventName,
  value: number,
  bh: number,
): Partial<Record<RollupCounter, number>> {
  switch (name) {
    case 'first_response':
      return {
        first_responses: 1,
        first_response_sum: value,
        first_response_bh_sum: bh,
        [frtBucket(value)]: 1,
      };
    case 'reply_time':
      return { replies: 1, reply_sum: value, reply_bh_sum: bh };
    case 'conversation_resolved':
      return { resolutions: 1, resolution_sum: value, resolution_bh_sum: bh };
    case 'conversation_opened':
      return { reopens: 1 };
    case 'conversation_bot_handoff':
      return { bot_handoffs: 1 };
  }
}

/** The first_response_time_distribution bucket of a first response. */
function frtBucket(seconds: number): RollupCounter {
  if (seconds < HOUR) return 'frt_under_1h';
  if (seconds < 4 * HOUR) return 'frt_1_4h';
  if (seconds < 8 * HOUR) return 'frt_4_8h';
  if (seconds < 24 * HOUR) return 'frt_8_24h';
  return 'frt_over_24h';
}
