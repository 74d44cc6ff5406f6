import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { api, ApiAnswer, Fixture } from './support/api-fixture.mjs';
import { testDatabase } from './support/database.js';
import {
  ACCOUNT_ROUTE,
  BODY_ID_FIELDS,
  encodeComponent,
  exampleBody,
  fillPath,
  loadOperations,
  OpenApiDocument,
  Operation,
  pathParameterKind,
} from './support/openapi-walk.mjs';
import { startServer, TestServer } from './support/server.js';
import { changedTables, settle, stateFingerprint } from './support/state-fingerprint.mjs';
import { isolate, Isolation } from './support/webhooks.js';

/** An id no row has (and a valid 32-bit id, so it reaches the lookup). */
const NOWHERE = 2_147_483_000;

type IdFor = (kind: string) => number | string;

interface Call {
  token: string;
  ids: IdFor;
  /** Which side the body's id fields take their values from. */
  bodyIds: IdFor;
}

interface Variant {
  name: string;
  foreign: Call;
  missing: Call;
  /** B's account in the path: README says 404, whatever the route. */
  mustBe404: boolean;
  /** One of B's ids is in the path: the call names B's row, so it must be refused. */
  inPath: boolean;
}

/**
 * Every Application API route of an account (`/api/v1/accounts/{account_id}/...`, read from
 * /docs-json, so a new route is covered without an edit) is called with account A's
 * administrator token and account B's ids:
 *   - B's account_id (and B's other ids): 404, for A's agent too;
 *   - A's account_id with one of B's resource ids in the path, or one of B's ids in a body field
 *     (inbox_id, contact_id, team_id, user_ids, ...): answered exactly as the same call with an
 *     id that exists nowhere (same status and code), never with a success.
 * Nothing stored may change, B's data or anyone else's. A path parameter the mapping in
 * test/support/openapi-walk.mjs does not know fails the suite, so a new kind of route forces an
 * update there.
 */
