import { defineConfig } from 'vitest/config';

// One Temporal/Postgres environment per test file (see test/helpers): files run in separate
// forked processes, hooks get long timeouts because a workflow bundle or a server start can be slow
// on a two-core machine.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    reporters: ['default'],
  },
});
