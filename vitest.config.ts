import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // A page's figures arrive a fetch or an SSE event later; on a loaded CI machine that can
    // take more than expect.poll's default second. A poll still fails on a wrong value.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 120_000,
    // Two cores: the browser and the child-process tests are heavy; two workers at most.
    maxWorkers: 2,
    pool: 'forks',
  },
});
