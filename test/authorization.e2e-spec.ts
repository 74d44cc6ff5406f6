import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  accountPath,
  createInbox,
  createPublicContact,
  identityHash,
  publicPath,
  unique,
} from './support/api-channel.js';
import type { TestInbox } from './support/api-channel.js';
import { closeTestDatabase, testDatabase } from './support/database.js';
import { createAccount, createAgent, uniqueEmail } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { expectProblem } from './support/problems.js';
import { runCli } from './support/processes.js';
import { startServer, TestServer } from './support/server.js';

/** Issue 11, items 2 and 3: nobody reaches, through the API, what is not theirs. */
describe('authorization', () => {
  let server: TestServer;
  const db = () => testDatabase();

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
    await closeTestDatabase();
  });

  describe('identify without hijack (Client API, inbox without identity validation)', () => {
    let admin: TestAccount;
    let inbox: TestInbox;
    let victim: { id: number; sourceId: string; email: string; phone: string; identifier: string };
    let victimConversation: number;

    const contacts = () => `${publicPath(inbox.identifier)}/contacts`;
    const stored = async () =>
      (
        await db().query(
          `SELECT name, email, phone_number, identifier, custom_attributes, avatar_url, updated_at
             FROM contacts WHERE id = $1`,
          [victim.id],
        )
      ).rows[0];
    const updateEvents = async () =>
      (
        await db().query(
          `SELECT count(*)::int AS n FROM domain_events WHERE stream = $1 AND name = 'contact_updated'`,
          [`contact:${victim.id}`],
        )
      ).rows[0].n;

    beforeAll(async () => {
      admin = await createAccount('Shop');
      inbox = await createInbox(server.http, admin);
      expect(inbox.body).toMatchObject({ hmac_mandatory: false });
      const email = `${unique('victoria')}@example.test`;
      const phone = `+1415${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
      const identifier = unique('crm');
      const created = await createPublicContact(server.http, inbox, {
        identifier,
        name: 'Victoria',
        email,
        phone_number: phone,
        custom_attributes: { plan: 'gold', address: '1 Secret Lane' },
      });
      victim = { id: created.id, sourceId: created.sourceId, email, phone, identifier };
      const conversation = await server.http
        .post(`${contacts()}/${victim.sourceId}/conversations`)
        .send({})
        .expect(201);
      victimConversation = conversation.body.id;
      await server.http
        .post(`${contacts()}/${victim.sourceId}/conversations/${victimConversation}/messages`)
        .send({ content: 'My card ends in 4242' })
        .expect(201);
    });

    it('an email alone links a new source_id but shows none of the stored contact and changes nothing', async () => {
      const before = await stored();
      const events = await updateEvents();
      const bare = await server.http
        .post(contacts())
        .send({ email: victim.email.toUpperCase() })
        .expect(201);
      expect(bare.body).toEqual({
        id: victim.id,
        source_id: expect.any(String),
        pubsub_token: expect.any(String),
        name: null,
        email: victim.email,
        phone_number: null,
        identifier: null,
        custom_attributes: {},
      });
      expect(bare.body.source_id).not.toBe(victim.sourceId);

      // A second identify with other details: echoed back, never stored.
      const again = await server.http
        .post(contacts())
        .send({
          email: victim.email,
          name: 'Mallory',
          phone_number: '+14155550999',
          avatar_url: 'https://evil.example.test/a.png',
          custom_attributes: { plan: 'free' },
        })
        .expect(201);
      expect(again.body).toEqual({
        id: victim.id,
        source_id: expect.any(String),
        pubsub_token: expect.any(String),
        name: 'Mallory',
        email: victim.email,
        phone_number: '+14155550999',
        identifier: null,
        custom_attributes: { plan: 'free' },
      });
      expect(await stored()).toEqual(before);
      expect(await updateEvents()).toBe(events);

      const { rows } = await db().query(
        `SELECT source_id, hmac_verified, unverified_match FROM contact_inboxes
          WHERE contact_id = $1 ORDER BY id`,
        [victim.id],
      );
      expect(rows).toEqual([
        { source_id: victim.sourceId, hmac_verified: false, unverified_match: false },
        { source_id: bare.body.source_id, hmac_verified: false, unverified_match: true },
        { source_id: again.body.source_id, hmac_verified: false, unverified_match: true },
      ]);
    });

    it('a phone number alone does the same', async () => {
      const before = await stored();
      const response = await server.http
        .post(contacts())
        .send({ phone_number: victim.phone, name: 'Mallory' })
        .expect(201);
      expect(response.body).toEqual({
        id: victim.id,
        source_id: expect.any(String),
        pubsub_token: expect.any(String),
        name: 'Mallory',
        email: null,
        phone_number: victim.phone,
        identifier: null,
        custom_attributes: {},
      });
      expect(await stored()).toEqual(before);
    });

    it("an unknown identifier with the victim's email neither takes the contact nor plants the identifier", async () => {
      const before = await stored();
      const response = await server.http
        .post(contacts())
        .send({ identifier: unique('planted'), email: victim.email, name: 'Mallory' })
        .expect(201);
      expect(response.body.id).toBe(victim.id);
      expect(await stored()).toEqual(before);
    });

    describe('through the source_id such a match returned', () => {
      let sourceId: string;
      const base = () => `${contacts()}/${sourceId}`;

      beforeAll(async () => {
        const linked = await server.http.post(contacts()).send({ email: victim.email }).expect(201);
        sourceId = linked.body.source_id;
      });

      it('GET shows the ids only', async () => {
        const shown = await server.http.get(base()).expect(200);
        expect(shown.body).toEqual({
          id: victim.id,
          source_id: sourceId,
          pubsub_token: expect.any(String),
          name: null,
          email: null,
          phone_number: null,
          identifier: null,
          custom_attributes: {},
        });
      });

      it('PATCH and PUT are 403 contact_not_verified and change nothing', async () => {
        const before = await stored();
        for (const method of ['patch', 'put'] as const) {
          const problem = expectProblem(
            await server.http[method](base()).send({
              name: 'Mallory',
              phone_number: '+14155550998',
            }),
            403,
            'contact_not_verified',
          );
          expect(problem.detail).toContain('identifier_hash');
        }
        expect(await stored()).toEqual(before);
      });

      it("does not see the contact's other conversations, and its own show the contact by id only", async () => {
        const list = await server.http.get(`${base()}/conversations`).expect(200);
        expect(list.body).toEqual([]);
        await server.http.get(`${base()}/conversations/${victimConversation}`).expect(404);

        const opened = await server.http.post(`${base()}/conversations`).send({}).expect(201);
        expect(opened.body.contact).toEqual({ id: victim.id, type: 'contact' });
        const message = await server.http
          .post(`${base()}/conversations/${opened.body.id}/messages`)
          .send({ content: 'hello' })
          .expect(201);
        expect(message.body.sender).toEqual({ id: victim.id, type: 'contact' });
        const messages = await server.http
          .get(`${base()}/conversations/${opened.body.id}/messages`)
          .expect(200);
        expect(messages.body.map((entry: { sender: unknown }) => entry.sender)).toEqual([
          { id: victim.id, type: 'contact' },
        ]);
        const listed = await server.http.get(`${base()}/conversations`).expect(200);
        expect(listed.body).toHaveLength(1);
        expect(listed.body[0].contact).toEqual({ id: victim.id, type: 'contact' });
        expect(JSON.stringify(listed.body)).not.toContain(victim.phone);
        expect(JSON.stringify(listed.body)).not.toContain('Victoria');
      });

      it("the contact's own source_id still sees everything", async () => {
        const shown = await server.http.get(`${contacts()}/${victim.sourceId}`).expect(200);
        expect(shown.body).toMatchObject({
          name: 'Victoria',
          phone_number: victim.phone,
          identifier: victim.identifier,
          custom_attributes: { plan: 'gold' },
        });
      });

      it("a hash for another identifier does not lift the restriction; the contact's own does", async () => {
        const other = unique('someone');
        await server.http
          .post(contacts())
          .send({
            source_id: sourceId,
            identifier: other,
            identifier_hash: identityHash(inbox.hmacToken, other),
          })
          .expect(201);
        expect((await server.http.get(base()).expect(200)).body.name).toBeNull();

        const verified = await server.http
          .post(contacts())
          .send({
            source_id: sourceId,
            identifier: victim.identifier,
            identifier_hash: identityHash(inbox.hmacToken, victim.identifier),
          })
          .expect(201);
        expect(verified.body).toMatchObject({ id: victim.id, name: 'Victoria' });
        expect((await server.http.get(base()).expect(200)).body).toMatchObject({
          name: 'Victoria',
          phone_number: victim.phone,
        });
      });
    });

    it('a verified caller (valid identifier_hash) keeps the full behaviour', async () => {
      const response = await server.http
        .post(contacts())
        .send({
          identifier: victim.identifier,
          identifier_hash: identityHash(inbox.hmacToken, victim.identifier),
          name: 'Victoria V.',
        })
        .expect(201);
      expect(response.body).toMatchObject({
        id: victim.id,
        name: 'Victoria V.',
        email: victim.email,
        phone_number: victim.phone,
        custom_attributes: { plan: 'gold', address: '1 Secret Lane' },
      });
      expect((await stored()).name).toBe('Victoria V.');
    });

    it("a valid hash for another identifier does not vouch for the victim's email", async () => {
      const before = await stored();
      const mallory = unique('mallory');
      const response = await server.http
        .post(contacts())
        .send({
          identifier: mallory,
          identifier_hash: identityHash(inbox.hmacToken, mallory),
          email: victim.email,
          name: 'Mallory',
        })
        .expect(201);
      expect(response.body).toMatchObject({
        id: victim.id,
        name: 'Mallory',
        identifier: mallory,
        phone_number: null,
        custom_attributes: {},
      });
      expect(await stored()).toEqual(before);
      const shown = await server.http.get(`${contacts()}/${response.body.source_id}`).expect(200);
      expect(shown.body.name).toBeNull();
    });

    it('a valid hash claims a contact that has no identifier yet by its email (the integrator vouches)', async () => {
      const email = `${unique('walkin')}@example.test`;
      const walkIn = await server.http
        .post(`${accountPath(admin)}/contacts`)
        .set('api_access_token', admin.token)
        .send({ name: 'Walk-in', email })
        .expect(201);
      const identifier = unique('crm');
      const response = await server.http
        .post(contacts())
        .send({ identifier, identifier_hash: identityHash(inbox.hmacToken, identifier), email })
        .expect(201);
      expect(response.body).toMatchObject({
        id: walkIn.body.payload.contact.id,
        name: 'Walk-in',
        identifier,
      });
    });

    it('a new email still creates a new contact with everything sent', async () => {
      const email = `${unique('new')}@example.test`;
      const response = await server.http
        .post(contacts())
        .send({ email, name: 'Newcomer', custom_attributes: { a: 1 } })
        .expect(201);
      expect(response.body).toMatchObject({ name: 'Newcomer', email, custom_attributes: { a: 1 } });
      expect(response.body.id).not.toBe(victim.id);
      const shown = await server.http.get(`${contacts()}/${response.body.source_id}`).expect(200);
      expect(shown.body).toMatchObject({ name: 'Newcomer', email });
    });
  });

  describe('contact delete is for administrators', () => {
    it('an agent gets 403 administrator_required and the contact stays; an administrator deletes it', async () => {
      const admin = await createAccount('Deletes');
      const agent = await createAgent(server.http, admin);
      const created = await server.http
        .post(`${accountPath(admin)}/contacts`)
        .set('api_access_token', admin.token)
        .send({ name: 'Keep me' })
        .expect(201);
      const id = created.body.payload.contact.id;
      expectProblem(
        await server.http
          .delete(`${accountPath(admin)}/contacts/${id}`)
          .set('api_access_token', agent.token),
        403,
        'administrator_required',
      );
      const { rows } = await db().query(`SELECT count(*)::int AS n FROM contacts WHERE id = $1`, [
        id,
      ]);
      expect(rows[0].n).toBe(1);
      // Agents still create, read and update contacts, as in Chatwoot.
      await server.http
        .patch(`${accountPath(admin)}/contacts/${id}`)
        .set('api_access_token', agent.token)
        .send({ name: 'Renamed by agent' })
        .expect(200);
      await server.http
        .delete(`${accountPath(admin)}/contacts/${id}`)
        .set('api_access_token', admin.token)
        .expect(200);
      const after = await db().query(`SELECT count(*)::int AS n FROM contacts WHERE id = $1`, [id]);
      expect(after.rows[0].n).toBe(0);
    });
  });

  describe("an administrator changes account-level fields only, never another account's user's name", () => {
    let home: TestAccount;
    let other: TestAccount;
    const agents = (account: TestAccount) => `${accountPath(account)}/agents`;
    const patch = (account: TestAccount, userId: number, body: Record<string, unknown>) =>
      server.http
        .patch(`${agents(account)}/${userId}`)
        .set('api_access_token', account.token)
        .send(body);
    /** Invites an existing user to `account` by email; the user accepts. */
    const join = async (account: TestAccount, user: { email: string; token: string }) => {
      const invited = await server.http
        .post(agents(account))
        .set('api_access_token', account.token)
        .send({ name: 'Ignored', email: user.email, role: 'agent' })
        .expect(201);
      await server.http
        .post(`/api/v1/profile/invitations/${invited.body.id}/accept`)
        .set('api_access_token', user.token)
        .expect(200);
    };
    const userRow = async (userId: number) =>
      (
        await db().query(
          `SELECT u.name, u.display_name, u.email, u.created_by_account_id FROM users u WHERE u.id = $1`,
          [userId],
        )
      ).rows[0];
    const role = async (accountId: number, userId: number) =>
      (
        await db().query(`SELECT role FROM account_users WHERE account_id = $1 AND user_id = $2`, [
          accountId,
          userId,
        ])
      ).rows[0]?.role;

    beforeAll(async () => {
      home = await createAccount('Home');
      other = await createAccount('Other');
    });

    it('renames a user this account created who belongs to it alone', async () => {
      const agent = await createAgent(server.http, home);
      expect((await userRow(agent.userId)).created_by_account_id).toBe(home.accountId);
      const renamed = await patch(home, agent.userId, { name: 'Renamed' }).expect(200);
      expect(renamed.body).toMatchObject({ id: agent.userId, name: 'Renamed' });
    });

    it("refuses to rename another account's user it added, naming the field, and applies nothing", async () => {
      // The other account's administrator, invited here by email, accepts.
      await join(home, other);
      const before = await userRow(other.userId);
      const problem = expectProblem(
        await patch(home, other.userId, { name: 'Hijacked', role: 'administrator' }),
        403,
        'agent_profile_not_editable',
      );
      expect(problem.field).toBe('name');
      expect(problem.detail).toContain('/api/v1/profile');
      expect(await userRow(other.userId)).toEqual(before);
      expect(await role(home.accountId, other.userId)).toBe('agent');

      // null leaves the name as it is.
      await patch(home, other.userId, { name: null }).expect(200);
      expect(await userRow(other.userId)).toEqual(before);
      // Account-level fields are the administrator's to change; the unchanged name is accepted.
      const changed = await patch(home, other.userId, {
        name: before.name,
        role: 'administrator',
        availability_status: 'busy',
        auto_offline: false,
      }).expect(200);
      expect(changed.body).toMatchObject({
        name: before.name,
        role: 'administrator',
        availability_status: 'busy',
        auto_offline: false,
      });
      // Its own account sees the same name.
      const there = await server.http
        .get(agents(other))
        .set('api_access_token', other.token)
        .expect(200);
      expect(there.body).toContainEqual(
        expect.objectContaining({ id: other.userId, name: before.name }),
      );
    });

    it('refuses to rename its own user once another account shares them', async () => {
      const agent = await createAgent(server.http, home);
      await join(other, agent);
      const before = await userRow(agent.userId);
      expectProblem(
        await patch(home, agent.userId, { name: 'Renamed' }),
        403,
        'agent_profile_not_editable',
      );
      expectProblem(
        await patch(other, agent.userId, { name: 'Renamed' }),
        403,
        'agent_profile_not_editable',
      );
      expect(await userRow(agent.userId)).toEqual(before);
    });

    it('the CLI setup records the account as the creator of its first administrator', async () => {
      const email = uniqueEmail('cli');
      const result = await runCli([
        'setup',
        '--account',
        'Cli Co',
        '--name',
        'Cli',
        '--email',
        email,
      ]);
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      const accountId = Number(result.stdout.match(/\(account id (\d+)\)/)?.[1]);
      const { rows } = await db().query(
        `SELECT created_by_account_id FROM users WHERE email = $1`,
        [email],
      );
      expect(rows).toEqual([{ created_by_account_id: accountId }]);
    });

    it('a user no account created (made before this rule) keeps their name theirs: PATCH /profile changes it', async () => {
      expectProblem(
        await patch(other, other.userId, { name: 'Self via agents' }),
        403,
        'agent_profile_not_editable',
      );
      const profile = await server.http
        .patch('/api/v1/profile')
        .set('api_access_token', other.token)
        .send({ name: 'Self via profile' })
        .expect(200);
      expect(profile.body).toMatchObject({ name: 'Self via profile' });
    });
  });
});
