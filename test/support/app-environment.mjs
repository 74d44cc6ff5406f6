import { TestEnvironment } from 'jest-environment-node';

const DIST = new URL('../../dist/src/', import.meta.url);

/**
 * Loads a module of the built app (`x/index.js`: dist/src/x/index.js, what `npm start` runs;
 * `npm test` builds first), or a package the app uses (`@nestjs/cqrs`), with Node's own loader. A test environment runs outside jest's sandbox, so this happens once per
 * jest worker: loaded through jest's module registry instead, the whole graph (Nest, TypeORM,
 * Fastify, ...) would be loaded and linked again for every spec file, which costs more CPU than
 * starting a server process. The app thus runs as in production, with Node's own globals.
 */
async function loadBuilt(specifier) {
  await import('reflect-metadata'); // as main.ts does first
  return import(specifier.endsWith('.js') ? new URL(specifier, DIST).href : specifier);
}

/** jest's node environment, plus `conversaHost.loadBuilt` for test/support/built.ts. */
export default class AppEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.conversaHost = { loadBuilt };
  }
}
