import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: integration tests start real worker processes, so keep file parallelism modest.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
