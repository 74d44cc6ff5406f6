import type { INestApplicationContext } from '@nestjs/common';
import type { CommandBus } from '@nestjs/cqrs';
import { built } from './built.js';
import { stopAtEndOfFile } from './server.js';
import { assertTestDatabase } from './test-environment.mjs';

export interface TestAppContext {
  app: INestApplicationContext;
  commands: CommandBus;
  stop(): Promise<void>;
}

/**
 * The application without HTTP, for the handler tier: its command bus, stores and the run's
 * real database, in this jest process. PROCESS_ROLE=api by default, so no webhook worker runs
 * in the background of a handler test. Logs are dropped unless TEST_SERVER_LOGS=stderr.
 */
export async function startAppContext(env: Record<string, string> = {}): Promise<TestAppContext> {
  const [{ createAppContext }, { validateEnvironment }, { prepareDatabase }, { CommandBus }] =
    await Promise.all([
      built<typeof import('../../src/app.factory.js')>('app.factory.js'),
      built<typeof import('../../src/config/index.js')>('config/index.js'),
      built<typeof import('../../src/database/index.js')>('database/index.js'),
      // The app's own copy of @nestjs/cqrs, whose CommandBus class is the app's provider token.
      built<typeof import('@nestjs/cqrs')>('@nestjs/cqrs'),
    ]);
  const config = validateEnvironment({ ...process.env, PROCESS_ROLE: 'api', ...env });
  assertTestDatabase(config.DATABASE_URL);
  await prepareDatabase(config.DATABASE_URL);
  const showLogs = process.env.TEST_SERVER_LOGS === 'stderr';
  const app = await createAppContext(config, {
    logDestination: { write: (line: string) => void (showLogs && process.stderr.write(line)) },
  });
  await app.init();
  let closed: Promise<void> | undefined;
  const stop = () => (closed ??= app.close());
  stopAtEndOfFile(stop);
  return { app, commands: app.get(CommandBus), stop };
}
