import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // scripts/test.sh runs e2e/chaos in a vitest of its own beside this one (`--project` filters)
    projects: ['packages/*', 'apps/*', 'e2e/*', 'bench'],
    // One file at a time (vitest's own default on 2 cores): test:all runs the chaos suite beside it, and
    // the simulator suites keep their failover timing (down-after 1 s) away from each other's load.
    maxWorkers: 1,
  },
});
