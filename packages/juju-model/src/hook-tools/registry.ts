/** Every hook tool by name (reference section 2.2). */
import type { ToolDef } from './call.js';
import { actionTools } from './tools/action.js';
import { configTools } from './tools/config.js';
import { goalStateTools } from './tools/goal-state.js';
import { leaderTools } from './tools/leader.js';
import { logTools } from './tools/log.js';
import { networkTools } from './tools/network.js';
import { portTools } from './tools/ports.js';
import { relationReadTools } from './tools/relation-read.js';
import { relationSetTools } from './tools/relation-set.js';
import { resourceTools } from './tools/resource.js';
import { secretReadTools } from './tools/secret-read.js';
import { secretWriteTools } from './tools/secret-write.js';
import { stateTools } from './tools/state.js';
import { statusTools } from './tools/status.js';
import { storageTools } from './tools/storage.js';
import { unsupportedTools } from './tools/unsupported.js';

/** Tool name -> definition. */
export const tools: Record<string, ToolDef> = {
  ...actionTools,
  ...configTools,
  ...goalStateTools,
  ...leaderTools,
  ...logTools,
  ...networkTools,
  ...portTools,
  ...relationReadTools,
  ...relationSetTools,
  ...resourceTools,
  ...secretReadTools,
  ...secretWriteTools,
  ...stateTools,
  ...statusTools,
  ...storageTools,
  ...unsupportedTools,
};

/** Every tool name: the runtime makes one symlink to jujuc per name. */
export const toolNames: readonly string[] = Object.keys(tools).sort();
