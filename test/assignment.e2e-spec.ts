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
import { eventually } from './support/eventually.js';
import { createAccount, createAgent } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { expectInvalidFields, expectProblem } from './support/problems.js';
import { startServer, TestServer } from './support/server.js';

/**
 * Effects of events (assignments, rule runs) follow the response; on a loaded machine they can
 * take a while, so wait longer than eventually's default.
 */
function soon<T>(
  assertion: () => T | Promise<T>,
  options: { timeoutMs?: number } = {},
): Promise<T> {
  return eventually(assertion, { timeoutMs: 20_000, intervalMs: 100, ...options });
}

type Agent = { userId: number; token: string; email: string };

interface Policy {
  enable_auto_assignment?: boolean;
  strategy?: 'round_robin' | 'balanced';
  capacity_in_inbox?: number | null;
  capacity_overall?: number | null;
  include_offline_agents?: boolean;
  keep_assignee_on_reopen?: boolean;
}

/**
 * Issue 5, assignment: the inbox policy over HTTP, the capacity-aware backlog, and the saga's
 * reactions (conversation created, reopened, given a team; agent online; load dropped), all
 * through the real server. Every account here is its own, so assignments never cross tests.
 */
describe('Automatic assignment', () => {
  let server: TestServer;
  const db = () => testDatabase();

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
    await closeTestDatabase();
  });

  async function setPolicy(admin: TestAccount, inbox: TestInbox, policy: Policy) {
    const response = await server.http
      .patch(`${accountPath(admin)}/inboxes/${inbox.id}/assignment_policy`)
      .set('api_access_token', admin.token)
      .send(policy);
    expect({ status: response.status, body: response.body }).toMatchObject({
      status: 200,
      body: { inbox_id: inbox.id, ...policy },
    });
  }

  /** Through the agents API, as the administrator. */
  async function setAvailability(
    admin: TestAccount,
    agent: Agent,
    status: 'online' | 'offline' | 'busy',
  ) {
    const response = await server.http
      .patch(`${accountPath(admin)}/agents/${agent.userId}`)
      .set('api_access_token', admin.token)
      .send({ availability_status: status });
    expect({ status: response.status, body: response.body }).toMatchObject({
      status: 200,
      body: { availability_status: status },
    });
  }

  /** Through the agent's own profile. */
  async function goOnline(admin: TestAccount, agent: Agent) {
    const response = await server.http
      .post('/api/v1/profile/availability')
      .set('api_access_token', agent.token)
      .send({ account_id: admin.accountId, availability: 'online' });
    expect(response.status).toBeLessThan(300);
  }

  /** A new contact and its conversation, through the Client API; answers the display id. */
  async function newConversation(inbox: TestInbox): Promise<number> {
    const contact = await createPublicContact(server.http, inbox, { name: unique('Contact') });
    return createPublicConversation(server.http, inbox, contact);
  }

  async function getConversation(admin: TestAccount, displayId: number) {
    const response = await server.http
      .get(`${accountPath(admin)}/conversations/${displayId}`)
      .set('api_access_token', admin.token);
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 200 });
    return response.body as {
      id: number;
      status: string;
      assignee_id: number | null;
      team_id: number | null;
      meta: { assignee?: { id: number } };
    };
  }

  async function assigneeOf(admin: TestAccount, displayId: number): Promise<number | null> {
    return (await getConversation(admin, displayId)).assignee_id;
  }

  async function toggleStatus(
    admin: TestAccount,
    caller: { token: string },
    displayId: number,
    status: string,
  ) {
    const response = await server.http
      .post(`${accountPath(admin)}/conversations/${displayId}/toggle_status`)
      .set('api_access_token', caller.token)
      .send({ status });
    expect({ status: response.status, body: response.body }).toMatchObject({
      status: 200,
      body: { payload: { current_status: status } },
    });
  }

  async function assign(admin: TestAccount, displayId: number, body: Record<string, unknown>) {
    const response = await server.http
      .post(`${accountPath(admin)}/conversations/${displayId}/assignments`)
      .set('api_access_token', admin.token)
      .send(body);
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 200 });
  }

  /** Open conversations of an inbox by assignee (null: waiting), from the database. */
  async function inboxState(inboxId: number) {
    const { rows } = await db().query(
      `SELECT display_id, assignee_id, status FROM conversations WHERE inbox_id = $1 ORDER BY created_at, id`,
      [inboxId],
    );
    const open = rows.filter((row) => row.status === 'open');
    const byAgent = new Map<number | null, number[]>();
    for (const row of open)
      byAgent.set(row.assignee_id, [...(byAgent.get(row.assignee_id) ?? []), row.display_id]);
    return {
      /** Open and unassigned, oldest first (by creation time, then id). */
      waiting: byAgent.get(null) ?? [],
      of: (agent: Agent) => byAgent.get(agent.userId) ?? [],
      assignedCount: open.filter((row) => row.assignee_id !== null).length,
    };
  }

  /**
   * The most open conversations each agent held at any moment, replaying the account's
   * conversation events in order: every event carries the conversation's status and assignee
   * after the change.
   */
  async function peakOpenLoads(accountId: number, inboxId: number): Promise<Map<number, number>> {
    const { rows } = await db().query(
      `SELECT conversation_id, payload->>'status' AS status, (payload->>'assignee_id')::int AS assignee_id
         FROM domain_events
        WHERE account_id = $1 AND inbox_id = $2
          AND name IN ('conversation_created', 'conversation_updated', 'conversation_status_changed')
        ORDER BY id`,
      [accountId, inboxId],
    );
    const state = new Map<number, { status: string; assignee: number | null }>();
    const peaks = new Map<number, number>();
    for (const row of rows) {
      state.set(row.conversation_id, { status: row.status, assignee: row.assignee_id });
      const loads = new Map<number, number>();
      for (const { status, assignee } of state.values()) {
        if (status === 'open' && assignee !== null)
          loads.set(assignee, (loads.get(assignee) ?? 0) + 1);
      }
      for (const [agent, load] of loads) peaks.set(agent, Math.max(peaks.get(agent) ?? 0, load));
    }
    return peaks;
  }

  /** Creates a conversation in a second inbox with its own online agent and waits until it is assigned. */
  async function barrier(admin: TestAccount, inbox: TestInbox, agent: Agent) {
    const displayId = await newConversation(inbox);
    await soon(async () => expect(await assigneeOf(admin, displayId)).toBe(agent.userId));
  }

  /** An account with an inbox (auto-assignment on, round robin) whose members are `count` online agents. */
  async function setup(count: number, label: string) {
    const admin = await createAccount(label);
    const inbox = await createInbox(server.http, admin);
    const agents: Agent[] = [];
    for (let index = 0; index < count; index++) agents.push(await createAgent(server.http, admin));
    await addInboxMembers(
      server.http,
      admin,
      inbox.id,
      agents.map((agent) => agent.userId),
    );
    for (const agent of agents) await setAvailability(admin, agent, 'online');
    return { admin, inbox, agents };
  }

  /** A barrier inbox of the same account: one online agent, no capacity. */
  async function barrierInbox(admin: TestAccount) {
    const inbox = await createInbox(server.http, admin);
    const agent = await createAgent(server.http, admin);
    await addInboxMembers(server.http, admin, inbox.id, [agent.userId]);
    await setAvailability(admin, agent, 'online');
    return { inbox, agent };
  }

  describe('the issue scenario: 50 conversations at once, two agents of capacity 10', () => {
    let admin: TestAccount;
    let inbox: TestInbox;
    let first: Agent;
    let second: Agent;
    let third: Agent;

    beforeAll(async () => {
      ({
        admin,
        inbox,
        agents: [first, second],
      } = await setup(2, 'Capacity'));
      await setPolicy(admin, inbox, {
        enable_auto_assignment: true,
        strategy: 'round_robin',
        capacity_in_inbox: 10,
      });
    });

    it('assigns exactly 20, 10 each, and leaves 30 waiting', async () => {
      const created = await Promise.all(Array.from({ length: 50 }, () => newConversation(inbox)));
      expect(new Set(created).size).toBe(50);

      const state = await soon(
        async () => {
          const current = await inboxState(inbox.id);
          expect(current.assignedCount).toBe(20);
          return current;
        },
        { timeoutMs: 60_000 },
      );
      expect(state.of(first)).toHaveLength(10);
      expect(state.of(second)).toHaveLength(10);
      expect(state.waiting).toHaveLength(30);

      const meta = await server.http
        .get(`${accountPath(admin)}/conversations/meta`)
        .query({ inbox_id: inbox.id })
        .set('api_access_token', admin.token)
        .expect(200);
      expect(meta.body.meta).toMatchObject({
        assigned_count: 20,
        unassigned_count: 30,
        all_count: 50,
      });
    });

    it('when one agent resolves 5, the 5 oldest waiting go to that agent', async () => {
      const before = await inboxState(inbox.id);
      const oldestFive = before.waiting.slice(0, 5);
      const resolved = before.of(first).slice(0, 5);
      for (const displayId of resolved) await toggleStatus(admin, first, displayId, 'resolved');

      const after = await soon(async () => {
        const current = await inboxState(inbox.id);
        expect(current.of(first)).toHaveLength(10);
        return current;
      });
      expect(
        after
          .of(first)
          .filter((id) => !before.of(first).includes(id))
          .sort(),
      ).toEqual([...oldestFive].sort());
      expect(after.of(second)).toEqual(before.of(second));
      expect(after.waiting).toEqual(before.waiting.slice(5));
      for (const displayId of resolved)
        expect((await getConversation(admin, displayId)).status).toBe('resolved');
      for (const displayId of oldestFive) {
        expect((await getConversation(admin, displayId)).meta.assignee).toMatchObject({
          id: first.userId,
        });
      }
    });

    it('a third agent coming online takes the oldest waiting up to capacity', async () => {
      third = await createAgent(server.http, admin);
      await addInboxMembers(server.http, admin, inbox.id, [third.userId]);
      const before = await inboxState(inbox.id);
      expect(before.waiting).toHaveLength(25);

      await goOnline(admin, third);

      const after = await soon(async () => {
        const current = await inboxState(inbox.id);
        expect(current.of(third)).toHaveLength(10);
        return current;
      });
      expect([...after.of(third)].sort()).toEqual(before.waiting.slice(0, 10).sort());
      expect(after.waiting).toEqual(before.waiting.slice(10));
      expect(after.of(first)).toEqual(before.of(first));
      expect(after.of(second)).toEqual(before.of(second));
    });

    it('never had an agent above capacity at any point', async () => {
      const peaks = await peakOpenLoads(admin.accountId, inbox.id);
      expect(Object.fromEntries(peaks)).toEqual({
        [first.userId]: 10,
        [second.userId]: 10,
        [third.userId]: 10,
      });
    });

    it('wrote an activity message and a system conversation_updated event for every assignment', async () => {
      const { rows: events } = await db().query(
        `SELECT e.conversation_id, e.actor_type, e.actor_id, e.payload
           FROM domain_events e
          WHERE e.account_id = $1 AND e.inbox_id = $2 AND e.name = 'conversation_updated'
          ORDER BY e.id`,
        [admin.accountId, inbox.id],
      );
      const assignments = events.filter((event) =>
        (event.payload.changed_attributes as Record<string, unknown>[]).some(
          (change) => 'assignee_id' in change,
        ),
      );
      // 20 at once, 5 after the resolves, 10 for the third agent.
      expect(assignments).toHaveLength(35);
      for (const event of assignments) {
        expect({ actor_type: event.actor_type, actor_id: event.actor_id }).toEqual({
          actor_type: 'system',
          actor_id: null,
        });
        expect(event.payload.changed_attributes).toEqual([
          { assignee_id: { previous_value: null, current_value: event.payload.assignee_id } },
        ]);
      }

      const agents = await server.http
        .get(`${accountPath(admin)}/agents`)
        .set('api_access_token', admin.token)
        .expect(200);
      const names = new Map<number, string>(
        (agents.body as { id: number; available_name: string }[]).map((agent) => [
          agent.id,
          agent.available_name,
        ]),
      );
      const { rows: activities } = await db().query(
        `SELECT conversation_id, content FROM messages
          WHERE inbox_id = $1 AND message_type = 2 AND content LIKE 'Assigned to %' ORDER BY id`,
        [inbox.id],
      );
      const expected = assignments
        .map(
          (event) =>
            `${event.conversation_id}: Assigned to ${names.get(event.payload.assignee_id)} by the system`,
        )
        .sort();
      expect(activities.map((row) => `${row.conversation_id}: ${row.content}`).sort()).toEqual(
        expected,
      );

      // And the agent sees it in the conversation.
      const [{ display_id: sample, assignee_id: sampleAgent }] = (
        await db().query(
          `SELECT display_id, assignee_id FROM conversations WHERE inbox_id = $1 AND assignee_id IS NOT NULL LIMIT 1`,
          [inbox.id],
        )
      ).rows;
      const messages = await server.http
        .get(`${accountPath(admin)}/conversations/${sample}/messages`)
        .set('api_access_token', admin.token)
        .expect(200);
      expect(messages.body.payload).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            message_type: 2,
            content: `Assigned to ${names.get(sampleAgent)} by the system`,
          }),
        ]),
      );
    });
  });

  it('shows the policy with its defaults, validates changes, and keeps it per account', async () => {
    const admin = await createAccount('Policy');
    const inbox = await createInbox(server.http, admin);
    const path = `${accountPath(admin)}/inboxes/${inbox.id}/assignment_policy`;
    const shown = await server.http.get(path).set('api_access_token', admin.token).expect(200);
    expect(shown.body).toEqual({
      inbox_id: inbox.id,
      enable_auto_assignment: true,
      strategy: 'round_robin',
      capacity_in_inbox: null,
      capacity_overall: null,
      include_offline_agents: false,
      keep_assignee_on_reopen: false,
    });
    expectInvalidFields(
      await server.http
        .patch(path)
        .set('api_access_token', admin.token)
        .send({ strategy: 'fastest', capacity_in_inbox: 0, capacity_overall: 'many' }),
      ['strategy', 'capacity_in_inbox', 'capacity_overall'],
    );
    await setPolicy(admin, inbox, {
      capacity_in_inbox: 3,
      capacity_overall: 5,
      strategy: 'balanced',
    });
    await setPolicy(admin, inbox, { capacity_in_inbox: null });
    const after = await server.http.get(path).set('api_access_token', admin.token).expect(200);
    expect(after.body).toMatchObject({
      capacity_in_inbox: null,
      capacity_overall: 5,
      strategy: 'balanced',
    });

    const other = await createAccount('PolicyOther');
    expectProblem(
      await server.http
        .get(`${accountPath(other)}/inboxes/${inbox.id}/assignment_policy`)
        .set('api_access_token', other.token),
      404,
      'inbox_not_found',
    );
    expectProblem(
      await server.http
        .patch(`${accountPath(other)}/inboxes/${inbox.id}/assignment_policy`)
        .set('api_access_token', other.token)
        .send({ strategy: 'round_robin' }),
      404,
      'inbox_not_found',
    );
  });

  it('capacity_overall counts open conversations across inboxes', async () => {
    const {
      admin,
      inbox: first,
      agents: [agent],
    } = await setup(1, 'Overall');
    const second = await createInbox(server.http, admin);
    await addInboxMembers(server.http, admin, second.id, [agent.userId]);
    await setPolicy(admin, first, { capacity_overall: 1 });
    await setPolicy(admin, second, { capacity_overall: 1 });
    const control = await barrierInbox(admin);

    const held = await newConversation(first);
    await soon(async () => expect(await assigneeOf(admin, held)).toBe(agent.userId));
    const waiting = await newConversation(second);
    await barrier(admin, control.inbox, control.agent);
    expect(await assigneeOf(admin, waiting)).toBeNull();

    // Resolving the one in the first inbox makes room for the one waiting in the second.
    await toggleStatus(admin, agent, held, 'resolved');
    await soon(async () => expect(await assigneeOf(admin, waiting)).toBe(agent.userId));
  });

  it('balanced gives new conversations to the least loaded agent', async () => {
    const {
      admin,
      inbox,
      agents: [busy, idle],
    } = await setup(2, 'Balanced');
    // Round robin would start with the lower user id: make that agent the busy one.
    expect(busy.userId).toBeLessThan(idle.userId);
    await setPolicy(admin, inbox, { enable_auto_assignment: false });
    for (let index = 0; index < 2; index++)
      await assign(admin, await newConversation(inbox), { assignee_id: busy.userId });
    await setPolicy(admin, inbox, { enable_auto_assignment: true, strategy: 'balanced' });

    const firstNew = await newConversation(inbox);
    await soon(async () => expect(await assigneeOf(admin, firstNew)).toBe(idle.userId));
    const secondNew = await newConversation(inbox);
    await soon(async () => expect(await assigneeOf(admin, secondNew)).toBe(idle.userId));
    // Now 2 and 2: the next one goes to either, and then the other one is behind.
    const thirdNew = await newConversation(inbox);
    const thirdAgent = await soon(async () => {
      const assignee = await assigneeOf(admin, thirdNew);
      expect([busy.userId, idle.userId]).toContain(assignee);
      return assignee!;
    });
    const fourthNew = await newConversation(inbox);
    await soon(async () =>
      expect(await assigneeOf(admin, fourthNew)).toBe(
        thirdAgent === busy.userId ? idle.userId : busy.userId,
      ),
    );
  });

  it('stays fair when many conversations arrive at once (round robin and balanced, no capacity)', async () => {
    const rotation = await setup(2, 'FairRotation');
    const balanced = await setup(3, 'FairBalance');
    await setPolicy(balanced.admin, balanced.inbox, { strategy: 'balanced' });
    await Promise.all([
      ...Array.from({ length: 20 }, () => newConversation(rotation.inbox)),
      ...Array.from({ length: 30 }, () => newConversation(balanced.inbox)),
    ]);
    for (const { inbox, agents } of [rotation, balanced]) {
      const state = await soon(
        async () => {
          const current = await inboxState(inbox.id);
          expect(current.waiting).toEqual([]);
          return current;
        },
        { timeoutMs: 60_000 },
      );
      for (const agent of agents) expect(state.of(agent)).toHaveLength(10);
    }
  });

  it('round robin alternates between the online agents', async () => {
    const {
      admin,
      inbox,
      agents: [one, two],
    } = await setup(2, 'Rotation');
    const assignees: number[] = [];
    for (let index = 0; index < 4; index++) {
      const displayId = await newConversation(inbox);
      assignees.push(
        await soon(async () => {
          const assignee = await assigneeOf(admin, displayId);
          expect(assignee).not.toBeNull();
          return assignee!;
        }),
      );
    }
    expect(new Set(assignees)).toEqual(new Set([one.userId, two.userId]));
    for (let index = 1; index < assignees.length; index++)
      expect(assignees[index]).not.toBe(assignees[index - 1]);
  });

  it('assigns offline agents only with include_offline_agents', async () => {
    const admin = await createAccount('Offline');
    const inbox = await createInbox(server.http, admin);
    const offline = await createAgent(server.http, admin);
    await addInboxMembers(server.http, admin, inbox.id, [offline.userId]);
    const busy = await createAgent(server.http, admin);
    await addInboxMembers(server.http, admin, inbox.id, [busy.userId]);
    await setAvailability(admin, busy, 'busy');
    const control = await barrierInbox(admin);

    const waiting = await newConversation(inbox);
    await barrier(admin, control.inbox, control.agent);
    expect(await assigneeOf(admin, waiting)).toBeNull();

    await setPolicy(admin, inbox, { include_offline_agents: true });
    const taken = await newConversation(inbox);
    // No capacity limit: the new one is assigned, and the one that waited longer before it.
    for (const displayId of [waiting, taken]) {
      await soon(async () =>
        expect([offline.userId, busy.userId]).toContain(await assigneeOf(admin, displayId)),
      );
    }
    const { rows } = await db().query(
      `SELECT c.display_id FROM domain_events e JOIN conversations c ON c.id = e.conversation_id
        WHERE c.inbox_id = $1 AND e.name = 'conversation_updated' ORDER BY e.id`,
      [inbox.id],
    );
    expect(rows.map((row) => row.display_id)).toEqual([waiting, taken]);
  });

  it('assigns nothing with enable_auto_assignment false, not even when an agent comes online', async () => {
    const admin = await createAccount('Disabled');
    const inbox = await createInbox(server.http, admin);
    const agent = await createAgent(server.http, admin);
    await addInboxMembers(server.http, admin, inbox.id, [agent.userId]);
    await setPolicy(admin, inbox, { enable_auto_assignment: false });
    const control = await barrierInbox(admin);

    const inboxView = await server.http
      .get(`${accountPath(admin)}/inboxes/${inbox.id}`)
      .set('api_access_token', admin.token)
      .expect(200);
    expect(inboxView.body.enable_auto_assignment).toBe(false);

    await goOnline(admin, agent);
    const first = await newConversation(inbox);
    await barrier(admin, control.inbox, control.agent);
    expect(await assigneeOf(admin, first)).toBeNull();

    // Coming online again (offline → online) does not pull the backlog either.
    await setAvailability(admin, agent, 'offline');
    await goOnline(admin, agent);
    await barrier(admin, control.inbox, control.agent);
    expect(await assigneeOf(admin, first)).toBeNull();

    // Switched back on, the agent's next coming online takes it.
    await setPolicy(admin, inbox, { enable_auto_assignment: true });
    await setAvailability(admin, agent, 'offline');
    await goOnline(admin, agent);
    await soon(async () => expect(await assigneeOf(admin, first)).toBe(agent.userId));
  });

  describe('reopened conversations', () => {
    it('are reassigned when the assignee went offline', async () => {
      const {
        admin,
        inbox,
        agents: [one, two],
      } = await setup(2, 'Reopen');
      const displayId = await newConversation(inbox);
      const original = await soon(async () => {
        const assignee = await assigneeOf(admin, displayId);
        expect(assignee).not.toBeNull();
        return assignee!;
      });
      const [gone, other] = original === one.userId ? [one, two] : [two, one];
      await toggleStatus(admin, admin, displayId, 'resolved');
      await setAvailability(admin, gone, 'offline');
      await toggleStatus(admin, admin, displayId, 'open');
      await soon(async () => expect(await assigneeOf(admin, displayId)).toBe(other.userId));

      const { rows } = await db().query(
        `SELECT e.actor_type FROM domain_events e JOIN conversations c ON c.id = e.conversation_id
          WHERE c.inbox_id = $1 AND c.display_id = $2 AND e.name = 'conversation_updated' ORDER BY e.id`,
        [inbox.id, displayId],
      );
      expect(rows.map((row) => row.actor_type)).toEqual(['system', 'system']);
    });

    it('wait unassigned when nobody else has room, and the backlog picks them up', async () => {
      const {
        admin,
        inbox,
        agents: [only],
      } = await setup(1, 'ReopenFull');
      const displayId = await newConversation(inbox);
      await soon(async () => expect(await assigneeOf(admin, displayId)).toBe(only.userId));
      await toggleStatus(admin, admin, displayId, 'resolved');
      await setAvailability(admin, only, 'offline');
      await toggleStatus(admin, admin, displayId, 'open');
      await soon(async () => expect(await assigneeOf(admin, displayId)).toBeNull());

      await goOnline(admin, only);
      await soon(async () => expect(await assigneeOf(admin, displayId)).toBe(only.userId));
    });

    it('keep their assignee with keep_assignee_on_reopen', async () => {
      const {
        admin,
        inbox,
        agents: [one, two],
      } = await setup(2, 'Keep');
      await setPolicy(admin, inbox, { keep_assignee_on_reopen: true });
      const control = await barrierInbox(admin);
      const displayId = await newConversation(inbox);
      const original = await soon(async () => {
        const assignee = await assigneeOf(admin, displayId);
        expect(assignee).not.toBeNull();
        return assignee!;
      });
      const gone = original === one.userId ? one : two;
      await toggleStatus(admin, admin, displayId, 'resolved');
      await setAvailability(admin, gone, 'offline');
      await toggleStatus(admin, admin, displayId, 'open');
      await barrier(admin, control.inbox, control.agent);
      expect(await assigneeOf(admin, displayId)).toBe(gone.userId);
    });
  });

  describe('team auto-assignment', () => {
    let admin: TestAccount;
    let inbox: TestInbox;
    let teamMember: Agent;
    let outsider: Agent;
    let offlineTeamMember: Agent;
    let notInInbox: Agent;
    let teamId: number;
    let control: { inbox: TestInbox; agent: Agent };

    beforeAll(async () => {
      ({
        admin,
        inbox,
        agents: [teamMember, outsider],
      } = await setup(2, 'Teams'));
      offlineTeamMember = await createAgent(server.http, admin);
      await addInboxMembers(server.http, admin, inbox.id, [offlineTeamMember.userId]);
      notInInbox = await createAgent(server.http, admin);
      await setAvailability(admin, notInInbox, 'online');
      control = await barrierInbox(admin);

      const team = await server.http
        .post(`${accountPath(admin)}/teams`)
        .set('api_access_token', admin.token)
        .send({ name: unique('Billing'), allow_auto_assign: true })
        .expect(201);
      teamId = team.body.id;
      await server.http
        .post(`${accountPath(admin)}/teams/${teamId}/team_members`)
        .set('api_access_token', admin.token)
        .send({ user_ids: [teamMember.userId, offlineTeamMember.userId, notInInbox.userId] })
        .expect((response) => expect(response.status).toBeLessThan(300));
    });

    it('gives a conversation assigned to the team to an online team member of the inbox', async () => {
      // Conversations waiting with auto-assignment off, then handed to the team one by one.
      await setPolicy(admin, inbox, { enable_auto_assignment: false });
      const conversations = [
        await newConversation(inbox),
        await newConversation(inbox),
        await newConversation(inbox),
      ];
      await barrier(admin, control.inbox, control.agent);
      await setPolicy(admin, inbox, { enable_auto_assignment: true });
      for (const displayId of conversations) {
        expect(await assigneeOf(admin, displayId)).toBeNull();
        await assign(admin, displayId, { team_id: teamId });
        // Round robin without the team would alternate with the outsider.
        await soon(async () => {
          const conversation = await getConversation(admin, displayId);
          expect({ team: conversation.team_id, assignee: conversation.assignee_id }).toEqual({
            team: teamId,
            assignee: teamMember.userId,
          });
        });
      }
    });

    it('leaves a team conversation waiting when no team member of the inbox is online', async () => {
      await setAvailability(admin, teamMember, 'offline');
      await setPolicy(admin, inbox, { enable_auto_assignment: false });
      const displayId = await newConversation(inbox);
      await barrier(admin, control.inbox, control.agent);
      await setPolicy(admin, inbox, { enable_auto_assignment: true });
      await assign(admin, displayId, { team_id: teamId });
      await barrier(admin, control.inbox, control.agent);
      expect(await getConversation(admin, displayId)).toMatchObject({
        team_id: teamId,
        assignee_id: null,
      });

      // The backlog of an agent outside the team skips it; a team member coming online takes it.
      await setAvailability(admin, outsider, 'offline');
      await goOnline(admin, outsider);
      await barrier(admin, control.inbox, control.agent);
      expect(await assigneeOf(admin, displayId)).toBeNull();
      await goOnline(admin, teamMember);
      await soon(async () => expect(await assigneeOf(admin, displayId)).toBe(teamMember.userId));
    });

    it('gives a conversation created with the team (Application API) to a team member', async () => {
      // Both agents are online again; without the team, round robin would alternate.
      for (let index = 0; index < 4; index++) {
        const contact = await createPublicContact(server.http, inbox, { name: unique('Contact') });
        const created = await server.http
          .post(`${accountPath(admin)}/conversations`)
          .set('api_access_token', admin.token)
          .send({ inbox_id: inbox.id, source_id: contact.sourceId, team_id: teamId })
          .expect(201);
        await soon(async () =>
          expect(await getConversation(admin, created.body.id)).toMatchObject({
            team_id: teamId,
            assignee_id: teamMember.userId,
          }),
        );
      }
    });

    it('moves a conversation given to the team from a non-member to a member', async () => {
      await setPolicy(admin, inbox, { enable_auto_assignment: false });
      const displayId = await newConversation(inbox);
      await assign(admin, displayId, { assignee_id: outsider.userId });
      await barrier(admin, control.inbox, control.agent);
      await setPolicy(admin, inbox, { enable_auto_assignment: true });
      await assign(admin, displayId, { team_id: teamId });
      await soon(async () =>
        expect(await getConversation(admin, displayId)).toMatchObject({
          team_id: teamId,
          assignee_id: teamMember.userId,
        }),
      );
    });
  });
});
