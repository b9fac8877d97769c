/** One hook-tool invocation: parsed args, the models it may read, and its immediate writes. */
import type { HookContext } from '../model/context-types.js';
import type { Effect } from '../model/effects.js';
import type { Model, Relation, Unit } from '../model/schema.js';
import { unitRelState } from '../model/util.js';
import type { FlagSpec, ParsedArgs } from './flags.js';
import type { Format } from './format.js';
import type { ToolRequest } from './protocol.js';
import { fail, usage } from './tool-error.js';

/** Output a tool prints as is, bypassing --format (e.g. resource-get's path without newline). */
export class RawOutput {
  constructor(readonly stdout: string) {}
}

/** A hook tool: its flags, its formats (if it has --format), and what it does. */
export interface ToolDef {
  flags?: FlagSpec[];
  format?: { allowed: Format[]; default: Format };
  /** Skip flag parsing: every arg is a positional (tools that refuse whatever they are given). */
  anyArgs?: boolean;
  /** Returns the value to print with --format, a RawOutput, or undefined for no output. */
  run(call: ToolCall): unknown;
}

/** The shared --format flag. */
export const formatFlag: FlagSpec = { names: ['format'], kind: 'string' };
/** The shared -o/--output flag of every tool with --format: the output goes to that file instead. */
export const outputFlag: FlagSpec = { names: ['o', 'output'], kind: 'string' };
/** The shared -r/--relation flag. */
export const relationFlag: FlagSpec = { names: ['r', 'relation'], kind: 'string' };

/** Context handed to a tool's run(). */
export class ToolCall {
  private written: Model | null = null;
  readonly effects: Effect[] = [];
  /** Warnings the tool prints besides its output. */
  stderr = '';

  constructor(
    /** The model now (immediate writes of earlier calls included). */
    readonly model: Model,
    readonly ctx: HookContext,
    readonly req: ToolRequest,
    readonly args: ParsedArgs,
    readonly now: string,
  ) {}

  /** The model to return: the written copy if the tool changed anything. */
  get result(): Model {
    return this.written ?? this.model;
  }

  /** A private copy of the model for immediate writes (status-set, leader-set, ...). */
  write(): Model {
    this.written ??= structuredClone(this.model);
    return this.written;
  }

  get positionals(): string[] {
    return this.args.positionals;
  }

  str(name: string): string | undefined {
    const v = this.args.flags.get(name);
    return typeof v === 'string' ? v : undefined;
  }

  bool(name: string): boolean {
    return this.args.flags.get(name) === true;
  }

  /** The unit as it is now. */
  get unit(): Unit {
    const u = this.model.units[this.ctx.unit];
    if (!u) throw fail(`unit "${this.ctx.unit}" not found`);
    return u;
  }

  isLeader(): boolean {
    return this.model.apps[this.ctx.app]?.leader === this.ctx.unit;
  }

  /** The relation of the running relation hook, if any. */
  hookRelationId(): number | null {
    const info = this.ctx.spec.info;
    return 'relationId' in info ? info.relationId : null;
  }

  /** A relation the hook can address (Juju's ctx.Relation(id)), or undefined. */
  contextRelation(id: number): Relation | undefined {
    const rel = this.ctx.base.relations[String(id)];
    if (!rel || !rel.endpoints.some((e) => e.app === this.ctx.app)) return undefined;
    const base = this.ctx.base.units[this.ctx.unit];
    const broken = base ? unitRelState(base, id).broken : false;
    return broken && this.hookRelationId() !== id ? undefined : rel;
  }

  /** Resolves -r (`N` or `endpoint:N`), defaulting to the hook's relation; -1 when neither. */
  relationId(): number {
    const raw = this.str('r');
    if (raw === undefined) return this.hookRelationId() ?? -1;
    const shown = this.args.typed.get('r') ?? '-r';
    const colon = raw.lastIndexOf(':');
    const num = colon === -1 ? raw : raw.slice(colon + 1);
    if (!/^\d+$/.test(num)) throw usage(`invalid value "${raw}" for flag ${shown}: invalid relation id`);
    const id = Number(num);
    const rel = this.contextRelation(id);
    const endpoint = colon === -1 ? null : raw.slice(0, colon);
    const mine = rel?.endpoints.find((e) => e.app === this.ctx.app);
    if (!rel || (endpoint !== null && mine?.endpoint !== endpoint))
      throw usage(`invalid value "${raw}" for flag ${shown}: relation not found`);
    return id;
  }

  /** Like relationId() but `no relation id specified` (exit 2) when there is none. */
  requireRelationId(): number {
    const id = this.relationId();
    if (id === -1) throw usage('no relation id specified');
    return id;
  }

  /** Content of a file named in args: sent by the client, read in the hook's own filesystem. */
  file(path: string): string {
    const content = this.req.files?.[path];
    if (content === undefined) throw fail(`open ${path}: no such file or directory`);
    return content;
  }

  /** stdin for `--file -`. */
  stdin(): string {
    return this.req.stdin ?? '';
  }

  /** Reads a `--file` value: `-` is stdin. */
  fileOrStdin(path: string): string {
    return path === '-' ? this.stdin() : this.file(path);
  }
}
