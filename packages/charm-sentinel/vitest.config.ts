import { defineProject, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// The pipeline and charm-sim tests each run real redis and sentinel: one file at a time keeps
// their timing (down-after 1 s) away from each other's load.
export default mergeConfig(shared, defineProject({ test: { name: '@charms/charm-sentinel', fileParallelism: false } }));
