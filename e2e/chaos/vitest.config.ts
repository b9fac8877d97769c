import { defineProject, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// One file: one shared 3+3 model runs every scenario in turn (scripts/test.sh runs it beside the rest).
export default mergeConfig(shared, defineProject({ test: { name: '@charms/chaos-e2e' } }));
