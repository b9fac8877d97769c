/** Starting a hook: the context, its environment and Juju's before-hook status changes. */
import { randomBytes } from 'node:crypto';
import {
  type HookContext,
  isoNow,
  type Change,
  type OpOptions,
  JujuModelError,
  type HookSpec,
  type Model,
  clone,
  getUnit,
} from '@charms/juju-model';

/** Runtime facts for the hook environment. */
export interface BeginOptions extends OpOptions {
  /** JUJU_AGENT_SOCKET_ADDRESS as the hook sees it (a path, or `@name` for an abstract socket). */
  agentSocket: string;
  /** Directory holding the hook-tool symlinks; prefixed to PATH. */
  toolsDir: string;
  /** Rest of PATH; default the usual Ubuntu PATH. */
  path?: string;
  /** Random source for the context id; default crypto (a non-negative 63-bit integer). */
  random?: () => bigint;
}

const defaultPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/snap/bin';

function random63(): bigint {
  return randomBytes(8).readBigUInt64BE() >> 1n;
}

/**
 * Starts a hook: returns its context (id `<unit>-<hook>-<random>`, full env, base snapshot) and
 * the model with Juju's before-hook changes applied: agent `executing`, workload `maintenance`
 * before install (unless the charm set a status) and before stop, the action `running`.
 * Throws `bad-argument` when the unit already runs a hook.
 */
export function beginHook(model: Model, spec: HookSpec, opts: BeginOptions): Change & { context: HookContext } {
  const m = clone(model);
  const u = getUnit(m, spec.unit);
  if (u.hookRunning !== null)
    throw new JujuModelError(
      'bad-argument',
      `cannot begin ${spec.name} on ${spec.unit}: it is running ${u.hookRunning}`,
    );
  const now = isoNow(opts);
  const id = `${spec.unit}-${spec.name}-${(opts.random ?? random63)()}`;
  u.hookRunning = id;
  const info = spec.info;
  if (info.kind === 'action') {
    const a = m.actions[info.actionId];
    if (a) {
      a.status = 'running';
      a.started = now;
    }
    u.agentStatus = { status: 'executing', message: `running action ${spec.name}`, since: now };
  } else {
    u.agentStatus = { status: 'executing', message: `running ${spec.name} hook`, since: now };
  }
  if (info.kind === 'install' && !u.statusSetByCharm)
    u.workloadStatus = { status: 'maintenance', message: 'installing charm software', since: now };
  if (info.kind === 'stop' && u.life !== 'alive')
    u.workloadStatus = { status: 'maintenance', message: 'cleaning up prior to charm deletion', since: now };
  const env = {
    ...spec.env,
    JUJU_CONTEXT_ID: id,
    JUJU_AGENT_SOCKET_ADDRESS: opts.agentSocket,
    JUJU_AGENT_SOCKET_NETWORK: 'unix',
    PATH: `${opts.toolsDir}:${opts.path ?? defaultPath}`,
  };
  const context: HookContext = {
    id,
    unit: spec.unit,
    app: u.app,
    spec,
    env,
    base: model,
    pending: { relations: {}, ports: [], state: [], secrets: [], storageAdd: [] },
    actionFailed: null,
    startedAt: now,
  };
  return { model: m, effects: [], context };
}
