import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // e2e/chaos is run by `npm run chaos`, not by test:all: its scenarios were not yet run to completion and
    // the primary kill-pod scenario fails on a known redis-k8s defect (a restarted primary wipes its replicas)
    projects: ['packages/*', 'apps/*', 'bench'],
  },
});
