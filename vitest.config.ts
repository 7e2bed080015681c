import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: the browser and the child-process tests are heavy; two workers at most.
    maxWorkers: 2,
    pool: 'forks',
  },
});
