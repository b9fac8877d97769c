import { CharmError } from '../errors.js';
import { relationGet, relationSet } from '../hook-tools/relation.js';
import type { HookToolRunner } from '../hook-tools/runner.js';

/** What a relation needs from the model around it. */
export interface RelationScope {
  runner: HookToolRunner;
  unitName: string;
  appName: string;
  isLeader(): Promise<boolean>;
  /** True while the hook is this relation's relation-broken (writes are refused). */
  broken: boolean;
}

/**
 * One relation: its remote units and app, and the unit and app bags with Juju's access rules
 * checked client-side (as ops does) so the charm gets a clear error before the tool fails.
 */
export class Relation {
  readonly #scope: RelationScope;
  readonly #bags = new Map<string, Promise<Record<string, string>>>();

  constructor(
    scope: RelationScope,
    readonly endpoint: string,
    readonly id: number,
    /** The remote application (the own application for peers); undefined before anyone joined. */
    readonly app: string | undefined,
    /** Remote units in scope (peers: the other units). */
    readonly units: readonly string[],
    readonly isPeer: boolean,
  ) {
    this.#scope = scope;
  }

  /** `<endpoint>:<id>`, the form hook tools take. */
  get ref(): string {
    return `${this.endpoint}:${this.id}`;
  }

  /** A unit's bag (own unit, remote or peer unit). */
  unitData(unit: string = this.#scope.unitName): Promise<Record<string, string>> {
    return this.#read(unit, false);
  }

  /** An application's bag; the own app's bag of a non-peer relation is leader-only. */
  async appData(app: string | undefined = this.app): Promise<Record<string, string>> {
    if (app === undefined) return {};
    if (app === this.#scope.appName && !this.isPeer && !(await this.#scope.isLeader())) {
      throw new CharmError(
        'relation-data-access',
        `cannot read relation ${this.ref}: ${this.#scope.unitName} is not leader and cannot read its own application databag`,
        { relation: this.ref },
      );
    }
    return this.#read(app, true);
  }

  /** Merges `data` into this unit's bag, sending only keys that change; `""` deletes. */
  async setUnitData(data: Record<string, string>): Promise<string[]> {
    return this.#write(this.#scope.unitName, false, data);
  }

  /** Merges `data` into this application's bag (leader only), sending only keys that change. */
  async setAppData(data: Record<string, string>): Promise<string[]> {
    if (!(await this.#scope.isLeader())) {
      throw new CharmError(
        'relation-data-access',
        `cannot write relation ${this.ref}: ${this.#scope.unitName} is not leader and cannot write application data`,
        { relation: this.ref },
      );
    }
    return this.#write(this.#scope.appName, true, data);
  }

  #read(target: string, app: boolean): Promise<Record<string, string>> {
    const key = `${app ? 'app' : 'unit'}:${target}`;
    let bag = this.#bags.get(key);
    if (bag === undefined) {
      bag = relationGet(this.#scope.runner, this.ref, target, { app });
      bag.catch(() => this.#bags.delete(key));
      this.#bags.set(key, bag);
    }
    return bag.then((b) => ({ ...b }));
  }

  async #write(target: string, app: boolean, data: Record<string, string>): Promise<string[]> {
    if (this.#scope.broken) {
      throw new CharmError('relation-data-access', `cannot write relation ${this.ref}: it is being broken`, {
        relation: this.ref,
      });
    }
    for (const [k, v] of Object.entries(data)) {
      if (typeof v !== 'string')
        throw new CharmError(
          'invalid-argument',
          `cannot write relation ${this.ref}: the value of "${k}" must be a string`,
          { key: k },
        );
    }
    const current = await this.#read(target, app);
    const changes: Record<string, string> = {};
    for (const [k, v] of Object.entries(data)) {
      if (v === '' ? k in current : current[k] !== v) changes[k] = v;
    }
    const keys = Object.keys(changes);
    if (keys.length === 0) return [];
    await relationSet(this.#scope.runner, this.ref, changes, { app });
    const next = { ...current };
    for (const k of keys) {
      if (changes[k] === '') delete next[k];
      else next[k] = changes[k] as string;
    }
    this.#bags.set(`${app ? 'app' : 'unit'}:${target}`, Promise.resolve(next));
    return keys;
  }
}