describe('cross-account access, generated from the OpenAPI document', () => {
  let isolation: Isolation;
  let server: TestServer;
  let a: Fixture;
  let b: Fixture;
  let doc: OpenApiDocument;
  let routes: Operation[];

  beforeAll(async () => {
    // A database of its own: the fingerprint covers every table.
    isolation = await isolate('cross_account');
    server = await startServer({ PROCESS_ROLE: 'api' });
    const db = testDatabase();
    a = await Fixture.create(server.url, db, 'A');
    b = await Fixture.create(server.url, db, 'B');
    // Conversation numbers count per account: take B's past A's, so B's number names nothing in A.
    await b.createConversation();
    await b.createConversation();
    const loaded = await loadOperations(server.url);
    doc = loaded.doc;
    routes = loaded.operations.filter((operation) => ACCOUNT_ROUTE.test(operation.path));
  });

  afterAll(async () => {
    await server?.stop();
    await isolation?.release();
  });

  it('maps every path parameter of every account route to a fixture row', () => {
    expect(routes.length).toBeGreaterThan(0);
    // Throws UnmappedParameterError, naming the route and where to add the mapping.
    for (const route of routes) {
      for (const parameter of route.parameters.path) pathParameterKind(route.path, parameter.name);
    }
  });

  function variantsOf(route: Operation): Variant[] {
    const own: IdFor = (kind) => a.value(kind);
    const theirs: IdFor = (kind) => b.value(kind);
    const nowhere: IdFor = () => NOWHERE;
    const admin = a.adminToken;
    // Both of A's roles: an agent must get the same 404 (not a 403 that says the route exists).
    const variants: Variant[] = [admin, a.agentToken].map((token) => ({
      name: `B's account, A's ${token === admin ? 'administrator' : 'agent'}`,
      foreign: { token, ids: theirs, bodyIds: theirs },
      missing: { token, ids: nowhere, bodyIds: nowhere },
      mustBe404: true,
      inPath: true,
    }));
    for (const parameter of route.parameters.path) {
      const kind = pathParameterKind(route.path, parameter.name);
      if (kind === 'account') continue;
      const only =
        (other: IdFor): IdFor =>
        (asked) =>
          asked === kind ? other(asked) : own(asked);
      variants.push({
        name: `A's account, B's {${parameter.name}}`,
        foreign: { token: admin, ids: only(theirs), bodyIds: own },
        missing: { token: admin, ids: only(nowhere), bodyIds: own },
        mustBe404: false,
        inPath: true,
      });
    }
    const ownBody = route.body ? (exampleBody(doc, route.body, own) as object) : undefined;
    for (const field of Object.keys(ownBody ?? {}).filter((key) => BODY_ID_FIELDS[key])) {
      const kind = BODY_ID_FIELDS[field].kind;
      const only =
        (other: IdFor): IdFor =>
        (asked) =>
          asked === kind ? other(asked) : own(asked);
      variants.push({
        name: `A's ids, B's ${field} in the body`,
        foreign: { token: admin, ids: own, bodyIds: only(theirs) },
        missing: { token: admin, ids: own, bodyIds: only(nowhere) },
        mustBe404: false,
        // A removal of users who are not members, say, may succeed as a no-op; it must then
        // answer as for ids that exist nowhere, and change nothing.
        inPath: false,
      });
    }
    return variants;
  }

  function send(route: Operation, call: Call): Promise<ApiAnswer> {
    const segments: Record<string, string> = {};
    for (const parameter of route.parameters.path) {
      segments[parameter.name] = encodeComponent(
        String(call.ids(pathParameterKind(route.path, parameter.name))),
      );
    }
    const body = route.body ? exampleBody(doc, route.body, call.bodyIds) : undefined;
    return api(server.url, route.method, fillPath(route.path, segments), {
      token: call.token,
      body,
    });
  }

  it("answers A's credential on B's ids as on ids that exist nowhere, and changes nothing", async () => {
    const fingerprint = await stateFingerprint(testDatabase());
    // The fixtures' own background work (outbox dispatch, rules) must not count as a change.
    expect((await settle(testDatabase(), fingerprint)).settled).toBe(true);
    const violations: string[] = [];
    const answers = new Map<string, number>();
    let calls = 0;
    for (const route of routes) {
      for (const variant of variantsOf(route)) {
        const before = await fingerprint.take();
        const foreign = await send(route, variant.foreign);
        const missing = await send(route, variant.missing);
        calls += 2;
        const changed = changedTables(before, await fingerprint.take());
        const code = (answer: ApiAnswer) => `${answer.status} ${answer.body?.code ?? ''}`.trim();
        const where = `${route.id} (${variant.name})`;
        answers.set(code(foreign), (answers.get(code(foreign)) ?? 0) + 1);
        if (foreign.status >= 500) violations.push(`${where}: answered ${code(foreign)}`);
        else if (variant.mustBe404 && foreign.status !== 404)
          violations.push(`${where}: answered ${code(foreign)}, not 404`);
        else if (variant.inPath && foreign.status < 400)
          violations.push(`${where}: answered ${code(foreign)}`);
        else if (variant.inPath && foreign.body?.code === 'validation_failed')
          // The call never reached the lookup, so it proves nothing: teach exampleBody (in
          // test/support/openapi-walk.mjs) a valid body for this route.
          violations.push(`${where}: the example body is invalid: ${foreign.body.detail}`);
        else if (code(foreign) !== code(missing))
          violations.push(
            `${where}: B's ids answer ${code(foreign)}, ids that exist nowhere ${code(missing)}`,
          );
        if (changed.length > 0) violations.push(`${where}: changed ${changed.join(', ')}`);
      }
    }
    console.log(
      `cross-account: ${routes.length} account routes, ${calls} calls; answers to B's ids: ` +
        JSON.stringify(Object.fromEntries(answers)),
    );
    expect(violations).toEqual([]);
  });
});
