import { afterAll } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServer } from 'node:net';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { built } from './built.js';
import { assertTestDatabase } from './test-environment.mjs';

/**
 * A running Conversa app, reached over real HTTP. `startServer` runs it inside the spec file's
 * jest process; `startServerProcess` (server-process.ts) in a process of its own, for the tests
 * about processes.
 */
export interface TestServer {
  url: string;
  http: TestAgent;
  /** Closes the app (drains requests, closes queues and pools); calling it again does nothing. */
  stop(): Promise<unknown>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** How to stop each server and process this spec file started (each does nothing once stopped). */
const started: (() => Promise<unknown>)[] = [];

/**
 * Has `stop` called at the end of the spec file, so that a failing test or hook never leaves an
 * app or a process running (which would keep jest waiting). `stop` must be idempotent.
 */
export function stopAtEndOfFile(stop: () => Promise<unknown>): void {
  started.push(stop);
}

// Registered once per spec file (jest gives each file its own module registry), after the
// file's own afterAll hooks; it only has work when one of them did not run or failed.
afterAll(async () => {
  await Promise.all(started.splice(0).map((stop) => stop().catch(() => undefined)));
});

/** A server started in this jest process: its Nest application is at hand too. */
export interface InProcessServer extends TestServer {
  app: NestFastifyApplication;
}

/**
 * Starts the app, built exactly as `npm start` builds it (createApp from src/app.factory.ts), in
 * this jest process, on a free port, with the test run's environment (database, Redis prefix)
 * plus `env`. Each app has its own configuration: two apps of one file may differ.
 * Prepares the database as main.ts does (an isolated spec database is created and migrated).
 */
export async function startServer(env: Record<string, string> = {}): Promise<InProcessServer> {
  const raw: Record<string, string | undefined> = { ...process.env, PORT: '0', ...env };
  if (raw.FAULT_INJECTION || raw.PROCESS_ROLE === 'worker') {
    throw new Error(
      'FAULT_INJECTION kills the process and a worker has no HTTP: use startServerProcess',
    );
  }
  assertTestDatabase(raw.DATABASE_URL!);
  const [{ createApp }, { validateEnvironment }, { prepareDatabase }] = await Promise.all([
    built<typeof import('../../src/app.factory.js')>('app.factory.js'),
    built<typeof import('../../src/config/index.js')>('config/index.js'),
    built<typeof import('../../src/database/index.js')>('database/index.js'),
  ]);
  const config = validateEnvironment(raw);
  await prepareDatabase(config.DATABASE_URL);

  // Logs are dropped (TEST_SERVER_LOGS=stderr shows them); the specs that assert on what the
  // server prints run it as a process.
  const showLogs = process.env.TEST_SERVER_LOGS === 'stderr';
  const app = await createApp(config, {
    logDestination: { write: (line: string) => void (showLogs && process.stderr.write(line)) },
  });
  let closed: Promise<void> | undefined;
  const stop = () => (closed ??= app.close());
  stopAtEndOfFile(stop);
  try {
    await app.listen({ port: config.PORT, host: config.HOST });
    const address = app.getHttpServer().address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    // As the process helper does: ready means healthy (Redis and the database answer).
    const deadline = Date.now() + 30_000;
    while ((await fetch(`${url}/health`)).status !== 200) {
      if (Date.now() > deadline) throw new Error(`${url}/health did not answer 200 in 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { url, http: request(url), stop, app };
  } catch (error) {
    await stop();
    throw error;
  }
}
