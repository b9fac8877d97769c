import { readFileSync } from 'node:fs';
import type { HookToolCall, HookToolResult, HookToolRunner } from '../hook-tools/runner.js';
import { runHookTool } from '@charms/juju-model';
import type { ModelState, SecretState } from './model-state.js';
import { foldIntoState, jujuModelOf } from './unit-view.js';

const VALUE_FLAGS = new Set([
  '-r',
  '-s',
  '--format',
  '--log-level',
  '--file',
  '--label',
  '--description',
  '--expire',
  '--rotate',
  '--owner',
  '--relation',
  '--unit',
  '--revision',
  '--endpoints',
]);

interface Args {
  flags: Map<string, string>;
  pos: string[];
}

function parseArgs(args: readonly string[]): Args {
  const flags = new Map<string, string>();
  const pos: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--') {
      pos.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a !== '-') {
      const eq = a.indexOf('=');
      if (eq > 0) flags.set(a.slice(0, eq), a.slice(eq + 1));
      else if (VALUE_FLAGS.has(a)) flags.set(a, args[++i] ?? '');
      else flags.set(a, 'true');
    } else pos.push(a);
  }
  return { flags, pos };
}

class ToolFailure extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

const ok = (value?: unknown): HookToolResult => ({
  stdout: value === undefined ? '' : `${JSON.stringify(value)}\n`,
  stderr: '',
  exitCode: 0,
});
/** Tools answered by the shared model of `@charms/juju-model`; the rest are still answered here. */
const SHARED = new Set([
  'config-get',
  'is-leader',
  'leader-get',
  'leader-set',
  'relation-ids',
  'relation-list',
  'relation-get',
  'relation-set',
  'relation-model-get',
  'status-set',
  'status-get',
  'application-version-set',
  'open-port',
  'close-port',
  'opened-ports',
  'state-get',
  'state-set',
  'state-delete',
  'juju-log',
  'storage-list',
  'storage-get',
]);
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
 * A fake Juju for unit tests: answers hook tools from an in-memory {@link ModelState} with Juju's
 * output shapes, error texts and leader rules. Buffered writes (relation data, ports, secrets,
 * charm state) go to a draft that {@link commit} returns only for a hook that succeeded; immediate
 * ones (status, logs, action results) survive a failed hook, as in Juju.
 */
export class FakeHookToolRunner implements HookToolRunner {
  #draft: ModelState;
  #base: ModelState;
  #nextSecret = 1;
  /** Every call, in order: tool and args. */
  readonly calls: { tool: string; args: string[] }[] = [];

  constructor(
    state: ModelState,
    private readonly hookRelationId?: number,
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
    if (SHARED.has(tool)) {
      const result = this.#shared(tool, args, call.stdin, this.#draft);
      if (IMMEDIATE.has(tool)) this.#shared(tool, args, call.stdin, this.#base);
      return Promise.resolve(result);
    }
    try {
      const a = parseArgs(args);
      const result = this.#dispatch(tool, a, this.#draft);
      if (IMMEDIATE.has(tool)) this.#dispatch(tool, a, this.#base);
      return Promise.resolve(result);
    } catch (e) {
      if (e instanceof ToolFailure)
        return Promise.resolve({ stdout: '', stderr: `ERROR ${e.message}\n`, exitCode: e.exitCode });
      throw e;
    }
  }

  /** Runs a tool through `@charms/juju-model` (charm-sim's own code) against a model built from `s`. */
  #shared(tool: string, args: readonly string[], stdin: string | undefined, s: ModelState): HookToolResult {
    const { model, ctx } = jujuModelOf(s, this.hookRelationId, this.#base.openedPorts);
    const req = { contextId: ctx.id, tool, args: [...args], cwd: '/', ...(stdin === undefined ? {} : { stdin }) };
    const change = runHookTool(model, ctx, req);
    if (change.result.exitCode === 0) foldIntoState(s, change, ctx);
    return { stdout: change.result.stdout, stderr: change.result.stderr, exitCode: change.result.exitCode };
  }

