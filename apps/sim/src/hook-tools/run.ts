/** Running one hook tool inside a hook context. */
import type { HookContext } from '../model/context-types.js';
import type { Change, OpOptions } from '../model/effects.js';
import type { Model } from '../model/schema.js';
import type { ToolRequest, ToolResult } from './protocol.js';

/** Runs a hook tool: buffered writes go to `ctx.pending`, immediate ones into the returned model. */
export function runHookTool(_model: Model, _ctx: HookContext, _req: ToolRequest, _o?: OpOptions): Change & { result: ToolResult } {
  throw new Error('not implemented');
}
