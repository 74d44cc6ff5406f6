import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  accountPath,
  addInboxMembers,
  createInbox,
  createPublicContact,
  createPublicConversation,
  unique,
} from './support/api-channel.js';
import type { TestInbox } from './support/api-channel.js';
import { closeTestDatabase, testDatabase } from './support/database.js';
import { createAccount, createAgent } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { startServer, TestServer } from './support/server.js';

type Status = 'open' | 'pending' | 'resolved' | 'snoozed';

/** A stored conversation as the list sees it; the reference below filters and sorts these. */
interface Stored {
  id: number;
  displayId: number;
  inboxId: number;
  status: Status;
  assigneeId: number | null;
  teamId: number | null;
  labels: string[];
  priority: string | null;
  lastActivityAt: number;
  createdAt: number;
  contactId: number;
}

interface Viewer {
  userId: number;
  token: string;
  inboxes: number[];
}

const PRIORITY_RANK = ['urgent', 'high', 'medium', 'low'];

/**
 * The conversation list (GET /conversations, /conversations/meta, the contact's conversations)
 * against a plain reference over the same rows: the counts ignore assignee_type, every filter
 * narrows both the counts and the page, pages are 25 long, follow the sort (ties broken by id)
 * and never overlap, and a viewer sees only the inboxes they are a member of.
 */
