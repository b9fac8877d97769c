import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Model } from '../model/api.js';
import { renderHostsFile, writeInPlace } from '../pods/hosts-file.js';
import { CHARM_VIEW, storageDir, type ModelLayout } from '../pods/layout.js';
import { Pod, type PodNetwork, type PodSpec } from '../pods/pod.js';
import { PebblePoller } from './pebble-poller.js';
import type { PodPhase } from './settle.js';

/** Where the controller keeps the charm of an app at a revision (a copy taken at deploy or refresh). */
export function charmSnapshotDir(layout: ModelLayout, app: string, revision: number): string {
  return join(layout.charms, app, String(revision));
}

/** Observations a pod's pollers report, and a way to tell the controller something changed. */
export interface PodEvents {
  bootId(unit: string, container: string, bootId: string): void;
  check(unit: string, container: string, check: string, status: 'up' | 'down'): void;
  notice(unit: string, container: string, notice: { id: string; type: string; key: string }): void;
  log(level: 'INFO' | 'WARNING' | 'ERROR', unit: string, message: string): void;
  /** A pod reached a new phase. `recreated` is set when a replacement pod of an installed unit is up. */
  phase(unit: string, phase: PodPhase, recreated: boolean): void;
  /**
   * The charm container died (or a workload container could not
   * restart): the controller recreates the pod like kill-pod.
   */
  crashed(unit: string, what: string): void;
}

interface Entry {
  phase: PodPhase;
  error?: string;
  pod?: Pod;
  abort?: AbortController;
  pollers?: Promise<void>;
  stopping?: boolean;
}

/** Starts, kills and recreates the pods of a model, with their Pebble pollers and the shared hosts file. */
export class PodManager {
  private readonly entries = new Map<string, Entry>();
  private hostsWrite: Promise<void> = Promise.resolve();

  constructor(
    private readonly layout: ModelLayout,
    private readonly host: { pebbleBin: string; network: PodNetwork },
    private readonly pollIntervalMs: number,
    private readonly model: () => Model,
    private readonly events: PodEvents,
  ) {}

  /** Phase and error of every pod the manager knows. */
  facts(): Map<string, { phase: PodPhase; error?: string | undefined }> {
    return new Map([...this.entries].map(([unit, e]) => [unit, { phase: e.phase, error: e.error }]));
  }

  has(unit: string): boolean {
    return this.entries.has(unit);
  }

  pod(unit: string): Pod | undefined {
    const e = this.entries.get(unit);
    return e?.phase === 'running' ? e.pod : undefined;
  }

  /** Storage dir of a storage instance (persistent across pods). */
  storageDir(id: string): string {
    return storageDir(this.layout, id);
  }

  /** Starts the unit's pod. `recreate`: a replacement for an installed unit (its hooks then run the churn sequence). */
  async start(unit: string, recreate: boolean): Promise<void> {
    const entry: Entry = { phase: recreate ? 'restarting' : 'starting' };
    this.entries.set(unit, entry);
    this.events.phase(unit, entry.phase, false);
    try {
      const spec = this.spec(unit);
      await this.writeHosts();
      const pod = await Pod.start(
        { layout: this.layout, pebbleBin: this.host.pebbleBin, network: this.host.network },
        spec,
        (agentDir) => this.populate(unit, agentDir),
      );
      if (this.entries.get(unit) !== entry || entry.stopping) {
        await pod.kill();
        return;
      }
      entry.pod = pod;
      entry.phase = 'running';
      entry.abort = new AbortController();
      entry.pollers = this.startPollers(unit, pod, entry.abort.signal);
      pod.onUnexpectedExit((view) => {
        if (this.entries.get(unit) !== entry || entry.stopping) return;
        if (view.kind === 'charm') {
          this.events.crashed(unit, 'charm container');
          return;
        }
        this.events.log(
          'WARNING',
          unit,
          `container ${view.container} of pod ${pod.spec.podName} exited; restarting it`,
        );
        pod.restartContainer(view.container).catch((error: unknown) => {
          this.events.log('ERROR', unit, (error as Error).message);
          this.events.crashed(unit, `container ${view.container}`);
        });
      });
      this.events.phase(unit, 'running', recreate);
    } catch (error) {
      entry.phase = 'failed';
      entry.error = (error as Error).message;
      this.events.log('ERROR', unit, entry.error);
      this.events.phase(unit, 'failed', false);
    }
  }

