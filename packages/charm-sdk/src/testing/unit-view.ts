/**
 * The bridge between the harness's one-unit {@link ModelState} and `@charms/juju-model`'s Model: the
 * harness builds a model from the state, runs the shared hook-tool functions on it (the very code
 * charm-sim serves over its socket), and folds what they changed back into the state.
 */
import { basename } from 'node:path';
import {
  isOwnerSide,
  secretsView,
  type Action,
  type App,
  type Change,
  type Charm,
  type HookContext,
  type HookInfo,
  type MetadataYaml,
  type Model,
  type Relation,
  type Secret,
  type Status,
  type Unit,
  newRelation,
} from '@charms/juju-model';
import type { ModelState, RelationState, SecretState } from './model-state.js';

const SINCE = '1970-01-01T00:00:00.000Z';
/** The model uuid the harness's hook environment names (see hookEnv). */
const MODEL_UUID = '00000000-0000-4000-8000-000000000000';

/** The action id of the harness's one action (see hookEnv's JUJU_ACTION_UUID). */
const ACTION_ID = '1';
/**
 * Secrets the harness marks `remote` are owned by another application and granted to this unit on a
 * relation of that application's alone (so none of this unit's relation tools show it).
 */
const REMOTE_OWNER = 'remote-secret-owner';

const status = (s: { status: string; message: string }): Status => ({ ...s, since: SINCE });

function unit(name: string, leader: boolean, relations: Unit['relations'] = {}): Unit {
  const [app = name, number = '0'] = name.split('/');
  return {
    name,
    app,
    number: Number(number),
    life: 'alive',
    address: '',
    generation: 0,
    charmRevision: 0,
    installed: true,
    started: true,
    awaitingPod: false,
    stopped: false,
    hookRunning: null,
    leader,
    leaderSettingsSeen: 0,
    configSeen: 0,
    queue: [],
    failed: null,
    workloadStatus: status({ status: 'unknown', message: '' }),
    agentStatus: status({ status: 'idle', message: '' }),
    statusSetByCharm: false,
    workloadVersion: '',
    ports: [],
    state: {},
    containers: {},
    workloadEvents: [],
    updateStatusDue: false,
    relations,
  };
}

function app(name: string, charm: Charm, leader: string | null): App {
  return {
    name,
    charm,
    charmRevision: 0,
    generation: 0,
    config: {},
    configVersion: 0,
    resources: {},
    leader,
    leaderSettings: {},
    leaderSettingsVersion: 0,
    status: null,
    trust: false,
    nextUnit: 0,
    life: 'alive',
  };
}

/**
 * The charm as far as the harness state declares it: config options typed by their values, file resources,
 * storage, and a binding per address.
 */
function charmOf(
  name: string,
  s: Pick<ModelState, 'config' | 'resources' | 'storage' | 'addresses'>,
  metadata?: MetadataYaml,
): Charm {
  const options: Charm['config'] = {};
  for (const [k, v] of Object.entries(s.config)) {
    const type =
      typeof v === 'boolean' ? 'boolean' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : 'string';
    options[k] = { type };
  }
  const resources = Object.fromEntries(
    Object.entries(s.resources).map(([r, path]) => [r, { type: 'file' as const, filename: basename(path) || r }]),
  );
  const storage = Object.fromEntries(
    s.storage.map((st) => [st.id.split('/')[0] ?? st.id, { type: st.kind === 'block' ? 'block' : 'filesystem' }]),
  );
  const bindings = Object.fromEntries(Object.keys(s.addresses).map((b) => [b, null]));
  // the pod address (juju-info's) is the address of every endpoint the charm declares
  const declared = metadata && 'juju-info' in s.addresses ? metadata : { name };
  const meta: Charm['meta'] = {
    ...declared,
    name,
    resources: { ...declared.resources, ...resources },
    storage: { ...declared.storage, ...storage },
    'extra-bindings': { ...declared['extra-bindings'], ...bindings },
  } as Charm['meta'];
  return { source: '', meta, config: options, actions: {}, manifest: null, version: null };
}