describe('Conversation list', () => {
  let server: TestServer;
  let admin: TestAccount;
  let first: TestInbox;
  let second: TestInbox;
  let teamId: number;
  let stored: Stored[];
  let adminViewer: Viewer;
  let agentViewer: Viewer;

  beforeAll(async () => {
    server = await startServer();
    admin = await createAccount('Listing');
    first = await createInbox(server.http, admin);
    second = await createInbox(server.http, admin);
    const agent = await createAgent(server.http, admin);
    await addInboxMembers(server.http, admin, first.id, [agent.userId]);
    adminViewer = { userId: admin.userId, token: admin.token, inboxes: [first.id, second.id] };
    agentViewer = { userId: agent.userId, token: agent.token, inboxes: [first.id] };

    const db = testDatabase();
    const {
      rows: [team],
    } = await db.query(`INSERT INTO teams (account_id, name) VALUES ($1, $2) RETURNING id`, [
      admin.accountId,
      unique('Team'),
    ]);
    teamId = team.id;

    // 90 conversations with every combination the filters tell apart, and equal activity and
    // creation times in places so that the id decides.
    const statuses: Status[] = ['open', 'open', 'pending', 'resolved', 'snoozed'];
    const assignees = [admin.userId, agent.userId, null];
    const base = Date.UTC(2026, 0, 1);
    const seeds = Array.from({ length: 90 }, (_, index) => ({
      index,
      inboxId: index % 3 === 2 ? second.id : first.id,
      status: statuses[index % statuses.length],
      assigneeId: assignees[index % assignees.length],
      teamId: index % 4 === 0 ? teamId : null,
      labels: index % 6 === 0 ? ['vip'] : index % 6 === 1 ? ['billing', 'vip'] : [],
      priority: [null, 'low', 'medium', 'high', 'urgent'][index % 5],
      lastActivityAt: base + ((index * 37) % 40) * 60_000,
      createdAt: base - (index % 7) * 3_600_000,
    }));
    const { rows } = await db.query(
      `WITH seed AS (
         SELECT * FROM jsonb_to_recordset($2::jsonb) AS s(index int, "inboxId" int, status text,
           "assigneeId" int, "teamId" int, labels text[], priority text, "lastActivityAt" float8,
           "createdAt" float8)),
       contact AS (
         INSERT INTO contacts (account_id, name, identifier)
         SELECT $1, 'Lister ' || s.index, $3 || '-' || s.index FROM seed s ORDER BY s.index
         RETURNING id, identifier),
       contact_inbox AS (
         INSERT INTO contact_inboxes (contact_id, inbox_id, source_id, pubsub_token)
         SELECT c.id, s."inboxId", c.identifier, md5(c.identifier || random())
           FROM seed s JOIN contact c ON c.identifier = $3 || '-' || s.index
         RETURNING id, contact_id, inbox_id, source_id)
       INSERT INTO conversations (account_id, inbox_id, contact_id, contact_inbox_id, display_id,
         status, assignee_id, team_id, labels, priority, last_activity_at, created_at)
       SELECT $1, ci.inbox_id, ci.contact_id, ci.id, 1000 + s.index, s.status, s."assigneeId",
              s."teamId", s.labels, s.priority, to_timestamp(s."lastActivityAt" / 1000),
              to_timestamp(s."createdAt" / 1000)
         FROM seed s JOIN contact_inbox ci ON ci.source_id = $3 || '-' || s.index
       RETURNING id, display_id, contact_id`,
      [admin.accountId, JSON.stringify(seeds), unique('lister')],
    );
    await db.query(
      `INSERT INTO messages (account_id, inbox_id, conversation_id, message_type, content, sender_type, sender_id)
       SELECT c.account_id, c.inbox_id, c.id, 0, 'About ' || c.display_id, 'contact', c.contact_id
         FROM conversations c WHERE c.account_id = $1`,
      [admin.accountId],
    );
    stored = rows.map((row) => {
      const seed = seeds[row.display_id - 1000];
      return { ...seed, id: row.id, displayId: row.display_id, contactId: row.contact_id };
    });
  });
  afterAll(async () => {
    await server?.stop();
    await closeTestDatabase();
  });

  interface Filters {
    status?: Status | 'all';
    assignee_type?: 'me' | 'unassigned' | 'assigned' | 'all';
    inbox_id?: number;
    team_id?: number;
    labels?: string[];
    sort_by?: string;
    page?: number;
  }

  /** What the list must answer: the counts (before assignee_type) and the page's display ids. */
  function expected(viewer: Viewer, filters: Filters) {
    const status = filters.status ?? 'open';
    const matching = stored.filter(
      (row) =>
        viewer.inboxes.includes(row.inboxId) &&
        (status === 'all' || row.status === status) &&
        (!filters.inbox_id || row.inboxId === filters.inbox_id) &&
        (!filters.team_id || row.teamId === filters.team_id) &&
        // Chatwoot's semantics: any of the labels.
        (!filters.labels?.length || filters.labels.some((label) => row.labels.includes(label))),
    );
    const meta = {
      mine_count: matching.filter((row) => row.assigneeId === viewer.userId).length,
      assigned_count: matching.filter((row) => row.assigneeId !== null).length,
      unassigned_count: matching.filter((row) => row.assigneeId === null).length,
      all_count: matching.length,
    };
    const assignee = filters.assignee_type ?? 'all';
    const listed = matching.filter((row) =>
      assignee === 'me'
        ? row.assigneeId === viewer.userId
        : assignee === 'unassigned'
          ? row.assigneeId === null
          : assignee === 'assigned'
            ? row.assigneeId !== null
            : true,
    );
    const byId = (a: Stored, b: Stored) => b.id - a.id;
    const rank = (row: Stored) =>
      row.priority === null ? Infinity : PRIORITY_RANK.indexOf(row.priority);
    const sorts: Record<string, (a: Stored, b: Stored) => number> = {
      last_activity_at_desc: (a, b) => b.lastActivityAt - a.lastActivityAt || byId(a, b),
      last_activity_at_asc: (a, b) => a.lastActivityAt - b.lastActivityAt || -byId(a, b),
      created_at_desc: (a, b) => b.createdAt - a.createdAt || byId(a, b),
      created_at_asc: (a, b) => a.createdAt - b.createdAt || -byId(a, b),
      priority_desc: (a, b) =>
        rank(a) - rank(b) || b.lastActivityAt - a.lastActivityAt || byId(a, b),
    };
    const sorted = [...listed].sort(sorts[filters.sort_by ?? 'last_activity_at_desc']);
    const page = filters.page ?? 1;
    return {
      meta,
      ids: sorted.slice((page - 1) * 25, page * 25).map((row) => row.displayId),
    };
  }

  async function list(viewer: Viewer, filters: Filters) {
    const { labels, ...rest } = filters;
    const response = await server.http
      .get(`${accountPath(admin)}/conversations`)
      .query({ ...rest, ...(labels ? { 'labels[]': labels } : {}) })
      .set('api_access_token', viewer.token);
    expect({ status: response.status }).toEqual({ status: 200 });
    const { meta, payload } = response.body.data;
    return { meta, ids: payload.map((item: { id: number }) => item.id), payload };
  }

  const cases: Filters[] = [
    {},
    { status: 'open', assignee_type: 'me' },
    { status: 'open', assignee_type: 'unassigned' },
    { status: 'pending', assignee_type: 'assigned' },
    { status: 'all' },
    { status: 'all', page: 2 },
    { status: 'all', page: 3 },
    { status: 'all', page: 4 },
    { status: 'all', labels: ['vip'] },
    { status: 'all', labels: ['vip', 'billing'], assignee_type: 'unassigned' },
    { status: 'all', labels: ['billing', 'no-such-label'] },
    { status: 'open', labels: ['vip'], assignee_type: 'me' },
    { status: 'resolved', inbox_id: 0, page: 1 },
    { status: 'all', team_id: 0, assignee_type: 'assigned' },
    { status: 'open', sort_by: 'created_at_desc', assignee_type: 'me' },
    { status: 'all', sort_by: 'created_at_asc', page: 2 },
    { status: 'all', sort_by: 'last_activity_at_asc', page: 2 },
    { status: 'all', sort_by: 'priority_desc' },
    { status: 'snoozed', assignee_type: 'all' },
  ];

  it.each(cases.map((filters, index) => [index, filters] as const))(
    'case %i: counts and page match the reference, for an administrator and an agent',
    async (_index, raw) => {
      // inbox_id and team_id 0 stand for the second inbox and the team, known only at run time
      const filters = {
        ...raw,
        ...(raw.inbox_id === 0 ? { inbox_id: second.id } : {}),
        ...(raw.team_id === 0 ? { team_id: teamId } : {}),
      };
      for (const viewer of [adminViewer, agentViewer]) {
        const answer = await list(viewer, filters);
        expect({ viewer: viewer.userId, ...filters, meta: answer.meta, ids: answer.ids }).toEqual({
          viewer: viewer.userId,
          ...filters,
          ...expected(viewer, filters),
        });
      }
    },
  );

  it('pages of all statuses cover every visible conversation once, in order', async () => {
    const seen: number[] = [];
    for (let page = 1; page <= 5; page++) {
      seen.push(...(await list(adminViewer, { status: 'all', page })).ids);
    }
    expect(seen).toHaveLength(stored.length);
    expect(new Set(seen).size).toBe(stored.length);
  });

  it('each row is the full conversation view, with its last message', async () => {
    const { payload } = await list(adminViewer, { status: 'open', assignee_type: 'me' });
    expect(payload.length).toBeGreaterThan(0);
    for (const item of payload) {
      const row = stored.find((candidate) => candidate.displayId === item.id)!;
      expect(item).toMatchObject({
        id: row.displayId,
        status: 'open',
        inbox_id: row.inboxId,
        assignee_id: admin.userId,
        labels: row.labels,
        meta: { assignee: { id: admin.userId }, sender: { id: row.contactId } },
        messages: [{ content: `About ${row.displayId}`, message_type: 0 }],
        last_non_activity_message: { content: `About ${row.displayId}` },
        unread_count: 1,
        last_activity_at: Math.floor(row.lastActivityAt / 1000),
      });
    }
  });

  it('/conversations/meta answers the same counts', async () => {
    const metaCases: Filters[] = [{ status: 'open' }, { status: 'all', team_id: 0 }];
    for (const filters of metaCases) {
      const query = { ...filters, ...(filters.team_id === 0 ? { team_id: teamId } : {}) };
      const response = await server.http
        .get(`${accountPath(admin)}/conversations/meta`)
        .query(query)
        .set('api_access_token', agentViewer.token)
        .expect(200);
      expect(response.body.meta).toEqual(expected(agentViewer, query).meta);
    }
  });

  it("a contact's conversations: only theirs, in the viewer's inboxes", async () => {
    const inSecond = stored.find((row) => row.inboxId === second.id)!;
    for (const [viewer, count] of [
      [adminViewer, 1],
      [agentViewer, 0],
    ] as const) {
      const response = await server.http
        .get(`${accountPath(admin)}/contacts/${inSecond.contactId}/conversations`)
        .set('api_access_token', viewer.token)
        .expect(200);
      expect(response.body.payload.map((item: { id: number }) => item.id)).toEqual(
        count ? [inSecond.displayId] : [],
      );
    }
  });

  it("an inbox being deleted takes its conversations out of an administrator's list at once", async () => {
    const owner = await createAccount('Deleting');
    const [kept, doomed] = [
      await createInbox(server.http, owner),
      await createInbox(server.http, owner),
    ];
    const ids: Record<string, number> = {};
    for (const [name, inbox] of [
      ['kept', kept],
      ['doomed', doomed],
    ] as const) {
      const contact = await createPublicContact(server.http, inbox, { identifier: unique(name) });
      ids[name] = await createPublicConversation(server.http, inbox, contact);
    }
    const listed = async () =>
      (
        await server.http
          .get(`${accountPath(owner)}/conversations`)
          .query({ status: 'all' })
          .set('api_access_token', owner.token)
          .expect(200)
      ).body.data.payload.map((item: { id: number }) => item.id);
    expect((await listed()).sort((a: number, b: number) => a - b)).toEqual(
      [ids.kept, ids.doomed].sort((a, b) => a - b),
    );
    // What deleting an inbox does first; its conversations go later, in the background.
    await testDatabase().query(`UPDATE inboxes SET deleted_at = now() WHERE id = $1`, [doomed.id]);
    expect(await listed()).toEqual([ids.kept]);
  });
});