  /** Kills the unit's pod (every process at once) and forgets it; storage stays. */
  async kill(unit: string): Promise<void> {
    const entry = this.entries.get(unit);
    if (!entry) return;
    entry.stopping = true;
    entry.phase = 'terminating';
    this.events.phase(unit, 'terminating', false);
    entry.abort?.abort();
    await entry.pod?.kill();
    await entry.pollers;
    if (this.entries.get(unit) === entry) this.entries.delete(unit);
  }

  /** Kills the pod, removes the unit's storage dirs and its hosts line. */
  async remove(unit: string, storage: readonly string[]): Promise<void> {
    await this.kill(unit);
    await Promise.all(storage.map((id) => rm(storageDir(this.layout, id), { recursive: true, force: true })));
    await this.writeHosts();
  }

  /** Kills every pod at once. */
  async killAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((u) => this.kill(u)));
  }

  private spec(unit: string): PodSpec {
    const model = this.model();
    const u = model.units[unit];
    const app = u && model.apps[u.app];
    if (!u || !app) throw new Error(`cannot start pod for ${unit}: the unit is not in the model`);
    const containers = Object.entries(app.charm.meta.containers ?? {}).map(([name, c]) => ({
      name,
      mounts: (c.mounts ?? []).map((m) => ({
        storage: m.storage,
        location: m.location ?? app.charm.meta.storage?.[m.storage]?.location ?? `/${m.storage}`,
      })),
    }));
    const storage = Object.values(model.storage)
      .filter((s) => s.unit === unit && s.life !== 'dead')
      .map((s) => ({ name: s.name, location: s.location, hostDir: storageDir(this.layout, s.id) }));
    return {
      model: model.name,
      unit,
      app: u.app,
      podName: `${u.app}-${u.number}`,
      address: u.address,
      containers,
      storage,
    };
  }

  /** A fresh charm dir: the app's charm at its current revision (resources are fetched on resource-get). */
  private async populate(unit: string, agentDir: string): Promise<void> {
    const model = this.model();
    const app = model.apps[model.units[unit]?.app ?? ''];
    if (!app) throw new Error(`cannot populate the charm dir of ${unit}: its application is gone`);
    await cp(charmSnapshotDir(this.layout, app.name, app.charmRevision), join(agentDir, 'charm'), {
      recursive: true,
      verbatimSymlinks: true,
    });
  }

  /**
   * The `fetch-resource` effect of resource-get: writes the file at its charm-container path `to`
   * (under the unit's agent dir), copied from `from` or with `content`, before the tool replies.
   */
  async fetchResource(unit: string, to: string, from: string | null, content: string | null): Promise<void> {
    const pod = this.pod(unit);
    const prefix = CHARM_VIEW.agentDir(unit) + '/';
    if (!pod || !to.startsWith(prefix)) throw new Error(`cannot place ${to}: the pod of ${unit} is not running`);
    const dest = join(pod.layout.agentDir, to.slice(prefix.length));
    await mkdir(dirname(dest), { recursive: true });
    if (from !== null) await cp(from, dest);
    else await writeFile(dest, content ?? '');
  }

  /** Rewrites the hosts file with every unit that has an address (pods mount it read-only); one write at a time. */
  writeHosts(): Promise<void> {
    this.hostsWrite = this.hostsWrite.then(() => {
      const model = this.model();
      const entries = Object.values(model.units).map((u) => ({
        podName: `${u.app}-${u.number}`,
        app: u.app,
        address: u.address,
      }));
      return writeInPlace(this.layout.hosts, renderHostsFile(model.name, entries));
    });
    return this.hostsWrite;
  }

  private startPollers(unit: string, pod: Pod, signal: AbortSignal): Promise<void> {
    const loops = pod.spec.containers.map((c) =>
      new PebblePoller(
        pod.socketPath(c.name),
        this.pollIntervalMs,
        {
          bootId: (id) => this.events.bootId(unit, c.name, id),
          check: (name, status) => this.events.check(unit, c.name, name, status),
          notice: (n) => this.events.notice(unit, c.name, n),
          problem: (message) => this.events.log('WARNING', unit, `container ${c.name}: ${message}`),
        },
        signal,
      ).run(),
    );
    return Promise.all(loops).then(() => undefined);
  }
}
