import { defineProject, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.js';

// the smoke runs start real daemons and charm-sim models: one file at a time
export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: '@charms/bench',
      include: ['**/*.test.ts'],
      exclude: ['**/work/**', '**/node_modules/**'],
      fileParallelism: false,
    },
  }),
);
