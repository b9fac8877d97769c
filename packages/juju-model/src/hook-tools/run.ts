/** Running one hook tool inside a hook context. */
import type { HookContext } from '../model/context-types.js';
import { isoNow, type Change, type OpOptions } from '../model/effects.js';
import type { Model } from '../model/schema.js';
import { formatFlag, outputFlag, RawOutput, ToolCall } from './call.js';
import { HelpRequest, parseArgs } from './flags.js';
import { formatOutput, parseFormat } from './format.js';
import { helpText } from './help/index.js';
import type { ToolRequest, ToolResult } from './protocol.js';
import { tools } from './registry.js';
import { ToolError } from './tool-error.js';

function error(model: Model, message: string, exitCode: number): Change & { result: ToolResult } {
  return { model, effects: [], result: { stdout: '', stderr: `ERROR ${message}\n`, exitCode } };
}

/**
 * Runs a hook tool in a hook's context with Juju's argument forms, output formats, error texts
 * (`ERROR <msg>` on stderr) and exit codes (2 usage, 1 runtime). Buffered writes go to
 * `ctx.pending` (committed by commitHook on success); immediate writes (status-set, leader-set,
 * juju-log, action-*, application-version-set, secret tracking) go into the returned model.
 * On an error the input model is returned unchanged.
 */
export function runHookTool(
  model: Model,
  ctx: HookContext,
  req: ToolRequest,
  o?: OpOptions,
): Change & { result: ToolResult } {
  const def = tools[req.tool];
  if (!def) return error(model, `bad request: bad command: ${req.tool}`, 1);
  const help = () => ({
    model,
    effects: [],
    result: { stdout: helpText(req.tool, ctx) ?? '', stderr: '', exitCode: 0 },
  });
  const flags = [...(def.flags ?? []), ...(def.format ? [formatFlag, outputFlag] : [])];
  try {
    const end = req.args.indexOf('--');
    if (def.anyArgs && (end === -1 ? req.args : req.args.slice(0, end)).some((a) => a === '--help' || a === '-h'))
      return help();
    const args = def.anyArgs
      ? { flags: new Map(), typed: new Map(), positionals: [...req.args] }
      : parseArgs(req.args, flags);
    const format = def.format
      ? parseFormat(
          args.flags.get('format') as string | undefined,
          def.format.allowed,
          def.format.default,
          args.typed.get('format'),
        )
      : 'smart';
    const call = new ToolCall(model, ctx, req, args, isoNow(o));
    const out = def.run(call);
    const stdout = out instanceof RawOutput ? out.stdout : out === undefined ? '' : formatOutput(out, format);
    const outputPath = def.format ? call.str('o') : undefined;
    const result: ToolResult = outputPath
      ? { stdout, stderr: call.stderr, exitCode: 0, outputPath }
      : { stdout, stderr: call.stderr, exitCode: 0 };
    return { model: call.result, effects: call.effects, result };
  } catch (e) {
    if (e instanceof HelpRequest) return help();
    if (e instanceof ToolError) return error(model, e.message, e.exitCode);
    return error(model, `cannot run ${req.tool}: ${e instanceof Error ? e.message : String(e)}`, 1);
  }
}

/**
 * Whether a tool's change must be applied (persisted, its effects carried out, units woken): false for
 * read-only calls and refused ones, which return the input model and no effects.
 */
export function changesModel(before: Model, change: Change): boolean {
  return change.model !== before || change.effects.length > 0;
}
