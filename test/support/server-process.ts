import { ChildProcess, spawn } from 'node:child_process';
import request from 'supertest';
import { freePort, stopAtEndOfFile } from './server.js';
import type { TestServer } from './server.js';
import { assertTestDatabase } from './test-environment.mjs';

const MAIN = new URL('../../dist/src/main.js', import.meta.url).pathname;

/**
 * A server in a process of its own: for the tests that are about processes (signals, crashes,
 * several workers, start-up failures, what the process prints). Everything else runs the app
 * in jest's process (see startServer), which is much cheaper.
 */
export interface ServerProcess extends TestServer {
  process: ChildProcess;
  /** Everything the server printed, for assertions on logs and for failure messages. */
  output(): string;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `node dist/src/main.js` with the test run's environment plus `env`. */
export function runMain(env: Record<string, string>, args: string[] = []): ChildProcess {
  return spawn(process.execPath, [MAIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Starts the built production server (exactly what `npm start` runs) against the run's test
 * database and Redis prefix, and waits until /health answers 200.
 */
export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  assertTestDatabase(process.env.DATABASE_URL!);
  const port = await freePort();
  const child = runMain({ PORT: String(port), ...env });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  stopAtEndOfFile(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    return exited;
  });
  const url = `http://127.0.0.1:${port}`;

  // Generous: on a loaded 2-core machine a start has been seen to take 30 s.
  const startTimeoutMs = Number(process.env.TEST_SERVER_START_TIMEOUT_MS ?? 90_000);
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}):\n${output}`);
    }
    try {
      const response = await fetch(`${url}/health`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become healthy in ${startTimeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url,
    http: request(url),
    process: child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
