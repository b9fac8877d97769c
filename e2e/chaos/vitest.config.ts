import { defineProject, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// One file: one shared 3+3 model runs every scenario in turn. It runs beside the other projects' files
// (the root sequencer starts it first), not in the sequential group after them.
export default mergeConfig(shared, defineProject({ test: { name: '@charms/chaos-e2e' } }));
