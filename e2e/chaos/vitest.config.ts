import { defineProject, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// One shared 3+3 model runs every scenario in turn: one file, nothing in parallel.
export default mergeConfig(shared, defineProject({ test: { name: '@charms/chaos-e2e', fileParallelism: false } }));
