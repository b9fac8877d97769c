import {
  changesModel,
  runHookTool,
  type Change,
  type HookContext,
  type Model,
  type ToolRequest,
  type ToolResult,
} from '../model/api.js';

/** What {@link serveToolCall} needs from the controller. */
export interface ToolCallHost {
  /** The current model. */
  model(): Model;
  /** Persists a change, carries out its effects and wakes the units (Controller.apply). */
  apply(change: Change): void;
  /** Copies a resource into the unit's charm view (the `fetch-resource` effect). */
  fetchResource(unit: string, to: string, from: string | null, content: string | null): Promise<void>;
  /** Reports a tool that crashed (controller.log). */
  crashed(tool: string, unit: string, error: unknown): void;
}

/**
 * Runs one hook-tool call against the host's model. A call whose change has the input model and no effects
 * (read-only and refused calls, and writes buffered in the hook context until commit) is not applied: nothing
 * to save, no reconcile pass to wake.
 */
export async function serveToolCall(host: ToolCallHost, ctx: HookContext, req: ToolRequest): Promise<ToolResult> {
  try {
    const before = host.model();
    const r = runHookTool(before, ctx, req);
    if (changesModel(before, r)) host.apply(r);
    for (const effect of r.effects) {
      if (effect.type !== 'fetch-resource') continue;
      try {
        await host.fetchResource(effect.unit, effect.to, effect.from, effect.content);
      } catch (error) {
        return { stdout: '', stderr: `ERROR could not download resource: ${(error as Error).message}\n`, exitCode: 1 };
      }
    }
    return r.result;
  } catch (error) {
    host.crashed(req.tool, ctx.unit, error);
    return {
      stdout: '',
      stderr: `ERROR cannot run ${req.tool}: internal error in charm-sim (see controller.log)\n`,
      exitCode: 1,
    };
  }
}
