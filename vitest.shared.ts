import { defineConfig } from 'vitest/config';

/** Settings every project's vitest config merges: tests run against sources, never dist. */
export default defineConfig({
  resolve: { conditions: ['@charms/source'] },
  ssr: { resolve: { conditions: ['@charms/source'] } },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    passWithNoTests: true,
    hookTimeout: 60_000,
  },
});
