import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import type { JujuContext } from '../context/juju-context.js';
import { CharmError } from '../errors.js';
import { configGet, type ConfigValue } from '../hook-tools/config.js';
import { goalState, type GoalState } from '../hook-tools/goal-state.js';
import { isLeader } from '../hook-tools/leader.js';
import { networkGet } from '../hook-tools/network.js';
import { closePort, openedPorts, openPort, formatPort, type Port } from '../hook-tools/ports.js';
import { relationIds, relationList, relationListApp } from '../hook-tools/relation.js';
import { resourceGet } from '../hook-tools/resource.js';
import type { HookToolRunner } from '../hook-tools/runner.js';
import { applicationVersionSet, statusGet, statusGetApp, statusSet, type StatusInfo } from '../hook-tools/status.js';
import { storageGet, storageList } from '../hook-tools/storage.js';
import { loadCharmMeta } from '../meta/load.js';
import type { CharmMeta } from '../meta/schema.js';
import { ActionContext } from './action.js';
import { parseConfig, type ConfigResult } from './config.js';
import { Relation } from './relation.js';
import { Secrets } from './secrets.js';
import type { StatusValue } from './status.js';

/** A storage instance attached to this unit. */
export interface StorageInstance {
  id: string;
  name: string;
  index: number;
  kind: string;
  location: string;
}

/** Options of {@link Model}. */
export interface ModelOptions {
  context: JujuContext;
  runner: HookToolRunner;
  /** Charm metadata; read lazily from the charm directory when omitted. */
  meta?: CharmMeta | (() => Promise<CharmMeta>);
  /** Reads a fetched resource's file (default: node:fs). */
  readFile?: (path: string) => Promise<Buffer>;
}

/** A file resource's content as read once in this hook, with its digest. */
export interface ResourceContent {
  readonly bytes: Buffer;
  /** Hex SHA-256 of {@link ResourceContent.bytes}. */
  readonly sha256: string;
}

/**
 * What Juju lets a unit see and change during one hook: config, leadership, relations, secrets,
 * status, resources, storage, network, actions and ports. Reads are cached for the hook.
 */
export class Model {
  readonly context: JujuContext;
  readonly runner: HookToolRunner;
  readonly secrets: Secrets;
  readonly #meta: () => Promise<CharmMeta>;
  #leader: Promise<boolean> | undefined;
  #config: Promise<Record<string, ConfigValue>> | undefined;
  #metaValue: Promise<CharmMeta> | undefined;
  readonly #relations = new Map<string, Promise<Relation[]>>();
  readonly #resources = new Map<string, Promise<ResourceContent>>();
  readonly #readFile: (path: string) => Promise<Buffer>;
  #action: ActionContext | undefined;

  constructor(options: ModelOptions) {
    this.context = options.context;
    this.runner = options.runner;
    this.secrets = new Secrets(options.runner);
    this.#readFile = options.readFile ?? ((path) => readFile(path));
    const meta = options.meta;
    this.#meta =
      typeof meta === 'function'
        ? meta
        : meta !== undefined
          ? () => Promise.resolve(meta)
          : () => loadCharmMeta(this.context.charmDir);
  }

  get unitName(): string {
    return this.context.unitName;
  }

  get appName(): string {
    return this.context.appName;
  }

  /** The charm's metadata, config and actions declarations (read once). */
  meta(): Promise<CharmMeta> {
    this.#metaValue ??= this.#meta();
    return this.#metaValue;
  }

  /** Whether this unit leads its application (asked once per hook). */
  isLeader(): Promise<boolean> {
    this.#leader ??= isLeader(this.runner);
    return this.#leader;
  }

  /** Raw config as Juju prints it. */
  rawConfig(): Promise<Record<string, ConfigValue>> {
    this.#config ??= configGet(this.runner);
    return this.#config;
  }

  /** Config parsed with the charm's zod schema; invalid config names each option and its problem. */
  async config<S extends z.ZodType>(schema: S): Promise<ConfigResult<z.infer<S>>> {
    return parseConfig(schema, await this.rawConfig());
  }

