import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { closeTestDatabase } from './support/database.js';
import {
  accountPath,
  createInbox,
  createPublicContact,
  publicPath,
  seedConversation,
  unique,
} from './support/api-channel.js';
import { createAccount, TestAccount } from './support/factories.js';
import { expectInvalidFields, expectProblem } from './support/problems.js';
import { startServer, TestServer } from './support/server.js';

afterAll(async () => {
  await closeTestDatabase();
});

/** Requests as Chatwoot's clients send them: trailing slashes, no body, form bodies. */
describe('transport as Chatwoot clients send it', () => {
  let server: TestServer;
  let admin: TestAccount;

  beforeAll(async () => {
    server = await startServer();
    admin = await createAccount('Transport Co');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('routes a path with a trailing slash like the path without one', async () => {
    const created = await server.http
      .post(`${accountPath(admin)}/inboxes/`)
      .set('api_access_token', admin.token)
      .send({ name: unique('Slash'), channel: { type: 'api' } });
    expect(created.status).toBe(201);
    const listed = await server.http
      .get(`${accountPath(admin)}/inboxes/`)
      .set('api_access_token', admin.token)
      .expect(200);
    expect(listed.body.payload.map((inbox: { id: number }) => inbox.id)).toContain(created.body.id);
    await server.http.get('/api/v1/profile/').set('api_access_token', admin.token).expect(200);
    // Unknown paths stay 404 and wrong methods 405, with or without the slash.
    expectProblem(await server.http.get('/api/v1/nothing/'), 404, 'route_not_found');
    const wrongMethod = await server.http
      .delete(`${accountPath(admin)}/inboxes/`)
      .set('api_access_token', admin.token);
    expectProblem(wrongMethod, 405, 'method_not_allowed');
    // The documentation is still served.
    await server.http.get('/docs-json').expect(200);
    const docs = await server.http.get('/docs/');
    expect(docs.status).toBe(200);
  });

  it('reads a POST with no body and no content type as an empty object (Client API conversation)', async () => {
    const inbox = await createInbox(server.http, admin);
    const contact = await createPublicContact(server.http, inbox);
    const path = `${publicPath(inbox.identifier)}/contacts/${encodeURIComponent(contact.sourceId)}/conversations`;
    const bare = await server.http.post(path);
    expect(bare.status).toBe(201);
    const emptyJson = await server.http.post(path).set('content-type', 'application/json').send('');
    expect(emptyJson.status).toBe(201);
    const emptyForm = await server.http.post(path).type('form').send('');
    expect(emptyForm.status).toBe(201);
    // A body sent without a content type is read as JSON.
    const untyped = await server.http
      .post(`${publicPath(inbox.identifier)}/contacts`)
      .unset('content-type')
      .serialize((body) => JSON.stringify(body))
      .send({ name: 'No Type' });
    expect({ status: untyped.status, name: untyped.body.name }).toEqual({
      status: 201,
      name: 'No Type',
    });
    // Malformed JSON is still malformed.
    expectProblem(
      await server.http.post(path).set('content-type', 'application/json').send('{"a":'),
      400,
      'malformed_json',
    );
  });

  it('accepts form bodies with Rails-style keys, typed as JSON would be', async () => {
    const { inbox, conversationId } = await seedConversation(server.http, admin);
    const messages = `${accountPath(admin)}/conversations/${conversationId}/messages`;
    const note = await server.http
      .post(messages)
      .set('api_access_token', admin.token)
      .type('form')
      .send('content=From+a+form&private=true&content_attributes[kind]=note');
    expect({ status: note.status, body: note.body }).toMatchObject({
      status: 201,
      body: { content: 'From a form', private: true, content_attributes: { kind: 'note' } },
    });
    const labels = await server.http
      .post(`${accountPath(admin)}/conversations/${conversationId}/labels`)
      .set('api_access_token', admin.token)
      .type('form')
      .send('labels[]=billing&labels[]=vip');
    expect({ status: labels.status, payload: labels.body.payload }).toEqual({
      status: 200,
      payload: ['billing', 'vip'],
    });
    // Numbers: `inbox_id=5` is the number 5, and a nested object from bracket keys.
    const contact = await server.http
      .post(`${accountPath(admin)}/contacts`)
      .set('api_access_token', admin.token)
      .type('form')
      .send(`inbox_id=${inbox.id}&name=Form+Contact&custom_attributes[plan]=gold`);
    expect({ status: contact.status, body: contact.body }).toMatchObject({
      status: 201,
      body: { payload: { contact: { name: 'Form Contact', custom_attributes: { plan: 'gold' } } } },
    });
    // Values that are not what the field takes get the same 422 as in JSON.
    expectInvalidFields(
      await server.http
        .post(messages)
        .set('api_access_token', admin.token)
        .type('form')
        .send('content=x&private=maybe'),
      ['private'],
    );
    expectInvalidFields(
      await server.http
        .post(`${accountPath(admin)}/contacts`)
        .set('api_access_token', admin.token)
        .type('form')
        .send('inbox_id=five&name=x'),
      ['inbox_id'],
    );
    // Unknown fields, nested ones included, are named as in JSON.
    expectInvalidFields(
      await server.http
        .post(messages)
        .set('api_access_token', admin.token)
        .type('form')
        .send('content=x&surprise=1'),
      ['surprise'],
    );
  });

  it('keeps the JSON limits for form bodies: depth, width, NUL', async () => {
    const path = `${accountPath(admin)}/contacts`;
    const deep = `a${'[b]'.repeat(40)}=1`;
    expectProblem(
      await server.http.post(path).set('api_access_token', admin.token).type('form').send(deep),
      400,
      'json_too_deep',
    );
    const wide = Array.from({ length: 10_001 }, (_, index) => `k${index}=1`).join('&');
    expectProblem(
      await server.http.post(path).set('api_access_token', admin.token).type('form').send(wide),
      400,
      'json_too_complex',
    );
    expectProblem(
      await server.http
        .post(path)
        .set('api_access_token', admin.token)
        .type('form')
        .send('name=a%00b'),
      400,
      'invalid_characters',
    );
    // Keys of Object.prototype never reach an object.
    expectInvalidFields(
      await server.http
        .post(path)
        .set('api_access_token', admin.token)
        .type('form')
        .send('__proto__[role]=administrator&name=Proto&nope=1'),
      ['nope'],
    );
  });

  it('still answers 415 for a body type Conversa does not read', async () => {
    expectProblem(
      await server.http
        .post(`${accountPath(admin)}/contacts`)
        .set('api_access_token', admin.token)
        .set('content-type', 'text/plain')
        .send('name=x'),
      415,
      'unsupported_media_type',
    );
  });
});

/** Chatwoot's request wrappers (`params.require(:agent)`) and the unknown-field policy. */
describe('request wrappers and unknown fields', () => {
  let strict: TestServer;
  let lenient: TestServer;
  let admin: TestAccount;
  const as = (server: TestServer, method: 'post' | 'patch' | 'put', path: string) =>
    server.http[method](path).set('api_access_token', admin.token);

  beforeAll(async () => {
    strict = await startServer();
    lenient = await startServer({ UNKNOWN_FIELDS: 'ignore' });
    admin = await createAccount('Wrapper Co');
  });
  afterAll(async () => {
    await strict?.stop();
    await lenient?.stop();
  });

  it('unwraps { agent }, { team }, { webhook } and { profile }, merged with flat fields', async () => {
    const agent = await as(strict, 'post', `${accountPath(admin)}/agents`).send({
      agent: {
        name: 'Wrapped Agent',
        email: `${unique('wrapped')}@example.test`,
        role: 'agent',
      },
      password: 'correct horse battery',
    });
    expect({ status: agent.status, body: agent.body }).toMatchObject({
      status: 201,
      body: { name: 'Wrapped Agent', role: 'agent' },
    });
    const promoted = await as(strict, 'patch', `${accountPath(admin)}/agents/${agent.body.id}`)
      .type('form')
      .send('agent[role]=administrator');
    expect({ status: promoted.status, role: promoted.body.role }).toEqual({
      status: 200,
      role: 'administrator',
    });

    const team = await as(strict, 'post', `${accountPath(admin)}/teams`).send({
      team: { name: unique('Wrapped team'), allow_auto_assign: false },
    });
    expect({ status: team.status, allow: team.body.allow_auto_assign }).toEqual({
      status: 201,
      allow: false,
    });

    const webhook = await as(strict, 'post', `${accountPath(admin)}/webhooks`).send({
      webhook: { url: 'http://93.184.216.34/hook', subscriptions: ['message_created'] },
    });
    expect({ status: webhook.status, url: webhook.body.payload?.webhook?.url }).toEqual({
      status: 201,
      url: 'http://93.184.216.34/hook',
    });

    // A field sent both ways takes the wrapped value.
    const profile = await as(strict, 'patch', '/api/v1/profile').send({
      display_name: 'Flat',
      profile: { display_name: 'Wrapped' },
    });
    expect({ status: profile.status, name: profile.body.display_name }).toEqual({
      status: 200,
      name: 'Wrapped',
    });
    // Unknown fields inside a wrapper are named as if sent flat.
    expectInvalidFields(
      await as(strict, 'patch', '/api/v1/profile').send({ profile: { shoe_size: 44 } }),
      ['shoe_size'],
    );
    // A wrapper that is not an object is an unknown field like any other.
    expectInvalidFields(await as(strict, 'patch', '/api/v1/profile').send({ profile: 'x' }), [
      'profile',
    ]);
  });

  it('documents the wrappers and form bodies in the OpenAPI document', async () => {
    const doc = (await strict.http.get('/docs-json').expect(200)).body;
    const create = doc.paths['/api/v1/accounts/{account_id}/agents'].post;
    expect(create['x-body-wrapper']).toBe('agent');
    expect(create.requestBody.description).toContain('"agent"');
    expect(Object.keys(create.requestBody.content)).toEqual([
      'application/json',
      'application/x-www-form-urlencoded',
    ]);
    expect(doc.info.description).toContain('UNKNOWN_FIELDS=ignore');
  });

  it('rejects unknown fields by default, naming them; never sends the ignored-fields header', async () => {
    const response = await as(strict, 'patch', '/api/v1/profile').send({
      display_name: 'Strict',
      shoe_size: 44,
    });
    expectInvalidFields(response, ['shoe_size']);
    expect(response.headers['conversa-ignored-fields']).toBeUndefined();
  });

  it('with UNKNOWN_FIELDS=ignore, drops them (nested and in queries too) and names them in a header', async () => {
    const profile = await as(lenient, 'patch', '/api/v1/profile').send({
      display_name: 'Lenient',
      shoe_size: 44,
      profile: { favourite_colour: 'blue' },
    });
    expect({
      status: profile.status,
      name: profile.body.display_name,
      ignored: profile.headers['conversa-ignored-fields'],
    }).toEqual({ status: 200, name: 'Lenient', ignored: 'shoe_size, favourite_colour' });

    const inbox = await as(lenient, 'post', `${accountPath(admin)}/inboxes`).send({
      name: unique('Lenient'),
      channel: { type: 'api', shoe_size: 44 },
      favourite_colour: 'blue',
    });
    expect({ status: inbox.status, ignored: inbox.headers['conversa-ignored-fields'] }).toEqual({
      status: 201,
      ignored: 'favourite_colour, channel.shoe_size',
    });

    const list = await lenient.http
      .get(`${accountPath(admin)}/conversations`)
      .query({ status: 'open', utm_source: 'x' })
      .set('api_access_token', admin.token);
    expect({ status: list.status, ignored: list.headers['conversa-ignored-fields'] }).toEqual({
      status: 200,
      ignored: 'utm_source',
    });

    // Known fields with bad values are still refused, and the header still names the dropped.
    const bad = await as(lenient, 'patch', '/api/v1/profile').send({
      display_name: 7,
      shoe_size: 44,
    });
    expectInvalidFields(bad, ['display_name']);
    expect(bad.headers['conversa-ignored-fields']).toBe('shoe_size');

    // Nothing unknown: no header.
    const clean = await as(lenient, 'patch', '/api/v1/profile').send({ display_name: 'Clean' });
    expect(clean.headers['conversa-ignored-fields']).toBeUndefined();
  });
});
