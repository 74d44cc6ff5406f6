import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { api, Fixture } from './support/api-fixture.mjs';
import type { ApiAnswer } from './support/api-fixture.mjs';
import {
  chatwootOperations,
  conversaRoutes,
  notesProblems,
  readCommittedTable,
  readNotes,
  renderCoverage,
} from './support/chatwoot-coverage.mjs';
import type {
  ChatwootOperation,
  CoverageNotes,
  DocumentOperation,
} from './support/chatwoot-coverage.mjs';
import { ChatwootSchemas, contractRequest, railsForm } from './support/chatwoot-contract.js';
import type { IdFor } from './support/chatwoot-contract.js';
import { testDatabase } from './support/database.js';
import { pathParameterKind, UnmappedParameterError } from './support/openapi-walk.mjs';
import type { OpenApiDocument } from './support/openapi-walk.mjs';
import { startServer } from './support/server.js';
import type { TestServer } from './support/server.js';
import { isolate } from './support/webhooks.js';
import type { Isolation } from './support/webhooks.js';

/** Reads first, then writes, then deletions: a deletion must not take a row a later call needs. */
const ORDER = { get: 0, post: 1, put: 1, patch: 1, delete: 2 };
const OPERATIONS = chatwootOperations().sort((a, b) => ORDER[a.method] - ORDER[b.method]);

type Encoding = 'json' | 'form';
/** Each operation as JSON, and those with a request body once more as a form, right after. */
const CASES = OPERATIONS.flatMap((entry) => [
  [entry.id, entry, 'json'] as const,
  ...(entry.operation.requestBody?.content?.['application/json']
    ? [[`${entry.id} (form)`, entry, 'form'] as const]
    : []),
]);

/**
 * The contract with clients written against Chatwoot: for every operation of Chatwoot's
 * Application, Client and Platform documents (test/contract/chatwoot/), the request a client
 * generated from those documents sends (every documented query parameter and body property, ids
 * of real rows) is sent to Conversa, with the authentication Chatwoot documents; a request with a
 * body is sent once more as an application/x-www-form-urlencoded form with Rails' bracket keys. For an operation
 * Conversa routes (same method and path in /docs-json, parameter names and a trailing slash
 * aside), the answer must be a success whose body fits Chatwoot's documented response schema
 * (every documented property present; see ChatwootSchemas), unless
 * docs/chatwoot-coverage.notes.json names the problem it gets today (then exactly that problem,
 * so the note cannot outlive the gap). Never 404, 405, 415 or 5xx. An operation Conversa does
 * not route must answer 404, as the coverage table says. The table itself
 * (docs/chatwoot-coverage.md) must be what `npm run coverage:chatwoot` renders from these routes.
 */
