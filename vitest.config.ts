import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: network and browser tests share them, so keep parallelism modest.
    maxWorkers: 2,
    pool: 'forks',
  },
});