const NO_CHARM_STATE = { config: {}, resources: {}, storage: [], addresses: {} };

function relation(own: string, unitName: string, r: RelationState): Relation {
  const mine = { app: own, endpoint: r.endpoint, interface: '', role: r.peer ? 'peer' : 'provider' } as const;
  const theirs = { app: r.remoteApp, endpoint: '', interface: '', role: 'requirer' } as const;
  return {
    id: r.id,
    endpoints: r.peer ? [mine] : [mine, theirs],
    life: 'alive',
    scope: [unitName, ...r.remoteUnits],
    unitData: { ...r.remoteUnitsData, [unitName]: { ...r.localUnitData } },
    unitVersions: {},
    appData: r.peer
      ? { [own]: { ...r.localAppData } }
      : { [own]: { ...r.localAppData }, [r.remoteApp]: { ...r.remoteAppData } },
    appVersions: {},
  };
}

/**
 * A juju-model Model and hook context that show the unit exactly what `s` describes; `committedPorts` are
 * the ports opened before the hook (opened-ports does not show the hook's own changes); `metadata`, the
 * charm's, declares its endpoints (network-get answers for them with the `juju-info` address).
 */
export function jujuModelOf(
  s: ModelState,
  hookRelationId?: number,
  committedPorts: readonly string[] = s.openedPorts,
  metadata?: MetadataYaml,
): { model: Model; ctx: HookContext } {
  const own = s.unit.split('/')[0] ?? s.unit;
  const apps: Model['apps'] = { [own]: app(own, charmOf(own, s, metadata), s.leader ? s.unit : null) };
  const self = apps[own]!;
  for (const [k, v] of Object.entries(s.config)) if (v !== null) self.config[k] = v;
  for (const [r, path] of Object.entries(s.resources)) self.resources[r] = { type: 'file', path, revision: 0 };
  self.leaderSettings = { ...s.leaderSettings };
  self.status = status(s.appStatus);
  const units: Model['units'] = {};
  const relations: Model['relations'] = {};
  const relStates: Unit['relations'] = {};
  for (const r of s.relations) {
    if (!r.peer && !apps[r.remoteApp]) apps[r.remoteApp] = app(r.remoteApp, charmOf(r.remoteApp, NO_CHARM_STATE), null);
    for (const u of r.remoteUnits) units[u] ??= unit(u, false);
    relations[String(r.id)] = relation(own, s.unit, r);
    const members = Object.fromEntries(r.remoteUnits.map((u) => [u, 0]));
    relStates[String(r.id)] = { created: true, members, appSeen: {}, changedPending: null, broken: false };
  }
  const me = unit(s.unit, s.leader, relStates);
  me.address = s.addresses['juju-info'] ?? Object.values(s.addresses)[0] ?? '';
  me.workloadStatus = status(s.unitStatus);
  me.workloadVersion = s.workloadVersion;
  me.ports = [...committedPorts].sort();
  me.state = { ...s.charmState };
  units[s.unit] = me;
  const storage: Model['storage'] = {};
  for (const st of s.storage) {
    const kind = st.kind === 'block' ? 'block' : 'filesystem';
    const name = st.id.split('/')[0] ?? st.id;
    const instance = { id: st.id, name, kind, unit: s.unit, location: st.location } as const;
    storage[st.id] = { ...instance, attached: true, life: 'alive', hostPath: null };
  }
  const model: Model = {
    version: 1,
    name: 'test-model',
    uuid: MODEL_UUID,
    jujuVersion: '3.6.8',
    subnet: 1,
    secretTimeScale: 1,
    counters: { relation: 0, action: 0, storage: 0, address: 0, secret: 0 },
    apps,
    units,
    relations,
    storage,
    secrets: {},
    actions: {},
  };
  secretsOf(model, s, own);
  if (s.action) model.actions[ACTION_ID] = actionOf(s.unit, s.action);
  return { model, ctx: contextOf(model, s, own, hookRelationId) };
}

