import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { closeTestDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { createAccount, TestAccount } from './support/factories.js';
import { expectInvalidFields, expectProblem } from './support/problems.js';
import { deleteRedisKeys } from './support/redis.js';
import { startServerProcess } from './support/server-process.js';
import type { ServerProcess } from './support/server-process.js';
import { startServer, TestServer } from './support/server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BODY_LIMIT = 2048;

afterAll(async () => {
  await closeTestDatabase();
});

/** The main server of this file: a small body limit, and request logs at info level. */
describe('errors, request ids, health, OpenAPI and logs', () => {
  let server: ServerProcess;
  let admin: TestAccount;

  beforeAll(async () => {
    server = await startServerProcess({ BODY_LIMIT_BYTES: String(BODY_LIMIT), LOG_LEVEL: 'info' });
    admin = await createAccount('Errors Co');
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('problem+json for errors raised before a handler runs', () => {
    it('answers 404 route_not_found for an unknown route, 405 for a wrong method', async () => {
      const problem = expectProblem(await server.http.get('/nope?x=1'), 404, 'route_not_found');
      expect(problem.detail).toContain('GET /nope');
      expect(problem.instance).toBe('/nope');
      expectProblem(await server.http.post('/api/v1/nothing').send({}), 404, 'route_not_found');
      expectProblem(
        await server.http
          .get(`/api/v1/accounts/${admin.accountId}/unknown_things`)
          .set('api_access_token', admin.token),
        404,
        'route_not_found',
      );
      // A known path with a method it does not have: 405, naming the methods it has.
      const wrongMethod = await server.http
        .delete('/api/v1/profile')
        .set('api_access_token', admin.token);
      expectProblem(wrongMethod, 405, 'method_not_allowed');
      expect(wrongMethod.headers.allow).toBe('GET, HEAD, PUT, PATCH');
    });

    it('answers 400 malformed_json for a body that is not JSON', async () => {
      const broken = await server.http
        .post('/auth/sign_in')
        .set('content-type', 'application/json')
        .send('{"email":');
      expectProblem(broken, 400, 'malformed_json');
      const authenticated = await server.http
        .post('/api/v1/profile/access_tokens')
        .set('api_access_token', admin.token)
        .set('content-type', 'application/json')
        .send("{'name': 'single quotes'}");
      expectProblem(authenticated, 400, 'malformed_json');
    });

    it('answers 415 unsupported_media_type for a body that is neither JSON nor a form', async () => {
      const text = await server.http
        .post('/auth/sign_in')
        .set('content-type', 'text/plain')
        .send('email=a@b.test');
      expectProblem(text, 415, 'unsupported_media_type');
      const xml = await server.http
        .post('/api/v1/profile/access_tokens')
        .set('api_access_token', admin.token)
        .set('content-type', 'application/xml')
        .send('<name>xml</name>');
      expectProblem(xml, 415, 'unsupported_media_type');
    });

    it('answers 413 payload_too_large for a body over BODY_LIMIT_BYTES, and accepts one under it', async () => {
      const tooLarge = await server.http
        .post('/auth/sign_in')
        .send({ email: 'a@b.test', password: 'x'.repeat(3_000) });
      const problem = expectProblem(tooLarge, 413, 'payload_too_large');
      expect(problem.detail).toContain(String(BODY_LIMIT));

      const large = await server.http
        .post('/api/v1/profile/access_tokens')
        .set('api_access_token', admin.token)
        .send({ name: 'n'.repeat(BODY_LIMIT) });
      expectProblem(large, 413, 'payload_too_large');

      // Under the limit the body is parsed and reaches validation.
      const underLimit = JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(1_900) });
      expect(Buffer.byteLength(underLimit)).toBeLessThan(BODY_LIMIT);
      expectInvalidFields(
        await server.http
          .post('/auth/sign_in')
          .set('content-type', 'application/json')
          .send(underLimit),
        ['password'],
      );
    });

    it('answers 422 naming every unknown field', async () => {
      const signIn = await server.http
        .post('/auth/sign_in')
        .send({ email: admin.email, password: admin.password, remember: true, otp: '123456' });
      const problem = expectInvalidFields(signIn, ['remember', 'otp']);
      for (const error of problem.errors!)
        expect(error.messages).toEqual(['is not a known field; remove it']);

      const team = await server.http
        .post(`/api/v1/accounts/${admin.accountId}/teams`)
        .set('api_access_token', admin.token)
        .send({ name: 'Colourful', colour: 'red' });
      expectInvalidFields(team, ['colour']);
    });
  });

  describe('request ids', () => {
    it('gives every response an x-request-id', async () => {
      const responses = [
        await server.http.get('/health'),
        await server.http.get('/api/v1/profile').set('api_access_token', admin.token),
        await server.http.get('/api/v1/profile'),
        await server.http.get('/nope'),
        await server.http.post('/auth/sign_in').set('content-type', 'application/json').send('{'),
        await server.http.post('/auth/sign_in').set('content-type', 'text/plain').send('x'),
        await server.http.post('/auth/sign_in').send({ password: 'x'.repeat(3_000) }),
        await server.http.post('/auth/sign_in').send({}),
        await server.http.get('/docs-json'),
      ];
      expect(responses.map((response) => response.status)).toEqual([
        200, 200, 401, 404, 400, 415, 413, 422, 200,
      ]);
      const ids = responses.map((response) => response.headers['x-request-id']);
      for (const id of ids) expect(id).toMatch(UUID);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('echoes a valid incoming x-request-id in the header and in problems', async () => {
      const ok = await server.http
        .get('/api/v1/profile')
        .set('api_access_token', admin.token)
        .set('x-request-id', 'trace-abc.123:xyz_1')
        .expect(200);
      expect(ok.headers['x-request-id']).toBe('trace-abc.123:xyz_1');

      const problem = expectProblem(
        await server.http.get('/api/v1/profile').set('x-request-id', 'upstream-42'),
        401,
        'missing_credentials',
      );
      expect(problem.request_id).toBe('upstream-42');
      const notFound = expectProblem(
        await server.http.get('/nope').set('x-request-id', 'upstream-43'),
        404,
        'route_not_found',
      );
      expect(notFound.request_id).toBe('upstream-43');
    });

    it('replaces an unusable incoming x-request-id with a new one', async () => {
      for (const incoming of ['has spaces', 'a'.repeat(129), '<script>', 'semi;colon']) {
        const response = await server.http.get('/health').set('x-request-id', incoming).expect(200);
        expect(response.headers['x-request-id']).toMatch(UUID);
      }
    });
  });

  describe('GET /health', () => {
    it('answers 200 with PostgreSQL and Redis up, without a credential', async () => {
      const response = await server.http.get('/health').expect(200);
      expect(response.body).toMatchObject({
        status: 'ok',
        info: { database: { status: 'up' }, redis: { status: 'up' } },
        error: {},
      });
    });
  });

  describe('OpenAPI', () => {
    type Operation = {
      operationId?: string;
      parameters?: { name: string; in: string; required?: boolean }[];
      requestBody?: { content: Record<string, { schema: unknown }> };
      responses: Record<
        string,
        { description: string; content?: Record<string, { schema: { $ref?: string } }> }
      >;
      security?: Record<string, string[]>[];
    };
    let document: {
      openapi: string;
      info: { title: string; version: string };
      paths: Record<string, Record<string, Operation>>;
      components: {
        schemas: Record<string, { required?: string[]; properties?: Record<string, unknown> }>;
        securitySchemes: Record<string, unknown>;
      };
    };

    const PROFILE = '/api/v1/profile';
    const ACCOUNT = '/api/v1/accounts/{account_id}';
    /**
     * Every route of the accounts module, with the problem statuses it must document (403 on
     * every authenticated route: an agent bot's token reaches only the routes a bot needs).
     */
    const EXPECTED: [string, string, number[]][] = [
      ['post', '/auth/sign_in', [400, 401, 413, 415, 422, 429]],
      ['get', PROFILE, [401, 403, 429]],
      ['patch', PROFILE, [400, 401, 403, 409, 413, 415, 422, 429]],
      ['put', PROFILE, [400, 401, 403, 409, 413, 415, 422, 429]],
      ['post', `${PROFILE}/availability`, [400, 401, 403, 404, 413, 415, 422, 429]],
      ['post', `${PROFILE}/auto_offline`, [400, 401, 403, 404, 413, 415, 422, 429]],
      ['put', '/auth/password', [400, 413, 415, 422, 429]],
      ['get', ACCOUNT, [401, 403, 404, 429]],
      ['patch', ACCOUNT, [400, 401, 403, 404, 413, 415, 422, 429]],
      ['get', `${PROFILE}/access_tokens`, [401, 403, 429]],
      ['post', `${PROFILE}/access_tokens`, [400, 401, 403, 413, 415, 422, 429]],
      ['delete', `${PROFILE}/access_tokens/{id}`, [400, 401, 403, 404, 429]],
      ['get', `${ACCOUNT}/agents`, [401, 403, 404, 429]],
      ['post', `${ACCOUNT}/agents`, [400, 401, 403, 404, 409, 413, 415, 422, 429]],
      ['patch', `${ACCOUNT}/agents/{id}`, [400, 401, 403, 404, 409, 413, 415, 422, 429]],
      ['delete', `${ACCOUNT}/agents/{id}`, [400, 401, 403, 404, 409, 429]],
      ['post', `${ACCOUNT}/agents/{id}/password_setup`, [400, 401, 403, 404, 409, 422, 429]],
      ['get', `${ACCOUNT}/teams`, [401, 403, 404, 429]],
      ['post', `${ACCOUNT}/teams`, [400, 401, 403, 404, 409, 413, 415, 422, 429]],
      ['get', `${ACCOUNT}/teams/{id}`, [400, 401, 403, 404, 429]],
      ['patch', `${ACCOUNT}/teams/{id}`, [400, 401, 403, 404, 409, 413, 415, 422, 429]],
      ['delete', `${ACCOUNT}/teams/{id}`, [400, 401, 403, 404, 429]],
      ['get', `${ACCOUNT}/teams/{id}/team_members`, [400, 401, 403, 404, 429]],
      // Every create also documents 409 (its Idempotency-Key still in flight) and 422 (reused).
      ['post', `${ACCOUNT}/teams/{id}/team_members`, [400, 401, 403, 404, 409, 413, 415, 422, 429]],
      ['patch', `${ACCOUNT}/teams/{id}/team_members`, [400, 401, 403, 404, 413, 415, 422, 429]],
      ['delete', `${ACCOUNT}/teams/{id}/team_members`, [400, 401, 403, 404, 413, 415, 422, 429]],
    ];
    const ROUTES = EXPECTED.map(([method, path, problems]) => ({ method, path, problems }));

    beforeAll(async () => {
      const response = await server.http.get('/docs-json').expect(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      document = response.body;
    });

    it('is an OpenAPI 3 document whose references all resolve', () => {
      expect(document.openapi).toMatch(/^3\.\d+\.\d+$/);
      expect(document.info).toMatchObject({ title: 'Conversa API', version: expect.any(String) });
      expect(document.components.securitySchemes).toMatchObject({
        api_access_token: { type: 'apiKey', in: 'header', name: 'api_access_token' },
        bearer: { type: 'http', scheme: 'bearer' },
      });

      const refs: string[] = [];
      const walk = (node: unknown) => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (node && typeof node === 'object') {
          for (const [key, value] of Object.entries(node)) {
            if (key === '$ref' && typeof value === 'string') refs.push(value);
            else walk(value);
          }
        }
      };
      walk(document);
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of new Set(refs)) {
        expect(ref).toMatch(/^#\//);
        const target = ref
          .slice(2)
          .split('/')
          .reduce<unknown>(
            (node, key) => (node as Record<string, unknown> | undefined)?.[key],
            document,
          );
        expect({ ref, resolved: target !== undefined }).toEqual({ ref, resolved: true });
      }

      const operationIds: string[] = [];
      for (const [path, item] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(item)) {
          expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
          for (const response of Object.values(operation.responses))
            expect(typeof response.description).toBe('string');
          if (operation.operationId) operationIds.push(operation.operationId);
          // Every {parameter} of the path template is declared as a required path parameter.
          for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
            expect({
              method,
              path,
              parameter: operation.parameters?.find((p) => p.name === name && p.in === 'path'),
            }).toEqual({
              method,
              path,
              parameter: expect.objectContaining({ required: true }),
            });
          }
        }
      }
      expect(new Set(operationIds).size).toBe(operationIds.length);

      const problem = document.components.schemas.ProblemDetails;
      expect(problem.required).toEqual(
        expect.arrayContaining(['type', 'title', 'status', 'detail', 'code']),
      );
      expect(Object.keys(problem.properties!)).toEqual(
        expect.arrayContaining(['errors', 'request_id', 'instance']),
      );
    });

    it.each(ROUTES)(
      'documents $method $path with its problem responses',
      ({ method, path, problems }) => {
        const operation = document.paths[path]?.[method];
        expect({ method, path, documented: operation !== undefined }).toEqual({
          method,
          path,
          documented: true,
        });

        const documented = Object.keys(operation.responses).map(Number);
        expect(documented.filter((status) => status >= 400).sort()).toEqual([...problems].sort());
        expect(documented.some((status) => status >= 200 && status < 300)).toBe(true);
        for (const status of problems) {
          expect(operation.responses[status].content?.['application/problem+json']?.schema).toEqual(
            {
              $ref: '#/components/schemas/ProblemDetails',
            },
          );
        }

        if (path.startsWith('/auth/')) {
          expect(operation.security).toBeUndefined();
        } else {
          expect(operation.security).toEqual(
            expect.arrayContaining([{ api_access_token: [] }, { bearer: [] }]),
          );
        }
        // Every write takes a body, except the actions that need none (password_setup).
        if (problems.includes(413)) {
          expect(operation.requestBody?.content['application/json']?.schema).toBeDefined();
        }
      },
    );

    it('serves the interactive docs at /docs', async () => {
      const response = await server.http.get('/docs').redirects(1).expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
    });
  });

  describe('logs', () => {
    it('logs each request as JSON with its request id, and never a password or a token', async () => {
      const password = admin.password;
      const wrongPassword = `Wrong-${randomBytes(6).toString('hex')}`;
      const newPassword = `New-${randomBytes(6).toString('hex')}`;
      const unknownToken = `cvs_${randomBytes(32).toString('base64url')}`;
      const run = randomBytes(4).toString('hex');

      const signIn = await server.http
        .post('/auth/sign_in')
        .set('x-request-id', `log-${run}-1`)
        .send({ email: admin.email, password })
        .expect(200);
      const token: string = signIn.body.access_token;
      await server.http
        .post('/auth/sign_in')
        .set('x-request-id', `log-${run}-2`)
        .send({ email: admin.email, password: wrongPassword })
        .expect(401);
      await server.http
        .get('/api/v1/profile')
        .set('x-request-id', `log-${run}-3`)
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      await server.http
        .get('/api/v1/profile')
        .set('x-request-id', `log-${run}-4`)
        .set('api_access_token', token)
        .expect(200);
      await server.http
        .get('/api/v1/profile')
        .set('x-request-id', `log-${run}-5`)
        .set('api_access_token', unknownToken)
        .expect(401);
      await server.http
        .patch('/api/v1/profile')
        .set('x-request-id', `log-${run}-6`)
        .set('api_access_token', token)
        .send({ password: newPassword, current_password: wrongPassword })
        .expect(422);
      await server.http
        .post('/auth/sign_in')
        .set('x-request-id', `log-${run}-7`)
        .set('content-type', 'application/json')
        .send(`{"email": "${admin.email}", "password": "${password}"`)
        .expect(400);

      const expected = [200, 401, 200, 200, 401, 422, 400];
      const lines = await eventually(() => {
        const logged = new Map<
          string,
          {
            level: number;
            msg: string;
            req: { id: string; url: string };
            res: { statusCode: number };
          }
        >();
        for (const line of server.output().split('\n')) {
          if (!line.startsWith('{')) continue;
          const entry = JSON.parse(line);
          if (typeof entry.req?.id === 'string' && entry.req.id.startsWith(`log-${run}-`))
            logged.set(entry.req.id, entry);
        }
        expect([...logged.keys()].sort()).toEqual(
          expected.map((_, index) => `log-${run}-${index + 1}`),
        );
        return logged;
      });
      expected.forEach((status, index) => {
        const entry = lines.get(`log-${run}-${index + 1}`)!;
        expect(entry).toMatchObject({ msg: 'request completed', res: { statusCode: status } });
        expect(entry.level).toBe(status >= 400 ? 40 : 30);
      });

      const output = server.output();
      for (const secret of [
        password,
        wrongPassword,
        newPassword,
        token,
        unknownToken,
        admin.token,
      ]) {
        expect({ secret, logged: output.includes(secret) }).toEqual({ secret, logged: false });
      }
      expect(output).not.toMatch(/cvs_[A-Za-z0-9_-]{20}/);
    });
  });
});

/** A second server with tiny limits and its own Redis prefix, so no other server shares its counters. */
describe('rate limiting', () => {
  const prefix = `${process.env.REDIS_PREFIX}_rate`;
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({
      RATE_LIMIT_PER_CREDENTIAL: '5',
      RATE_LIMIT_PER_IP: '3',
      RATE_LIMIT_WINDOW_MS: '60000',
      REDIS_PREFIX: prefix,
    });
  });
  afterAll(async () => {
    await server?.stop();
    await deleteRedisKeys(prefix);
  });

  function expectRateLimited(response: Parameters<typeof expectProblem>[0]) {
    expectProblem(response, 429, 'rate_limited');
    const retryAfter = Number(response.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  }

  it('answers the 6th request of a credential, on any route, with 429 and Retry-After', async () => {
    const account = await createAccount('Busy');
    const routes = [
      '/api/v1/profile',
      '/api/v1/profile/access_tokens',
      `/api/v1/accounts/${account.accountId}/agents`,
      `/api/v1/accounts/${account.accountId}/teams`,
      '/api/v1/profile',
    ];
    for (const route of routes) {
      const response = await server.http.get(route).set('api_access_token', account.token);
      expect({ route, status: response.status }).toEqual({ route, status: 200 });
    }
    expectRateLimited(
      await server.http.get('/api/v1/profile').set('api_access_token', account.token),
    );
    expectRateLimited(
      await server.http
        .get(`/api/v1/accounts/${account.accountId}/teams`)
        .set('Authorization', `Bearer ${account.token}`),
    );
  });

  it('does not limit a different token', async () => {
    const other = await createAccount('Calm');
    const response = await server.http
      .get('/api/v1/profile')
      .set('api_access_token', other.token)
      .expect(200);
    expect(response.body.id).toBe(other.userId);
  });

  it('limits a rejected token too', async () => {
    const unknown = `cvs_${randomBytes(32).toString('base64url')}`;
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expectProblem(
        await server.http.get('/api/v1/profile').set('api_access_token', unknown),
        401,
        'invalid_token',
      );
    }
    expectRateLimited(await server.http.get('/api/v1/profile').set('api_access_token', unknown));
  });

  it('limits anonymous requests per IP, across routes, without touching authenticated ones', async () => {
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const response = await server.http
        .post('/auth/sign_in')
        .send({ email: 'nobody@example.test', password: 'wrong password' });
      expectProblem(response, 401, 'invalid_credentials');
    }
    expectRateLimited(
      await server.http.post('/auth/sign_in').send({ email: 'nobody@example.test', password: 'x' }),
    );
    expectRateLimited(await server.http.get('/api/v1/profile'));

    const account = await createAccount('Unaffected');
    await server.http.get('/api/v1/profile').set('api_access_token', account.token).expect(200);
    // /health is never limited.
    await server.http.get('/health').expect(200);
  });
});
