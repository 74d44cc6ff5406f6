/**
 * A module of the built app (`built<typeof import('../../src/x/index.js')>('x/index.js')`) or a
 * package it uses (`built<typeof import('@nestjs/cqrs')>('@nestjs/cqrs')`), loaded outside jest's
 * sandbox by the test environment (test/support/app-environment.mjs), typed by its source.
 * The app's classes (commands, errors) must come from here, not from src/: a command class
 * loaded separately would be another class, unknown to the app's command bus.
 */
export function built<T>(path: string): Promise<T> {
  const host = (globalThis as { conversaHost?: { loadBuilt(path: string): Promise<unknown> } })
    .conversaHost;
  if (!host) {
    throw new Error(
      'The app is loaded by the jest environment test/support/app-environment.mjs: run this spec in the e2e or handler project',
    );
  }
  return host.loadBuilt(path) as Promise<T>;
}