/** The harness's secrets as the model keeps them: one revision each (the one the state shows). */
function secretsOf(model: Model, s: ModelState, own: string): void {
  const remoteRelation = Math.max(0, ...s.relations.map((r) => r.id)) + 1;
  for (const sec of s.secrets) {
    const remote = sec.owner === 'remote';
    const owner: Secret['owner'] =
      sec.owner === 'remote'
        ? { kind: 'application', name: REMOTE_OWNER }
        : { kind: sec.owner, name: sec.owner === 'unit' ? s.unit : own };
    const grants: Secret['grants'] = [];
    if (remote) grants.push({ subject: s.unit, relationId: remoteRelation });
    for (const [rel, names] of Object.entries(sec.grants)) {
      const r = s.relations.find((x) => String(x.id) === rel);
      for (const n of names) grants.push({ subject: n === '*' ? (r?.remoteApp ?? n) : n, relationId: Number(rel) });
    }
    const expire = sec.expire ?? null;
    model.secrets[sec.id] = {
      id: sec.id,
      owner,
      label: remote ? null : (sec.label ?? null),
      description: sec.description ?? null,
      rotate: sec.rotate ?? null,
      rotateNext: null,
      rotateDue: false,
      revisions: [
        {
          revision: sec.revision,
          content: { ...sec.content },
          created: SINCE,
          expire,
          expireNext: null,
          expireDue: false,
        },
      ],
      latest: sec.revision,
      grants,
      consumers: remote
        ? { [s.unit]: { label: sec.label ?? null, tracked: sec.revision, notified: sec.revision } }
        : {},
      removeNotified: [],
      created: SINCE,
    };
  }
  if (s.secrets.some((x) => x.owner === 'remote')) {
    const ep = { app: REMOTE_OWNER, endpoint: 'secrets', interface: '', role: 'peer' } as const;
    model.relations[String(remoteRelation)] = newRelation(remoteRelation, [ep]);
  }
}

/** The harness's action as the model's running action: results nest at the dots of their keys. */
function actionOf(unitName: string, a: NonNullable<ModelState['action']>): Action {
  const results: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(a.results)) {
    const keys = k.split('.');
    const last = keys.pop() ?? k;
    let node = results;
    for (const part of keys) node = (node[part] ??= {}) as Record<string, unknown>;
    node[last] = v;
  }
  return {
    id: ACTION_ID,
    unit: unitName,
    name: 'action',
    params: structuredClone(a.params),
    status: 'running',
    message: a.failure ?? '',
    results,
    log: a.logs.map((message) => ({ timestamp: SINCE, message })),
    enqueued: SINCE,
    started: SINCE,
    completed: null,
  };
}

function contextOf(model: Model, s: ModelState, own: string, hookRelationId?: number): HookContext {
  const rel = s.relations.find((r) => r.id === hookRelationId);
  const info: HookInfo =
    s.action && !rel
      ? { kind: 'action', actionId: ACTION_ID, name: 'action' }
      : rel
        ? {
            kind: 'relation-changed',
            relationId: rel.id,
            endpoint: rel.endpoint,
            remoteApp: rel.remoteApp,
            remoteUnit: '',
            departingUnit: '',
            version: 0,
          }
        : { kind: 'install', fromQueue: false };
  return {
    id: `${s.unit}-harness`,
    unit: s.unit,
    app: own,
    spec: { unit: s.unit, name: info.kind, dispatchPath: `hooks/${info.kind}`, info, env: {} },
    env: {},
    base: model,
    pending: { relations: {}, ports: [], state: [], secrets: [], storageAdd: [] },
    actionFailed: s.action?.failure ?? null,
    startedAt: SINCE,
  };
}

/**
 * Folds what a successful tool call changed back into `s`: immediate writes from the new model (status,
 * workload version, leader settings), juju-log lines from its effects, and the buffered writes of
 * `ctx.pending` (relation data, ports, state).
 */
