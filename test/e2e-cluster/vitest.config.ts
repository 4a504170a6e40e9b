import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// The suite against a real cluster brings its own cluster and registry (ROLLGATE_E2E_*), so it runs without the
// sandbox's globalSetup, which needs Debian's docker-registry and is of no use on a CI runner with kind.
// npx vitest run --config test/e2e-cluster/vitest.config.ts
export default defineConfig({
  root: resolve(import.meta.dirname, '../..'),
  test: {
    include: ['test/e2e-cluster/**/*.test.ts'],
    // Builds, pulls and rollouts on a real cluster, one after the other.
    testTimeout: 600_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