describe('Chatwoot API contract', () => {
  let isolation: Isolation;
  let server: TestServer;
  let fixture: Fixture;
  let doc: OpenApiDocument;
  let routes: Map<string, DocumentOperation>;
  let notes: CoverageNotes;
  const schemas = new ChatwootSchemas();
  /** Rows the fixture does not make: a second contact (contact merge takes one away). */
  const extra: Record<string, number | string> = {};
  const ids: IdFor = (kind) => extra[kind] ?? fixture.value(kind);

  beforeAll(async () => {
    // A database of its own: the requests change the fixture's rows.
    isolation = await isolate('chatwoot_contract');
    server = await startServer({ PROCESS_ROLE: 'api' });
    fixture = await Fixture.create(server.url, testDatabase(), 'Contract');
    const { rows } = await testDatabase().query('SELECT hmac_token FROM inboxes WHERE id = $1', [
      fixture.value('inbox'),
    ]);
    extra.inboxHmacToken = rows[0].hmac_token;
    const response = await fetch(`${server.url}/docs-json`);
    doc = (await response.json()) as OpenApiDocument;
    routes = conversaRoutes(doc);
    notes = readNotes();
  });

  afterAll(async () => {
    await server?.stop();
    await isolation?.release();
  });

  it('has notes that name Chatwoot operations, and a coverage table that is current', () => {
    expect(notesProblems(notes, doc)).toEqual([]);
    // On failure: npm run coverage:chatwoot, and commit docs/chatwoot-coverage.md.
    expect(readCommittedTable()).toBe(renderCoverage(doc, notes));
  });

  /** A fresh second contact: a contact merge takes the one before away. */
  async function newOtherContact(): Promise<void> {
    const other = await api(
      server.url,
      'post',
      `/public/api/v1/inboxes/${fixture.value('inboxIdentifier')}/contacts`,
      { body: { name: 'Other Contact' } },
    );
    extra.otherContact = other.body.id;
  }

  /** The path's values, positionally from Conversa's parameter names (Chatwoot's differ). */
  function pathValues(entry: ChatwootOperation, conversa?: DocumentOperation): (string | number)[] {
    const path = conversa?.path ?? entry.path;
    return [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => {
      try {
        return ids(pathParameterKind(path, name));
      } catch (error) {
        // A route Conversa does not have: any value gives the 404 under test.
        if (!conversa && error instanceof UnmappedParameterError) return 1;
        throw error;
      }
    });
  }

  /**
   * Sends the contract request of `entry` as JSON, or as a Rails-style form (Rails reads both
   * for every route, and clients built on form encoders send that).
   */
  async function send(entry: ChatwootOperation, encoding: Encoding, conversa?: DocumentOperation) {
    const request = contractRequest(entry, pathValues(entry, conversa), ids);
    const token = request.authenticated ? fixture.adminToken : undefined;
    if (encoding === 'json') {
      const answer = await api(server.url, request.method, request.url, {
        token,
        body: request.body,
      });
      return {
        answer,
        sent: `${request.method.toUpperCase()} ${request.url} ${JSON.stringify(request.body ?? '')}`,
      };
    }
    const form = railsForm(request.body ?? {}).toString();
    const response = await fetch(`${server.url}${request.url}`, {
      method: request.method.toUpperCase(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(token ? { api_access_token: token } : {}),
      },
      body: form,
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: checked as such
    }
    const answer: ApiAnswer = {
      status: response.status,
      body,
      headers: Object.fromEntries(response.headers),
    };
    return { answer, sent: `${request.method.toUpperCase()} ${request.url} (form) ${form}` };
  }

  function describeAnswer(answer: ApiAnswer): string {
    return `${answer.status} ${JSON.stringify(answer.body)?.slice(0, 600)}`;
  }

  it.each(CASES)('%s', async (_, entry, encoding) => {
    const conversa = routes.get(entry.key);
    if (entry.method !== 'get') await newOtherContact();
    const { answer, sent } = await send(entry, encoding, conversa);
    if (entry.method !== 'get') await fixture.repair();
    if (!conversa) {
      // Not in /docs-json: it must not be served either (an undocumented route is a bug).
      expect([answer.status, answer.body?.code]).toEqual(
        answer.status === 405 ? [405, 'method_not_allowed'] : [404, 'route_not_found'],
      );
      return;
    }
    const note = notes.operations[entry.id];
    const known = (encoding === 'form' ? note?.form : undefined) ?? note?.contract;
    const stale = `remove its "${encoding === 'form' && note?.form ? 'form' : 'contract'}" note from docs/chatwoot-coverage.notes.json and run npm run coverage:chatwoot`;
    const problems: string[] = [];
    if ([404, 405, 415].includes(answer.status) || answer.status >= 500) {
      problems.push(`routed, but answers ${describeAnswer(answer)}`);
    } else if (answer.status >= 300) {
      if (answer.status !== known?.status || answer.body?.code !== known?.code)
        problems.push(
          `answers ${describeAnswer(answer)}; a client following Chatwoot's documents expects a success`,
        );
    } else if (known?.status) {
      problems.push(`answers ${answer.status} now: ${stale}`);
    } else {
      const isJson = String(answer.headers['content-type'] ?? '').startsWith('application/json');
      const mismatches = schemas.mismatches(entry, answer.status, isJson ? answer.body : null);
      if (known?.mismatches && mismatches.length === 0)
        problems.push(`answer fits Chatwoot's schema now: ${stale}`);
      else if (known?.mismatches && sameLines(known.mismatches, mismatches)) return;
      else
        problems.push(
          ...mismatches.map((wrong) => `answer does not fit Chatwoot's schema: ${wrong}`),
        );
    }
    // The request goes with the problems, so that a failure can be replayed by hand.
    expect(problems.length ? [...problems, `request: ${sent}`] : []).toEqual([]);
  });
});

function sameLines(a: string[], b: string[]): boolean {
  return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
}
