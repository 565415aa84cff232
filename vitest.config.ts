import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/global.ts'],
    // Renders are slow-ish (real helm); a test file renders once in beforeAll and asserts many times.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Two cores: files in parallel, helm renders inside a file are bounded by the harness.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