  /** Relations of an endpoint (the broken relation of a relation-broken hook excluded, as Juju does). */
  relations(endpoint: string): Promise<Relation[]> {
    let found = this.#relations.get(endpoint);
    if (found === undefined) {
      found = this.#loadRelations(endpoint);
      found.catch(() => this.#relations.delete(endpoint));
      this.#relations.set(endpoint, found);
    }
    return found;
  }

  /** The single relation of an endpoint, or undefined. */
  async relation(endpoint: string): Promise<Relation | undefined> {
    const all = await this.relations(endpoint);
    if (all.length > 1) {
      throw new CharmError(
        'invalid-argument',
        `cannot pick one relation of "${endpoint}": there are ${all.length}; use relations("${endpoint}")`,
      );
    }
    return all[0];
  }

  /** The relation this relation hook is about (also during relation-broken). */
  async hookRelation(): Promise<Relation | undefined> {
    const rel = this.context.relation;
    if (rel === undefined) return undefined;
    const known = (await this.relations(rel.endpoint)).find((r) => r.id === rel.id);
    if (known !== undefined) return known;
    const meta = await this.meta();
    const isPeer = rel.endpoint in (meta.metadata.peers ?? {});
    return new Relation(this.#relationScope(true), rel.endpoint, rel.id, rel.remoteApp, [], isPeer);
  }

  async #loadRelations(endpoint: string): Promise<Relation[]> {
    const [ids, meta] = await Promise.all([relationIds(this.runner, endpoint), this.meta()]);
    const isPeer = endpoint in (meta.metadata.peers ?? {});
    return Promise.all(
      ids.map(async (ref) => {
        const id = Number(ref.slice(ref.lastIndexOf(':') + 1));
        const hook = this.context.relation;
        const [units, app] = await Promise.all([
          relationList(this.runner, ref),
          isPeer
            ? this.appName
            : hook?.id === id
              ? hook.remoteApp
              : relationListApp(this.runner, ref).catch(() => undefined),
        ]);
        if (
          this.context.event.kind === 'relation-departed' &&
          hook?.id === id &&
          hook.departingUnit !== undefined &&
          hook.departingUnit !== this.unitName &&
          !units.includes(hook.departingUnit)
        ) {
          units.push(hook.departingUnit);
        }
        return new Relation(this.#relationScope(false), endpoint, id, app || undefined, units, isPeer);
      }),
    );
  }

  #relationScope(broken: boolean) {
    const hook = this.context;
    return {
      runner: this.runner,
      unitName: this.unitName,
      appName: this.appName,
      isLeader: () => this.isLeader(),
      broken: broken && hook.event.kind === 'relation-broken',
    };
  }

  /** Sets this unit's workload status. */
  setUnitStatus(s: StatusValue): Promise<void> {
    return statusSet(this.runner, s.status, s.message);
  }

  /** Sets the application status. */
  async setAppStatus(s: StatusValue): Promise<void> {
    if (!(await this.isLeader())) {
      throw new CharmError('not-leader', `cannot set the application status: ${this.unitName} is not the leader`);
    }
    return statusSet(this.runner, s.status, s.message, { application: true });
  }

  unitStatus(): Promise<StatusInfo> {
    return statusGet(this.runner);
  }

  async appStatus(): Promise<StatusInfo> {
    if (!(await this.isLeader())) {
      throw new CharmError('not-leader', `cannot read the application status: ${this.unitName} is not the leader`);
    }
    return (await statusGetApp(this.runner))['application-status'];
  }

  setWorkloadVersion(version: string): Promise<void> {
    return applicationVersionSet(this.runner, version);
  }

  /** Local path of a file resource declared in metadata. */
  async resourcePath(name: string): Promise<string> {
    const decl = (await this.meta()).metadata.resources?.[name];
    if (decl === undefined)
      throw new CharmError('unknown-name', `cannot fetch resource "${name}": metadata.yaml declares no such resource`, {
        name,
      });
    if (decl.type !== 'file')
      throw new CharmError(
        'unknown-name',
        `cannot fetch resource "${name}": it is an ${decl.type} resource, not a file`,
        { name },
      );
    return resourceGet(this.runner, name);
  }

  /**
   * A file resource's content, read once per hook: what a hook hashes and records is then the same
   * bytes it pushes, even when the operator attaches a new file meanwhile. Fails like
   * {@link Model.resourcePath} (`not-found` when nothing is attached).
   */
  resource(name: string): Promise<ResourceContent> {
    let read = this.#resources.get(name);
    if (read === undefined) {
      read = this.resourcePath(name)
        .then((path) => this.#readFile(path))
        .then((bytes) => ({ bytes, sha256: createHash('sha256').update(bytes).digest('hex') }));
      // a failed read is not cached: the next call asks again
      read.catch(() => this.#resources.delete(name));
      this.#resources.set(name, read);
    }
    return read;
  }

  /** Attached instances of a storage declared in metadata. */
  async storage(name: string): Promise<StorageInstance[]> {
    if (!((await this.meta()).metadata.storage ?? {})[name]) {
      throw new CharmError('unknown-name', `cannot list storage "${name}": metadata.yaml declares no such storage`, {
        name,
      });
    }
    const ids = await storageList(this.runner, name);
    return Promise.all(
      ids.map(async (id) => {
        const info = await storageGet(this.runner, id);
        return { id, name, index: Number(id.slice(id.lastIndexOf('/') + 1)), kind: info.kind, location: info.location };
      }),
    );
  }

  /** This unit's ingress address on a binding (the pod IP on Kubernetes); undefined while not yet known. */
  async address(binding = 'juju-info', relationId?: number): Promise<string | undefined> {
    const info = await networkGet(this.runner, binding, relationId === undefined ? {} : { relationId });
    return info['ingress-addresses'][0] ?? info['bind-addresses'][0]?.addresses[0]?.value;
  }

  openedPorts(): Promise<Port[]> {
    return openedPorts(this.runner);
  }

  /** Makes exactly `ports` open: opens the missing ones, closes the rest; returns what changed. */
  async setPorts(ports: readonly Port[]): Promise<{ opened: string[]; closed: string[] }> {
    const want = new Map(ports.map((p) => [formatPort(p), p]));
    const have = new Map((await this.openedPorts()).map((p) => [formatPort(p), p]));
    const opened = [...want.keys()].filter((k) => !have.has(k));
    const closed = [...have.keys()].filter((k) => !want.has(k));
    for (const k of closed) await closePort(this.runner, have.get(k) as Port);
    for (const k of opened) await openPort(this.runner, want.get(k) as Port);
    return { opened, closed };
  }

  goalState(): Promise<GoalState> {
    return goalState(this.runner);
  }

  /** Units the application should have (not dying), per goal-state. */
  async plannedUnits(): Promise<number> {
    return Object.values((await this.goalState()).units).filter((u) => u.status !== 'dying').length;
  }

  /**
   * The running action.
   * @throws {CharmError} `not-an-action` outside an action.
   */
  async action(): Promise<ActionContext> {
    const a = this.context.action;
    if (a === undefined)
      throw new CharmError(
        'not-an-action',
        `cannot read action params: ${this.context.event.name} is a hook, not an action`,
      );
    this.#action ??= new ActionContext(
      this.runner,
      a.name,
      a.id,
      (await this.meta()).actions[a.name],
      this.context.jujuVersion,
    );
    return this.#action;
  }
}
