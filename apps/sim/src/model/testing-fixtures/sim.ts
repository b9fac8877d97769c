/**
 * An in-process driver for model tests: runs the real resolver, beginHook, runHookTool and
 * commitHook, with each "charm" a TypeScript callback that calls hook tools. No processes.
 */
import {
  Charm,
  MetadataYaml,
  runHookTool,
  type ToolResult,
  type HookContext,
  type Change,
  type Effect,
  type LogEntry,
  type HookSpec,
  type Model,
  compareUnits,
} from '@charms/juju-model';
import { beginHook } from '../begin.js';
import { deployApp } from '../deploy.js';
import { commitHook, type HookOutcome } from '../commit.js';
import { createModel } from '../create.js';
import { nextHook } from '../resolver/next-hook.js';
import { relate } from '../relate.js';
import { retryFailedHook } from '../resolved.js';
import { buildSpec } from '../resolver/spec.js';

/** A charm from metadata (and optional config/actions) without files. */
export function makeCharm(
  meta: Record<string, unknown>,
  extra: { config?: Charm['config']; actions?: Charm['actions'] } = {},
): Charm {
  return Charm.parse({
    source: `/charms/${String(meta.name)}`,
    meta: MetadataYaml.parse(meta),
    config: extra.config ?? {},
    actions: extra.actions ?? {},
    manifest: null,
    version: null,
  });
}

/** A charm with a peer relation, a container with storage, a provides and a requires endpoint. */
export function redisLike(name = 'redis'): Charm {
  return makeCharm(
    {
      name,
      containers: { redis: { resource: 'redis-image', mounts: [{ storage: 'database', location: '/var/lib/redis' }] } },
      resources: {
        'redis-image': { type: 'oci-image', 'upstream-source': 'redis:7' },
        'cert-file': { type: 'file', filename: 'redis.crt' },
      },
      storage: { database: { type: 'filesystem', location: '/var/lib/redis' } },
      peers: { 'redis-peers': { interface: 'redis-peers' } },
      provides: { redis: { interface: 'redis' } },
      requires: { sentinel: { interface: 'sentinel' } },
    },
    {
      config: {
        'enable-tls': { type: 'boolean', default: false },
        port: { type: 'int', default: 6379 },
        name: { type: 'string' },
      },
      actions: { 'get-password': { params: { user: { type: 'string', default: 'admin' } } } },
    },
  );
}

/** A client charm that requires `redis`. */
export function clientCharm(name = 'client'): Charm {
  return makeCharm({
    name,
    requires: { db: { interface: 'redis' } },
    peers: { 'client-peers': { interface: 'client-peers' } },
  });
}

/** Calls one tool: `t('relation-get', '--format=json', '-r', '1', '-', 'app/0')`. */
export type Tool = (tool: string, ...args: string[]) => ToolResult;
/** A charm's behaviour for one hook; returns the exit code (default 0). */
export type Behaviour = (spec: HookSpec, t: Tool, ctx: HookContext) => number | void;

export class Sim {
  model: Model;
  readonly history: { unit: string; hook: string; env: Record<string, string> }[] = [];
  readonly logs: LogEntry[] = [];
  readonly effects: Effect[] = [];
  behaviour: Behaviour = () => 0;
  private clock = Date.parse('2026-01-01T00:00:00Z');

  constructor(name = 'test') {
    this.model = createModel({ name, uuid: '00000000-0000-4000-8000-000000000000' });
  }

  /** The injected clock: one second per call. */
  get opts(): { now: Date } {
    this.clock += 1000;
    return { now: new Date(this.clock) };
  }

  /** The injected clock's current time (without advancing it). */
  get now(): Date {
    return new Date(this.clock);
  }

  /** Moves the injected clock forward by `ms`. */
  advance(ms: number): this {
    this.clock += ms;
    return this;
  }

  apply(c: Change): this {
    this.model = c.model;
    for (const e of c.effects) {
      this.effects.push(e);
      if (e.type === 'log') this.logs.push(e.entry);
    }
    return this;
  }

  /** Begins `spec` and gives its context and a tool caller bound to it. */
  private begin(spec: HookSpec, random: bigint): { ctx: HookContext; t: Tool } {
    const begun = beginHook(this.model, spec, {
      agentSocket: '/tmp/agent.socket',
      toolsDir: '/tools',
      random: () => random,
      ...this.opts,
    });
    this.apply(begun);
    const ctx = begun.context;
    const t: Tool = (tool, ...args) => {
      const r = runHookTool(
        this.model,
        ctx,
        { contextId: ctx.id, tool, args, cwd: '/charm', ...stdinOf(args) },
        this.opts,
      );
      this.apply(r);
      return r.result;
    };
    return { ctx, t };
  }