export function foldIntoState(s: ModelState, change: Change, ctx: HookContext, tool = ''): void {
  const after = change.model;
  const action = after.actions[ACTION_ID];
  if (s.action && action) {
    s.action.results = flatten(action.results);
    s.action.logs = action.log.map((l) => l.message);
    if (ctx.actionFailed !== null) s.action.failure = ctx.actionFailed;
  }
  if (tool.startsWith('secret-'))
    s.secrets = secretStates(s, secretsView(after, ctx.pending.secrets, ctx.startedAt), ctx);
  for (const e of change.effects)
    if (e.type === 'log' && e.entry.logger.endsWith('.juju-log'))
      s.logs.push({ level: e.entry.level, message: e.entry.message });
  const me = after.units[s.unit];
  if (me?.statusSetByCharm) {
    s.unitStatus = { status: me.workloadStatus.status, message: me.workloadStatus.message };
    s.statusHistory.push({ ...s.unitStatus });
  }
  if (me) s.workloadVersion = me.workloadVersion;
  const own = after.apps[ctx.app];
  if (own?.status) s.appStatus = { status: own.status.status, message: own.status.message };
  if (own) s.leaderSettings = { ...own.leaderSettings };
  for (const [id, writes] of Object.entries(ctx.pending.relations)) {
    const r = s.relations.find((x) => String(x.id) === id);
    if (!r) continue;
    apply(r.localUnitData, writes.unit);
    apply(r.localAppData, writes.app);
  }
  for (const { op, port } of ctx.pending.ports) {
    if (op === 'close') s.openedPorts = s.openedPorts.filter((x) => x !== port);
    else if (!s.openedPorts.includes(port)) s.openedPorts.push(port);
  }
  for (const { op, key, value } of ctx.pending.state) {
    if (op === 'delete') delete s.charmState[key];
    else s.charmState[key] = value;
  }
}

function apply(bag: Record<string, string>, writes: Record<string, string>): void {
  for (const [k, v] of Object.entries(writes)) {
    if (v === '') delete bag[k];
    else bag[k] = v;
  }
}

/** Action results as the harness keeps them: nested keys joined with dots, values as strings. */
function flatten(results: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(results)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v))
      Object.assign(out, flatten(v as Record<string, unknown>, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = String(v);
  }
  return out;
}

/** The model's secrets back in the harness's form, in the state's order, new ones last. */
function secretStates(s: ModelState, secrets: Record<string, Secret>, ctx: HookContext): SecretState[] {
  const known = new Map(s.secrets.map((x) => [x.id, x]));
  const out: SecretState[] = [];
  const ids = [...s.secrets.map((x) => x.id), ...Object.keys(secrets).filter((id) => !known.has(id))];
  for (const id of ids) {
    const m = secrets[id];
    if (!m) continue;
    const before = known.get(id);
    const ownerSide = isOwnerSide(ctx.unit, m);
    const grants: SecretState['grants'] = {};
    for (const key of Object.keys(before?.grants ?? {})) grants[key] = [];
    if (ownerSide)
      for (const g of m.grants) {
        const r = s.relations.find((x) => x.id === g.relationId);
        (grants[String(g.relationId)] ??= []).push(g.subject === r?.remoteApp ? '*' : g.subject);
      }
    const latest = m.revisions.find((r) => r.revision === m.latest);
    const label = ownerSide ? m.label : (m.consumers[ctx.unit]?.label ?? null);
    const next: SecretState = {
      ...before,
      id,
      owner: ownerSide ? m.owner.kind : 'remote',
      revision: m.latest,
      content: { ...(latest?.content ?? {}) },
      grants,
    };
    if (label !== null) next.label = label;
    if (m.description !== null) next.description = m.description;
    if (m.rotate !== null) next.rotate = m.rotate;
    if (latest?.expire) next.expire = latest.expire;
    out.push(next);
  }
  return out;
}

/**
 * The harness has no charm container: a resource the model fetched to its charm-container path is already
 * on the host, at the path the state gives, so that is where the charm finds it.
 */
export function hostPathOf(change: Change & { result: { stdout: string } }, s: ModelState): string {
  for (const e of change.effects)
    if (e.type === 'fetch-resource' && e.from !== null && change.result.stdout === e.to && s.resources[e.resource])
      return e.from;
  return change.result.stdout;
}
