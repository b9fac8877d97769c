import { readFileSync } from 'node:fs';
import type { HookToolCall, HookToolResult, HookToolRunner } from '../hook-tools/runner.js';
import { requestFilePaths, runHookTool, type MetadataYaml, type ToolRequest } from '@charms/juju-model';
import type { ModelState } from './model-state.js';
import { foldIntoState, jujuModelOf, hostPathOf } from './unit-view.js';

/** Tools whose writes are immediate in Juju: they survive a failed hook. */
const IMMEDIATE = new Set([
  'status-set',
  'application-version-set',
  'juju-log',
  'action-log',
  'action-set',
  'action-fail',
  'leader-set',
]);

/**
 * A fake Juju for unit tests: every hook tool is answered by `@charms/juju-model` (the very code
 * charm-sim serves over its socket), against a model built from an in-memory {@link ModelState}, so
 * output shapes, error texts and leader rules are Juju's as charm-sim knows them. Buffered writes
 * (relation data, ports, secrets, charm state) go to a draft that {@link commit} returns only for a hook
 * that succeeded; immediate ones (status, logs, action results) survive a failed hook, as in Juju.
 */
export class FakeHookToolRunner implements HookToolRunner {
  #draft: ModelState;
  #base: ModelState;
  /** Every call, in order: tool and args. */
  readonly calls: { tool: string; args: string[] }[] = [];

  constructor(
    state: ModelState,
    private readonly hookRelationId?: number,
    /** The charm's metadata.yaml, when known: the endpoints it declares. */
    private readonly metadata?: MetadataYaml,
  ) {
    this.#base = structuredClone(state);
    this.#draft = structuredClone(state);
  }

  /** The model after the hook: the draft if it succeeded, else the base with immediate changes only. */
  commit(succeeded: boolean): ModelState {
    return structuredClone(succeeded ? this.#draft : this.#base);
  }

  run(tool: string, args: readonly string[], call: HookToolCall = {}): Promise<HookToolResult> {
    this.calls.push({ tool, args: [...args] });
    const result = this.#run(tool, args, call.stdin, this.#draft);
    if (IMMEDIATE.has(tool)) this.#run(tool, args, call.stdin, this.#base);
    return Promise.resolve(result);
  }

  /** Runs a tool through `@charms/juju-model` against a model built from `s`, folding its changes into `s`. */
  #run(tool: string, args: readonly string[], stdin: string | undefined, s: ModelState): HookToolResult {
    const { model, ctx } = jujuModelOf(s, this.hookRelationId, this.#base.openedPorts, this.metadata);
    const req: ToolRequest = { contextId: ctx.id, tool, args: [...args], cwd: '/' };
    if (stdin !== undefined) req.stdin = stdin;
    const files = readFiles(requestFilePaths(args));
    if (files !== undefined) req.files = files;
    const change = runHookTool(model, ctx, req);
    if (change.result.exitCode === 0) foldIntoState(s, change, ctx, tool);
    return { stdout: hostPathOf(change, s), stderr: change.result.stderr, exitCode: change.result.exitCode };
  }
}

/** What jujuc sends for `--file <path>` and `key#file=<path>` args: the files' contents (missing ones left out). */
function readFiles(paths: readonly string[]): Record<string, string> | undefined {
  if (paths.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const p of paths) {
    try {
      out[p] = readFileSync(p, 'utf8');
    } catch {
      // the model answers `open <path>: no such file or directory`, as jujuc does
    }
  }
  return out;
}