  /** Runs one given spec to completion. */
  runSpec(spec: HookSpec, exitOverride?: number): HookSpec {
    const { ctx, t } = this.begin(spec, 42n);
    this.history.push({ unit: spec.unit, hook: spec.name, env: ctx.env });
    const code = exitOverride ?? this.behaviour(spec, t, ctx) ?? 0;
    const outcome: HookOutcome = { exitCode: typeof code === 'number' ? code : 0 };
    this.apply(commitHook(this.model, ctx, outcome, this.opts));
    return spec;
  }

  /** Runs an update-status hook on the unit now, whatever the resolver says (a test's way to run code in a hook). */
  runUpdateStatus(unit: string, behaviour?: Behaviour): HookSpec {
    const saved = this.behaviour;
    if (behaviour) this.behaviour = behaviour;
    try {
      return this.runSpec(buildSpec(this.model, unit, { kind: 'update-status', fromQueue: false }));
    } finally {
      this.behaviour = saved;
    }
  }

  /** Begins a hook (default: update-status) and leaves it open: call tools, then commit. */
  open(
    unit: string,
    info: HookSpec['info'] = { kind: 'update-status', fromQueue: false },
  ): { t: Tool; ctx: HookContext; commit: (exitCode?: number) => void } {
    const { ctx, t } = this.begin(buildSpec(this.model, unit, info), 7n);
    return { t, ctx, commit: (exitCode = 0) => void this.apply(commitHook(this.model, ctx, { exitCode }, this.opts)) };
  }

  /** Runs the unit's next hook; null when idle. */
  step(unit: string): HookSpec | null {
    const spec = nextHook(this.model, unit);
    return spec ? this.runSpec(spec) : null;
  }

  /** Retries the unit's failed hook as the backoff timer would. */
  retry(unit: string): HookSpec | null {
    const spec = retryFailedHook(this.model, unit);
    return spec ? this.runSpec(spec) : null;
  }

  /** Round-robin over units until none has a next hook; returns the hooks run. */
  settle(max = 500): string[] {
    const ran: string[] = [];
    for (let i = 0; i < max; i++) {
      let any = false;
      for (const u of Object.keys(this.model.units).sort(compareUnits)) {
        const spec = this.step(u);
        if (spec) {
          ran.push(`${u} ${spec.name}`);
          any = true;
        }
      }
      if (!any) return ran;
    }
    throw new Error(`model did not settle in ${max} rounds; last: ${ran.slice(-10).join(', ')}`);
  }

  /** Runs only `unit` until it is idle. */
  drain(unit: string, max = 200): string[] {
    const ran: string[] = [];
    for (let i = 0; i < max; i++) {
      const spec = this.step(unit);
      if (!spec) return ran;
      ran.push(spec.name);
    }
    throw new Error(`${unit} did not settle`);
  }

  /** Hooks run by one unit, in order. */
  hooksOf(unit: string): string[] {
    return this.history.filter((h) => h.unit === unit).map((h) => h.hook);
  }

  /** The env of the last run of `hook` on `unit`. */
  envOf(unit: string, hook: string): Record<string, string> {
    const h = [...this.history].reverse().find((x) => x.unit === unit && x.hook === hook);
    if (!h) throw new Error(`${unit} never ran ${hook}`);
    return h.env;
  }
}

/**
 * Test-only argv markers: `'<<<', text` is the tool's stdin; `'<<file', path, text` is a file
 * the client read in the hook's view. Both are removed from args.
 */
function stdinOf(args: string[]): { stdin?: string; files?: Record<string, string> } {
  const out: { stdin?: string; files?: Record<string, string> } = {};
  for (let i = args.indexOf('<<file'); i !== -1; i = args.indexOf('<<file')) {
    (out.files ??= {})[args[i + 1] ?? ''] = args[i + 2] ?? '';
    args.splice(i, 3);
  }
  const i = args.indexOf('<<<');
  if (i !== -1) {
    out.stdin = args[i + 1] ?? '';
    args.splice(i, 2);
  }
  return out;
}

/** A settled model of `redis` (2 units) related to `client` (deployed with `client`'s options). */
export function redisWithClient(client: { units?: number; trust?: boolean } = {}): Sim {
  const sim = new Sim();
  sim.apply(deployApp(sim.model, { charm: redisLike(), units: 2 }));
  sim.apply(deployApp(sim.model, { charm: clientCharm(), ...client }));
  sim.apply(relate(sim.model, 'client', 'redis'));
  sim.settle();
  return sim;
}
