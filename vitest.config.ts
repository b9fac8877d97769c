import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // e2e/chaos runs its short version here (one iteration of each scenario); `npm run chaos` is the full run
    projects: ['packages/*', 'apps/*', 'bench', 'e2e/*'],
  },
});