  #dispatch(tool: string, a: Args, s: ModelState): HookToolResult {
    const p = a.pos;
    switch (tool) {
      case 'action-get':
        return ok(this.#action(s).params);
      case 'action-set':
        for (const kv of p) {
          const eq = kv.indexOf('=');
          this.#action(s).results[kv.slice(0, eq)] = kv.slice(eq + 1);
        }
        return ok();
      case 'action-log':
        this.#action(s).logs.push(p.join(' '));
        return ok();
      case 'action-fail':
        this.#action(s).failure = p[0] ?? 'action failed without reason given, check action for errors';
        return ok();
      case 'resource-get': {
        const path = s.resources[p[0] ?? ''];
        if (path === undefined) throw new ToolFailure(`could not download resource: resource "${p[0]}" not found`);
        return { stdout: path, stderr: '', exitCode: 0 };
      }
      case 'storage-add':
        return ok();
      case 'network-get': {
        const addr = s.addresses[p[0] ?? ''] ?? s.addresses['juju-info'];
        if (addr === undefined) throw new ToolFailure(`no network config found for binding "${p[0]}"`);
        return ok({
          'bind-addresses': [
            { 'mac-address': '', 'interface-name': 'eth0', addresses: [{ hostname: '', value: addr, cidr: '' }] },
          ],
          'egress-subnets': [`${addr}/32`],
          'ingress-addresses': [addr],
        });
      }
      case 'goal-state':
        return ok({ units: { [s.unit]: { status: 'active', since: '2025-01-01 00:00:00Z' } }, relations: {} });
      default:
        if (tool.startsWith('secret-')) return this.#secret(tool, a, s);
        throw new ToolFailure(`bad request: bad command: ${tool}`);
    }
  }

  #action(s: ModelState): NonNullable<ModelState['action']> {
    if (s.action === undefined) throw new ToolFailure('not running an action');
    return s.action;
  }

  #secret(tool: string, a: Args, s: ModelState): HookToolResult {
    const p = a.pos;
    const find = (id: string | undefined, label: string | undefined): SecretState => {
      const found = s.secrets.find(
        (x) =>
          (id !== undefined && (x.id === id || x.id.endsWith(`/${id.replace(/^secret:/, '')}`))) ||
          (id === undefined && label !== undefined && x.label === label),
      );
      if (found === undefined) throw new ToolFailure(`secret "${id ?? label}" not found`);
      return found;
    };
    const content = (): Record<string, string> => {
      const out: Record<string, string> = {};
      for (const arg of p) {
        const m = /^([^#=]+)(?:#file)?=(.*)$/s.exec(arg);
        if (m) out[m[1] as string] = arg.includes('#file=') ? readFileSync(m[2] as string, 'utf8') : (m[2] as string);
      }
      return out;
    };
    switch (tool) {
      case 'secret-add': {
        const owner = (a.flags.get('--owner') ?? 'application') as 'application' | 'unit';
        if (owner === 'application' && !s.leader) throw new ToolFailure('this unit is not the leader');
        const id = `secret:fake${String(this.#nextSecret++).padStart(16, '0')}`;
        const label = a.flags.get('--label');
        s.secrets.push({
          id,
          owner,
          revision: 1,
          content: content(),
          grants: {},
          ...(label === undefined ? {} : { label }),
        });
        return { stdout: `${id}\n`, stderr: '', exitCode: 0 };
      }
      case 'secret-get': {
        const sec = find(p[0], a.flags.get('--label'));
        return ok(sec.content);
      }
      case 'secret-info-get': {
        const sec = find(p[0], a.flags.get('--label'));
        if (sec.owner === 'remote') throw new ToolFailure(`secret "${sec.id}" not found`);
        return ok({
          [sec.id]: { revision: sec.revision, label: sec.label, owner: sec.owner, rotation: sec.rotate ?? 'never' },
        });
      }
      case 'secret-set': {
        const sec = find(p[0], undefined);
        if (sec.owner === 'remote') throw new ToolFailure('permission denied');
        if (sec.owner === 'application' && !s.leader) throw new ToolFailure('this unit is not the leader');
        const c = content();
        if (Object.keys(c).length > 0) {
          sec.content = c;
          sec.revision += 1;
        }
        const label = a.flags.get('--label');
        if (label !== undefined) sec.label = label;
        return ok();
      }
      case 'secret-grant':
      case 'secret-revoke': {
        const sec = find(p[0], undefined);
        const rel = a.flags.get('--relation') ?? a.flags.get('-r') ?? '';
        const who = a.flags.get('--unit') ?? '*';
        const list = (sec.grants[rel] ??= []);
        if (tool === 'secret-grant' && !list.includes(who)) list.push(who);
        if (tool === 'secret-revoke') sec.grants[rel] = list.filter((x) => x !== who);
        return ok();
      }
      case 'secret-remove':
        find(p[0], undefined);
        s.secrets = s.secrets.filter((x) => x.id !== p[0]);
        return ok();
      case 'secret-ids':
        return ok(s.secrets.filter((x) => x.owner !== 'remote').map((x) => x.id));
      default:
        throw new ToolFailure(`bad request: bad command: ${tool}`);
    }
  }
}
