/**
 * Three tiers, each saying what it touches:
 * - unit: specs beside the code (src/**\/*.spec.ts), no database;
 * - handler: command handlers, stores and the write path against the real PostgreSQL (and
 *   Redis): through the Nest application context without HTTP (test/handlers/), or beside the
 *   code (src/**\/*.handler-spec.ts);
 * - e2e: the app over real HTTP against the real PostgreSQL and Redis (test/*.e2e-spec.ts); in
 *   jest's process, or as a process of its own where the test is about processes.
 */
const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  // tsconfig.json has isolatedModules: ts-jest only transpiles (`npm run typecheck` checks types).
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
};

// Loads the built app once per jest worker, outside jest's sandbox (see the file).
const loadsTheApp = { testEnvironment: '<rootDir>/test/support/app-environment.mjs' };

export default {
  globalSetup: './test/support/global-setup.mjs',
  globalTeardown: './test/support/global-teardown.mjs',
  // Most of a spec's time is spent waiting (on PostgreSQL, Redis, retries and receivers), so
  // more files than cores run at once. TEST_WORKERS overrides it.
  maxWorkers: Number(process.env.TEST_WORKERS ?? 4),
  // Generous for hooks that start servers on a loaded 2-core machine; no test asserts on time.
  testTimeout: 120_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...shared,
      ...loadsTheApp,
      displayName: 'handler',
      testMatch: [
        '<rootDir>/test/handlers/**/*.handler-spec.ts',
        '<rootDir>/src/**/*.handler-spec.ts',
      ],
    },
    {
      ...shared,
      ...loadsTheApp,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
  ],
};
