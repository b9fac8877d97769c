import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // e2e/chaos is not here: even its short version (about 6 minutes alone, far more beside the rest)
    // takes CI past its 30-minute budget on 2 cores; run it with `CHAOS_MODE=short npm run chaos`
    projects: ['packages/*', 'apps/*', 'bench'],
  },
});
