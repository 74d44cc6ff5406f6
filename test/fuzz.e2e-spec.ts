import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomInt } from 'node:crypto';
import { Fixture } from './support/api-fixture.mjs';
import { testDatabase } from './support/database.js';
import { errorInLog, formatReport, runFuzz } from './support/fuzz.mjs';
import { loadOperations, OpenApiDocument, Operation } from './support/openapi-walk.mjs';
import { ServerProcess, startServerProcess } from './support/server-process.js';
import { expectProblem } from './support/problems.js';
import { isolate, Isolation } from './support/webhooks.js';

/**
 * The short run of the OpenAPI fuzz suite (test/support/fuzz.mjs): every operation of the
 * served document, FUZZ_RUNS generated requests in all (the same share each), bounded by
 * FUZZ_TIME_LIMIT_MS. The seed is printed; FUZZ_SEED, FUZZ_OP and FUZZ_PATH replay one request
 * (as does `npm run fuzz -- --seed S --op 'O' --path P`). The long run is `npm run fuzz`.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1020);
const TIME_LIMIT_MS = Number(process.env.FUZZ_TIME_LIMIT_MS ?? 50_000);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : randomInt(2 ** 31);

describe('OpenAPI fuzz (short run)', () => {
  let isolation: Isolation;
  let server: ServerProcess;
  let fixture: Fixture;
  let doc: OpenApiDocument;
  let operations: Operation[];

  beforeAll(async () => {
    // A database of its own: the fingerprint covers every table, so no other spec may write there.
    isolation = await isolate('fuzz');
    // PROCESS_ROLE=api: no delivery worker writing in the background between two fingerprints.
    // Nothing delivers then, so /health would fail once a delivery waited WEBHOOK_MAX_DELAY_MS.
    // A process of its own: its log says why a 5xx happened, and a crash cannot take jest down.
    server = await startServerProcess({
      PROCESS_ROLE: 'api',
      WEBHOOK_MAX_DELAY_MS: String(7 * 24 * 3600_000),
      LOG_LEVEL: 'error',
    });
    fixture = await Fixture.create(server.url, testDatabase());
    ({ doc, operations } = await loadOperations(server.url));
  });

  afterAll(async () => {
    await server?.stop();
    await isolation?.release();
  });

  // Two classes the fuzz found: Fastify's router answered these with its own JSON, not problems.
  it('answers URLs the router refuses as problems', async () => {
    const token = fixture.adminToken;
    const malformed = await server.http
      .get('/api/v1/profile/access_tokens/%FF')
      .set('api_access_token', token);
    expect(expectProblem(malformed, 400, 'malformed_url').detail).toContain('UTF-8');
    const long = await server.http
      .get(`/api/v1/accounts/${fixture.accountId}/inboxes/${'9'.repeat(1100)}`)
      .set('api_access_token', token);
    expectProblem(long, 414, 'uri_too_long');
  });

  it(
    'answers every generated request below 500, with a problem on every 4xx that changed nothing',
    async () => {
      console.log(
        `fuzz: seed ${SEED}, ${RUNS} requests over ${operations.length} operations, at most ${TIME_LIMIT_MS} ms`,
      );
      const report = await runFuzz({
        baseUrl: server.url,
        db: testDatabase(),
        doc,
        operations,
        fixture,
        runs: RUNS,
        seed: SEED,
        only: process.env.FUZZ_OP,
        path: process.env.FUZZ_PATH,
        timeLimitMs: TIME_LIMIT_MS,
        errorFor: async (requestId) => {
          // The log line may arrive just after the answer.
          for (let attempt = 0; attempt < 20; attempt++) {
            const error = errorInLog(server.output(), requestId);
            if (error) return error;
            await new Promise((resolve) => setTimeout(resolve, 25));
          }
          return undefined;
        },
        log: () => undefined,
        replayCommand: (operation, run) =>
          `npm run fuzz -- --seed ${SEED} --op '${operation}' --path ${run}`,
      });
      console.log(formatReport(report));

      if (!process.env.FUZZ_OP) expect(report.operationsMissed).toEqual([]);
      expect(
        report.failures.map(
          (failure) =>
            `${failure.key}\n  ${failure.example.replay}\n  ${failure.example.request}\n  -> ${failure.example.status ?? ''} ${failure.example.answer ?? failure.example.error ?? ''}`,
        ),
      ).toEqual([]);
    },
    TIME_LIMIT_MS + 120_000,
  );
});
