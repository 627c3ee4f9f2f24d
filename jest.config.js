import { availableParallelism } from 'node:os';

// Jest runs in native ESM mode: Nest 12 packages are ES modules, and Jest can only
// require() ES modules on Node 24.9+, while these machines run Node 20.
const base = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
};

export default {
  testTimeout: 30000,
  // At least two workers, also on a 2-core machine, where Jest's default (cores - 1) is one: most suites
  // wait on HTTP, child processes, browsers and the disk more than they compute, and with one worker a
  // core sat idle for most of the run (Node 20, 2 cores: about 13 minutes in one worker, under 8 in two).
  maxWorkers: Math.max(2, availableParallelism() - 1),
  projects: [
    // Everything, with the HTTP suites on the embedded SQLite store.
    { ...base, displayName: 'sqlite', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'] },
    // The same HTTP suites, unchanged, on the EventStoreDB adapter against the fake EventStoreDB server.
    {
      ...base,
      displayName: 'eventstoredb-fake',
      testMatch: ['<rootDir>/test/http/**/*.spec.ts'],
      setupFiles: ['<rootDir>/test/support/use-fake-eventstoredb.ts'],
    },
  ],
};
