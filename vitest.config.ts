import { defineConfig } from 'vitest/config';

// Unit tests need nothing running. Tests under test/registry, test/sandbox, test/image (builders) and
// test/e2e use real services that test/sandbox/global-setup.ts starts once per run.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/sandbox/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
