import type { z } from 'zod';
import { runTool, parseJsonOutput, type HookToolRunner, type HookToolCall } from './runner.js';

/** Runs a tool that prints JSON and parses it with `schema`. */
export async function callJson<S extends z.ZodType>(
  runner: HookToolRunner,
  tool: string,
  args: readonly string[],
  schema: S,
  call?: HookToolCall,
): Promise<z.infer<S>> {
  const stdout = await runTool(runner, tool, args, call);
  return parseJsonOutput(tool, args, stdout, (v) => schema.parse(v));
}

/** Runs a tool whose output is ignored. */
export async function callVoid(
  runner: HookToolRunner,
  tool: string,
  args: readonly string[],
  call?: HookToolCall,
): Promise<void> {
  await runTool(runner, tool, args, call);
}

/** Flag `--name=value` only when `value` is set. */
export function opt(name: string, value: string | number | undefined): string[] {
  return value === undefined ? [] : [name, String(value)];
}
