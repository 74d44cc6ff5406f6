/**
 * Module boundaries: a module under src/ may use another module only through its index.ts
 * (events, commands, queries, response types), never its entities, handlers or services.
 */
module.exports = {
  forbidden: [
    {
      name: 'module-internals',
      severity: 'error',
      comment: 'Import another module only through its index.ts (its public surface).',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/[^/]+/', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'app-uses-module-internals',
      severity: 'error',
      comment: 'Top-level files (app module, entry points) also use modules only through index.ts.',
      from: { path: '^src/[^/]+\\.ts$' },
      to: {
        path: '^src/[^/]+/',
        pathNot: ['^src/[^/]+/index\\.ts$', '^src/extensions/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'no-circular-modules',
      severity: 'error',
      comment: 'Modules must not depend on each other in a cycle.',
      from: { path: '^src/([^/]+)/' },
      to: { circular: true, path: '^src/', pathNot: '^src/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
