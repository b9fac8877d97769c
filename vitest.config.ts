import { defineConfig } from 'vitest/config';
import LongFirstSequencer from './vitest.sequencer.js';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'e2e/*', 'bench'],
    // Two files at a time: most of a file's time is spent waiting on daemons and hooks (other processes),
    // so two workers on 2 cores keep the cores busy. The timing-sensitive projects (charm-sentinel, bench)
    // keep fileParallelism off: vitest runs them one by one after the rest.
    maxWorkers: 2,
    sequence: { sequencer: LongFirstSequencer },
  },
});
