import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomInt } from 'node:crypto';
import { accountPath, seedConversation } from './support/api-channel.js';
import { testDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { createAccount, createAgent } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { runCli } from './support/processes.js';
import { startServer } from './support/server.js';
import type { TestServer } from './support/server.js';
import { isolate } from './support/webhooks.js';
import type { Isolation } from './support/webhooks.js';

/*
 * Reports against a hand-computed fixture. The fixture is the outbox: events in the shapes the
 * conversations and inboxes modules record, at chosen times (a Monday before opening time, a
 * conversation created late on Monday evening in New York that is Tuesday in UTC, a Friday
 * hand-off answered on Monday across the DST change). Every figure below is computed by hand
 * from those times; the projection must reach them, and a rebuild must reach them again.
 *
 * Inbox 1 works Monday to Friday 09:00-17:00 in America/New_York (EST until 2026-03-08, then
 * EDT); inbox 2 has no working hours (every hour counts).
 *
 *   C1 inbox 1, team T, [billing], agent G1: created Mon 03-02 13:00Z (08:00 EST), contact
 *      writes; G1 answers 15:00Z (first response 7200 s, 3600 s in business hours); contact
 *      16:00Z, G1 16:30Z (reply 1800 s, all in hours); resolved 23:00Z (36000 s; 28800 in hours).
 *   C2 inbox 2, [billing, vip], agent G2: created Tue 03-03 03:00Z (Mon 22:00 at UTC-5); G2
 *      answers 03:10Z (600 s); resolved 04:00Z (3600 s); contact writes 05:00Z, which reopens
 *      it (reopened after 3600 s) and leaves it waiting.
 *   C3 inbox 1, pending (a bot's), created Fri 03-06 21:00Z (16:00 EST); handed off (open)
 *      21:30Z, assigned to G1; G1 answers Mon 03-09 13:30Z (09:30 EDT): first response from the
 *      hand-off, 230400 s, of which 1800 s Friday and 1800 s Monday are business hours.
 *   C4 inbox 2, created Wed 03-04 10:00Z, a contact message, nobody assigned, no answer.
 */

const at = (iso: string) => new Date(iso);
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const SINCE = seconds('2026-03-01T00:00:00Z');
const UNTIL = seconds('2026-03-15T00:00:00Z');

describe('Reports (projection of the outbox)', () => {
  let isolation: Isolation;
  let server: TestServer;
  let admin: TestAccount;
  let g1: { userId: number; token: string };
  let g2: { userId: number; token: string };
  let teamId: number;
  let inbox1: number;
  let inbox2: number;
  const db = () => testDatabase();

  const get = (path: string, query: Record<string, string | number> = {}, token = admin.token) =>
    server.http.get(path).query(query).set('api_access_token', token);
  const v2 = () => `/api/v2/accounts/${admin.accountId}`;
  const range = { since: SINCE, until: UNTIL };

  /** Appends one event to the outbox, as the unit of work would (stream sequences in order). */
  const sequences = new Map<string, number>();
  async function record(
    name: string,
    conversationId: number | null,
    inboxId: number,
    occurredAt: Date,
    payload: Record<string, unknown>,
    actor: { type: string; id: number | null } = { type: 'user', id: admin.userId },
  ) {
    const stream = conversationId === null ? `inbox:${inboxId}` : `conversation:${conversationId}`;
    const sequence = (sequences.get(stream) ?? 0) + 1;
    sequences.set(stream, sequence);
    await db().query(
      `INSERT INTO domain_events (name, account_id, inbox_id, conversation_id, stream, sequence,
         actor_type, actor_id, payload, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        name,
        admin.accountId,
        inboxId,
        conversationId,
        stream,
        sequence,
        actor.type,
        actor.id,
        payload,
        occurredAt,
      ],
    );
  }

  interface Conv {
    id: number;
    display: number;
    inbox: number;
    status: string;
    assignee: number | null;
    team: number | null;
    labels: string[];
    created: string;
  }
  const snapshot = (c: Conv) => ({
    id: c.display,
    status: c.status,
    assignee_id: c.assignee,
    team_id: c.team,
    labels: c.labels,
    created_at: seconds(c.created),
    account: { id: admin.accountId },
    inbox: { id: c.inbox },
  });
  const created = (c: Conv) =>
    record('conversation_created', c.id, c.inbox, at(c.created), snapshot(c));
  const message = (c: Conv, when: string, type: 'incoming' | 'outgoing', sender: number | null) =>
    record(
      'message_created',
      c.id,
      c.inbox,
      at(when),
      {
        id: randomInt(1, 1e9),
        message_type: type,
        private: false,
        created_at: at(when).toISOString(),
        content_attributes: {},
        sender: sender === null ? { id: 1, type: 'contact' } : { id: sender, type: 'user' },
        conversation: snapshot(c),
      },
      sender === null ? { type: 'contact', id: 1 } : { type: 'user', id: sender },
    );
  const status = (c: Conv, when: string, next: string) => {
    const previous = c.status;
    c.status = next;
    return record('conversation_status_changed', c.id, c.inbox, at(when), {
      ...snapshot(c),
      previous_status: previous,
    });
  };

  beforeAll(async () => {
    isolation = await isolate('reports');
    // A single process (API and worker): its own projection keeps the reports current.
    server = await startServer({ PROCESS_ROLE: 'both' });
    admin = await createAccount('Reports');
    g1 = await createAgent(server.http, admin);
    g2 = await createAgent(server.http, admin);
    const team = await server.http
      .post(`${accountPath(admin)}/teams`)
      .set('api_access_token', admin.token)
      .send({ name: 'Tier 1' })
      .expect(201);
    teamId = team.body.id;
    const inboxes = [];
    for (const name of ['Support', 'Sales'])
      inboxes.push(
        (
          await server.http
            .post(`${accountPath(admin)}/inboxes`)
            .set('api_access_token', admin.token)
            .send({ name, channel: { type: 'api' } })
            .expect(201)
        ).body.id as number,
      );
    [inbox1, inbox2] = inboxes;
    // Inbox 1's working hours, as an inbox_updated event carries them.
    const weekdays = [0, 1, 2, 3, 4, 5, 6].map((day) =>
      day === 0 || day === 6
        ? { day_of_week: day, closed_all_day: true, open_all_day: false }
        : {
            day_of_week: day,
            closed_all_day: false,
            open_all_day: false,
            open_hour: 9,
            open_minutes: 0,
            close_hour: 17,
            close_minutes: 0,
          },
    );
    sequences.set(`inbox:${inbox1}`, 100);
    await record('inbox_updated', null, inbox1, at('2026-03-01T00:00:00Z'), {
      id: inbox1,
      account_id: admin.accountId,
      name: 'Support',
      channel_type: 'Channel::Api',
      timezone: 'America/New_York',
      working_hours_enabled: true,
      working_hours: weekdays,
    });

    const base = 2_000_000_000 - randomInt(1, 1e6) * 10;
    const c1: Conv = {
      id: base + 1,
      display: 9001,
      inbox: inbox1,
      status: 'open',
      assignee: g1.userId,
      team: teamId,
      labels: ['billing'],
      created: '2026-03-02T13:00:00Z',
    };
    const c2: Conv = {
      id: base + 2,
      display: 9002,
      inbox: inbox2,
      status: 'open',
      assignee: g2.userId,
      team: null,
      labels: ['billing', 'vip'],
      created: '2026-03-03T03:00:00Z',
    };
    const c3: Conv = {
      id: base + 3,
      display: 9003,
      inbox: inbox1,
      status: 'pending',
      assignee: null,
      team: null,
      labels: [],
      created: '2026-03-06T21:00:00Z',
    };
    const c4: Conv = {
      id: base + 4,
      display: 9004,
      inbox: inbox2,
      status: 'open',
      assignee: null,
      team: null,
      labels: [],
      created: '2026-03-04T10:00:00Z',
    };

    await created(c1);
    await message(c1, '2026-03-02T13:00:00Z', 'incoming', null);
    await message(c1, '2026-03-02T15:00:00Z', 'outgoing', g1.userId);
    await message(c1, '2026-03-02T16:00:00Z', 'incoming', null);
    await message(c1, '2026-03-02T16:30:00Z', 'outgoing', g1.userId);
    await status(c1, '2026-03-02T23:00:00Z', 'resolved');

    await created(c2);
    await message(c2, '2026-03-03T03:00:00Z', 'incoming', null);
    await message(c2, '2026-03-03T03:10:00Z', 'outgoing', g2.userId);
    await status(c2, '2026-03-03T04:00:00Z', 'resolved');
    c2.status = 'open'; // the contact's message reopens it: the snapshot is after the change
    await status({ ...c2, status: 'resolved' }, '2026-03-03T05:00:00Z', 'open');
    await message(c2, '2026-03-03T05:00:00Z', 'incoming', null);

    await created(c4);
    await message(c4, '2026-03-04T10:00:00Z', 'incoming', null);

    await created(c3);
    await message(c3, '2026-03-06T21:00:00Z', 'incoming', null);
    await status(c3, '2026-03-06T21:30:00Z', 'open');
    c3.assignee = g1.userId;
    await record('conversation_updated', c3.id, c3.inbox, at('2026-03-06T21:30:00Z'), {
      ...snapshot(c3),
      changed_attributes: [{ assignee_id: { previous_value: null, current_value: g1.userId } }],
    });
    await message(c3, '2026-03-09T13:30:00Z', 'outgoing', g1.userId);

    // The projection applies the outbox shortly (after events of this process, and every 2 s).
    await eventually(
      async () => {
        const summary = await get(`${v2()}/reports/summary`, range).expect(200);
        expect(summary.body.conversations_count).toBe(4);
        expect(summary.body.avg_first_response_time).toBeGreaterThan(0);
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await isolation?.release();
  });

  it('summarises the account, and the range just before it', async () => {
    const { body } = await get(`${v2()}/reports/summary`, range).expect(200);
    expect(body).toEqual({
      conversations_count: 4,
      incoming_messages_count: 6,
      outgoing_messages_count: 4,
      avg_first_response_time: (7200 + 600 + 230400) / 3,
      avg_resolution_time: (36000 + 3600) / 2,
      resolutions_count: 2,
      reply_time: 1800,
      previous: {
        conversations_count: 0,
        incoming_messages_count: 0,
        outgoing_messages_count: 0,
        avg_first_response_time: 0,
        avg_resolution_time: 0,
        resolutions_count: 0,
        reply_time: 0,
      },
    });
  });

  it('reads whole days and the hours at the edges of a range', async () => {
    // Hours from Mon 14:00 (C1's resolution, a contact message), Tuesday whole (C2), hours of
    // Wednesday until 12:00 (C4); C1's creation at 13:00 is outside.
    const { body } = await get(`${v2()}/reports/summary`, {
      since: seconds('2026-03-02T14:00:00Z'),
      until: seconds('2026-03-04T12:00:00Z'),
    }).expect(200);
    expect(body).toMatchObject({
      conversations_count: 2,
      incoming_messages_count: 4,
      resolutions_count: 2,
      avg_resolution_time: (36000 + 3600) / 2,
    });
  });

  it('counts only working hours with business_hours, in the inbox timezone and across DST', async () => {
    const { body } = await get(`${v2()}/reports/summary`, {
      ...range,
      business_hours: 'true',
    }).expect(200);
    expect(body).toMatchObject({
      avg_first_response_time: (3600 + 600 + 3600) / 3,
      avg_resolution_time: (28800 + 3600) / 2,
      reply_time: 1800,
    });
  });

  it('groups by day in UTC, and in the reader timezone', async () => {
    const utc = await get(`${v2()}/reports`, {
      metric: 'conversations_count',
      since: SINCE,
      until: seconds('2026-03-08T00:00:00Z'),
    }).expect(200);
    expect(utc.body).toEqual(
      [0, 1, 1, 1, 0, 1, 0].map((value, day) => ({
        value,
        timestamp: seconds('2026-03-01T00:00:00Z') + day * 86400,
      })),
    );
    // At UTC-5, C2 (Tue 03:00Z) belongs to Monday; the periods start at local midnight (05:00Z).
    const newYork = await get(`${v2()}/reports`, {
      metric: 'conversations_count',
      since: SINCE,
      until: seconds('2026-03-08T00:00:00Z'),
      timezone_offset: -5,
    }).expect(200);
    expect(newYork.body).toEqual(
      [0, 0, 2, 0, 1, 0, 1, 0].map((value, day) => ({
        value,
        timestamp: seconds('2026-02-28T05:00:00Z') + day * 86400,
      })),
    );
  });

  it('averages per period with their counts, by week and month', async () => {
    const weekly = await get(`${v2()}/reports`, {
      ...range,
      metric: 'avg_first_response_time',
      group_by: 'week',
    }).expect(200);
    // Weeks from Monday: 02-23 (holds 03-01), 03-02 (C1, C2), 03-09 (C3's answer).
    expect(weekly.body).toEqual([
      { value: 0, timestamp: seconds('2026-02-23T00:00:00Z'), count: 0 },
      { value: (7200 + 600) / 2, timestamp: seconds('2026-03-02T00:00:00Z'), count: 2 },
      { value: 230400, timestamp: seconds('2026-03-09T00:00:00Z'), count: 1 },
    ]);
    const monthly = await get(`${v2()}/reports`, {
      ...range,
      metric: 'resolutions_count',
      group_by: 'month',
    }).expect(200);
    expect(monthly.body).toEqual([{ value: 2, timestamp: seconds('2026-03-01T00:00:00Z') }]);
  });

  it('reports an agent, an inbox, a team and a label', async () => {
    const agent = await get(`${v2()}/reports/summary`, {
      ...range,
      type: 'agent',
      id: g1.userId,
    }).expect(200);
    expect(agent.body).toMatchObject({
      conversations_count: 2,
      outgoing_messages_count: 3,
      avg_first_response_time: (7200 + 230400) / 2,
      resolutions_count: 1,
    });
    const inbox = await get(`${v2()}/reports/summary`, {
      ...range,
      type: 'inbox',
      id: inbox2,
    }).expect(200);
    expect(inbox.body).toMatchObject({
      conversations_count: 2,
      incoming_messages_count: 3,
      resolutions_count: 1,
      avg_resolution_time: 3600,
    });
    const team = await get(`${v2()}/reports/summary`, {
      ...range,
      type: 'team',
      id: teamId,
    }).expect(200);
    expect(team.body).toMatchObject({
      conversations_count: 1,
      resolutions_count: 1,
      avg_resolution_time: 36000,
    });
    const label = await get(`${v2()}/reports`, {
      ...range,
      type: 'label',
      id: 'vip',
      metric: 'conversations_count',
      group_by: 'month',
    }).expect(200);
    expect(label.body).toEqual([{ value: 1, timestamp: seconds('2026-03-01T00:00:00Z') }]);
  });

  it('answers the summary reports per agent, inbox, team and channel', async () => {
    const agents = await get(`${v2()}/summary_reports/agent`, range).expect(200);
    expect(agents.body).toEqual(
      expect.arrayContaining([
        {
          id: g1.userId,
          conversations_count: 2,
          resolved_conversations_count: 1,
          avg_resolution_time: 36000,
          avg_first_response_time: 118800,
          avg_reply_time: 1800,
        },
        {
          id: g2.userId,
          conversations_count: 1,
          resolved_conversations_count: 1,
          avg_resolution_time: 3600,
          avg_first_response_time: 600,
          avg_reply_time: null,
        },
        {
          id: admin.userId,
          conversations_count: 0,
          resolved_conversations_count: 0,
          avg_resolution_time: null,
          avg_first_response_time: null,
          avg_reply_time: null,
        },
      ]),
    );
    const inboxes = await get(`${v2()}/summary_reports/inbox`, {
      ...range,
      business_hours: 'true',
    }).expect(200);
    expect(inboxes.body).toEqual([
      {
        id: inbox1,
        conversations_count: 2,
        resolved_conversations_count: 1,
        avg_resolution_time: 28800,
        avg_first_response_time: 3600,
        avg_reply_time: 1800,
      },
      {
        id: inbox2,
        conversations_count: 2,
        resolved_conversations_count: 1,
        avg_resolution_time: 3600,
        avg_first_response_time: 600,
        avg_reply_time: null,
      },
    ]);
    const teams = await get(`${v2()}/summary_reports/team`, range).expect(200);
    expect(teams.body).toEqual([
      {
        id: teamId,
        conversations_count: 1,
        resolved_conversations_count: 1,
        avg_resolution_time: 36000,
        avg_first_response_time: 7200,
        avg_reply_time: 1800,
      },
    ]);
    const channel = await get(`${v2()}/summary_reports/channel`, range).expect(200);
    expect(channel.body).toEqual({
      'Channel::Api': { open: 3, resolved: 1, pending: 0, snoozed: 0, total: 4 },
    });
    await get(`${v2()}/summary_reports/channel`, {
      since: SINCE,
      until: SINCE + 200 * 86400,
    }).expect(422);
  });

  it('answers live counts, the distribution, the matrix and outgoing messages', async () => {
    expect(
      (await get(`${v2()}/reports/conversations`, { type: 'account' }).expect(200)).body,
    ).toEqual({
      open: 3,
      unattended: 2,
      unassigned: 1,
    });
    const perAgent = await get(`${v2()}/reports/conversations`, { type: 'agent' }).expect(200);
    expect(perAgent.body.find((row: { id: number }) => row.id === g1.userId)).toMatchObject({
      metric: { open: 1, unattended: 0 },
    });
    expect(perAgent.body.find((row: { id: number }) => row.id === g2.userId)).toMatchObject({
      metric: { open: 1, unattended: 1 },
    });
    expect(
      (await get(`${v2()}/reports/first_response_time_distribution`, range).expect(200)).body,
    ).toEqual({
      'Channel::Api': { '0-1h': 1, '1-4h': 1, '4-8h': 0, '8-24h': 0, '24h+': 1 },
    });
    expect((await get(`${v2()}/reports/inbox_label_matrix`, range).expect(200)).body).toEqual({
      inboxes: [
        { id: inbox1, name: 'Support' },
        { id: inbox2, name: 'Sales' },
      ],
      labels: [
        { id: null, title: 'billing' },
        { id: null, title: 'vip' },
      ],
      matrix: [
        [1, 0],
        [1, 1],
      ],
    });
    const outgoing = await get(`${v2()}/reports/outgoing_messages_count`, {
      ...range,
      group_by: 'agent',
    }).expect(200);
    expect(outgoing.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: g1.userId, outgoing_messages_count: 3 }),
        expect.objectContaining({ id: g2.userId, outgoing_messages_count: 1 }),
      ]),
    );
    const byLabel = await get(`${v2()}/reports/outgoing_messages_count`, {
      ...range,
      group_by: 'label',
    }).expect(200);
    expect(byLabel.body).toEqual([
      { id: null, name: 'billing', outgoing_messages_count: 3 },
      { id: null, name: 'vip', outgoing_messages_count: 1 },
    ]);
    // Named by account label ids (label_ids[] as Chatwoot's clients send it), each one listed
    // with its id, even a label no conversation of the range carries.
    const ids: Record<string, number> = {};
    for (const title of ['vip', 'unused']) {
      const label = await server.http
        .post(`/api/v1/accounts/${admin.accountId}/labels`)
        .set('api_access_token', admin.token)
        .send({ title })
        .expect(201);
      ids[title] = label.body.id;
    }
    const named = await get(
      `${v2()}/reports/inbox_label_matrix?label_ids[]=${ids.vip}&label_ids[]=${ids.unused}`,
      range,
    ).expect(200);
    expect(named.body).toMatchObject({
      labels: [
        { id: ids.unused, title: 'unused' },
        { id: ids.vip, title: 'vip' },
      ],
      matrix: [
        [0, 0],
        [0, 1],
      ],
    });
    // Without a filter, a label's id is there once the account has it.
    expect(
      (await get(`${v2()}/reports/inbox_label_matrix`, range).expect(200)).body.labels,
    ).toEqual([
      { id: null, title: 'billing' },
      { id: ids.vip, title: 'vip' },
    ]);
  });

  it('lists reporting events (administrators), with filters', async () => {
    const all = await get(`/api/v1/accounts/${admin.accountId}/reporting_events`, range).expect(
      200,
    );
    expect(all.body.meta).toEqual({ count: 8, current_page: 1, total_pages: 1 });
    expect(all.body.payload.map((e: { name: string }) => e.name)).toEqual([
      'first_response',
      'reply_time',
      'conversation_resolved',
      'first_response',
      'conversation_resolved',
      'conversation_opened',
      'conversation_bot_handoff',
      'first_response',
    ]);
    const handoff = await get(`/api/v1/accounts/${admin.accountId}/reporting_events`, {
      name: 'first_response',
      user_id: g1.userId,
    }).expect(200);
    expect(
      handoff.body.payload.map((e: { value: number; value_in_business_hours: number }) => [
        e.value,
        e.value_in_business_hours,
      ]),
    ).toEqual([
      [7200, 3600],
      [230400, 3600],
    ]);
    await get(`/api/v1/accounts/${admin.accountId}/reporting_events`, {}, g1.token).expect(403);
  });

  it('lets an agent read only their own report', async () => {
    await get(`${v2()}/reports/summary`, range, g1.token).expect(403);
    await get(
      `${v2()}/reports/summary`,
      { ...range, type: 'agent', id: g2.userId },
      g1.token,
    ).expect(403);
    const own = await get(
      `${v2()}/reports/summary`,
      { ...range, type: 'agent', id: g1.userId },
      g1.token,
    ).expect(200);
    expect(own.body.conversations_count).toBe(2);
    const live = await get(`${v2()}/reports/conversations`, { type: 'agent' }, g1.token).expect(
      200,
    );
    expect(live.body.map((row: { id: number }) => row.id)).toEqual([g1.userId]);
    await get(`${v2()}/summary_reports/agent`, range, g1.token).expect(403);
  });

  it('answers bad parameters with 422 and unknown ids with 404', async () => {
    await get(`${v2()}/reports`, range).expect(422);
    await get(`${v2()}/reports`, { ...range, metric: 'nope' }).expect(422);
    await get(`${v2()}/reports/summary`, { ...range, type: 'agent' }).expect(422);
    await get(`${v2()}/reports/summary`, { since: UNTIL, until: SINCE }).expect(422);
    await get(`${v2()}/reports/summary`, { ...range, type: 'inbox', id: 999999 }).expect(404);
    await get(`${v2()}/reports/summary`, { ...range, type: 'agent', id: 'x' }).expect(422);
  });

  it('draws the series as SVG and exports summaries as CSV', async () => {
    // supertest keeps an image/* answer as bytes: read it as text.
    const svg = await get(`${v2()}/reports`, {
      ...range,
      metric: 'conversations_count',
      format: 'svg',
    })
      .buffer(true)
      .parse((response, done) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => done(null, text));
      })
      .expect(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const drawing = svg.body as string;
    expect(drawing).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    // One bar per day of the range (the background is a rect without x).
    expect(drawing.match(/<rect x=/g)).toHaveLength(14);
    const csv = await get(`${v2()}/reports/inboxes`, range).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.split('\n')).toEqual([
      'Inbox id,Inbox name,Conversations count,Resolutions count,Avg first response time (seconds),Avg resolution time (seconds),Avg reply time (seconds)',
      `${inbox1},Support,2,1,118800,36000,1800`,
      `${inbox2},Sales,2,1,600,3600,`,
      '',
    ]);
  });

  it('derives the reporting events of a conversation made through the API', async () => {
    const { conversationId } = await seedConversation(server.http, admin);
    const path = `${accountPath(admin)}/conversations/${conversationId}`;
    await server.http
      .post(`${path}/messages`)
      .set('api_access_token', admin.token)
      .send({ content: 'On it' })
      .expect(201);
    await server.http
      .post(`${path}/toggle_status`)
      .set('api_access_token', admin.token)
      .send({ status: 'resolved' })
      .expect(200);
    const events = await eventually(
      async () => {
        const response = await get(`${path}/reporting_events`).expect(200);
        expect(response.body.map((e: { name: string }) => e.name)).toEqual([
          'first_response',
          'conversation_resolved',
        ]);
        return response.body;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(events[0]).toMatchObject({
      conversation_id: conversationId,
      user_id: admin.userId,
      account_id: admin.accountId,
    });
    expect(events[0].value).toBeGreaterThanOrEqual(0);
    await get(`${accountPath(admin)}/conversations/999999/reporting_events`).expect(404);
  });

  it('rebuilds from the outbox to the same numbers', async () => {
    const answers = async () =>
      Promise.all([
        get(`${v2()}/reports/summary`, range),
        get(`${v2()}/reports/summary`, { ...range, business_hours: 'true' }),
        get(`${v2()}/summary_reports/agent`, range),
        get(`${v2()}/summary_reports/inbox`, range),
        get(`${v2()}/reports/conversations`, { type: 'account' }),
        get(`${v2()}/reports`, { ...range, metric: 'avg_resolution_time', timezone_offset: 5.5 }),
        get(`/api/v1/accounts/${admin.accountId}/reporting_events`, range),
      ]).then((responses) => responses.map((response) => response.body));
    const before = await answers();
    await db().query(`UPDATE report_rollups SET conversations = conversations + 100`);
    const result = await runCli(['reports:rebuild']);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/Rebuilt the reports from \d+ events/);
    const after = await answers();
    // Reporting event ids are new after a rebuild; everything else is the same.
    const withoutIds = (list: { payload: { id: number }[] }) =>
      list.payload.map(({ id: _id, ...rest }) => rest);
    expect(withoutIds(after[6])).toEqual(withoutIds(before[6]));
    expect(after.slice(0, 6)).toEqual(before.slice(0, 6));
  });
});
