import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { JujuModelError } from '@charms/juju-model';
import { MAX_SOCKET_PATH, podLayout, type ModelLayout, type OverlayDirs, type PodLayout } from './layout.js';
import { killView, startView, waitGone, type ViewProcess } from './namespace-process.js';
import { attachPod, netnsPath, startHolder, stopHolder, type NetHolder } from './pod-network.js';
import {
  charmViewEnv,
  charmViewPlan,
  workloadEnv,
  workloadPlan,
  type PodContainer,
  type PodStorage,
} from './view-plans.js';

/** What a pod is made of; stable across kill-pod (same name, address and storage). */
export interface PodSpec {
  model: string;
  /** Unit name `<app>/<n>`. */
  unit: string;
  app: string;
  /** `<app>-<n>`. */
  podName: string;
  address: string;
  containers: readonly PodContainer[];
  storage: readonly PodStorage[];
}

/** Host things every pod uses. */
export interface PodHost {
  layout: ModelLayout;
  pebbleBin: string;
  network: PodNetwork;
}

/** The model network (bridge namespace) pods plug into, and the subnet of their addresses. */
export interface PodNetwork {
  holder: NetHolder;
  subnet: number;
}

/** Which view of a pod: the charm container, or a workload container by name. */
export type ViewName = { kind: 'charm' } | { kind: 'workload'; container: string };

const pidRecord = z.array(
  z.object({ label: z.string(), pid1: z.number().int(), pid1Start: z.number(), unsharePid: z.number().int() }),
);
type PidRecord = z.infer<typeof pidRecord>;

async function freshOverlay(o: OverlayDirs): Promise<void> {
  await Promise.all([o.upper, o.work].map((d) => rm(d, { recursive: true, force: true })));
  await Promise.all([o.upper, o.work, o.merged].map((d) => mkdir(d, { recursive: true })));
}

/** A running pod: the charm view plus one view per workload container. */
export class Pod {
  private net: NetHolder | undefined;
  private charm: ViewProcess | undefined;
  private readonly workloads = new Map<string, ViewProcess>();
  private readonly exitWatchers: ((view: ViewName) => void)[] = [];
  private killed = false;

  private constructor(
    readonly spec: PodSpec,
    readonly layout: PodLayout,
    private readonly host: PodHost,
  ) {}

  /**
   * Creates the pod dirs, lets `populateAgentDir` write the fresh charm dir (and resources), then starts
   * every view. On failure the views already started are killed again.
   */
  static async start(
    host: PodHost,
    spec: PodSpec,
    populateAgentDir: (agentDir: string) => Promise<void>,
  ): Promise<Pod> {
    const layout = podLayout(host.layout, spec.podName);
    await rm(layout.dir, { recursive: true, force: true });
    for (const c of spec.containers) {
      const cl = layout.container(c.name);
      if (cl.socket.length > MAX_SOCKET_PATH) {
        throw new JujuModelError(
          'pod-failed',
          `cannot create pod ${spec.podName}: the Pebble socket path ${cl.socket} is longer than ${MAX_SOCKET_PATH} bytes; use a shorter --model-dir`,
          { socket: cl.socket },
        );
      }
      await mkdir(cl.shared, { recursive: true });
    }
    for (const s of spec.storage) await mkdir(s.hostDir, { recursive: true });
    await mkdir(layout.charmDir, { recursive: true });
    await populateAgentDir(layout.agentDir);
    const pod = new Pod(spec, layout, host);
    try {
      await pod.startNetwork();
      await Promise.all(spec.containers.map((c) => pod.startWorkload(c)));
      await pod.startCharmView();
      return pod;
    } catch (error) {
      await pod.kill();
      throw error;
    }
  }

  private get common() {
    return { podName: this.spec.podName, hostsFile: this.host.layout.hosts, pebbleBin: this.host.pebbleBin };
  }

  /** The pod's own network namespace (every view joins it), plugged into the model bridge. */
  private async startNetwork(): Promise<void> {
    this.net = await startHolder(this.layout.dir, `pod ${this.spec.podName}`);
    await this.record();
    await attachPod(this.host.network.holder, this.net, this.spec.address, this.host.network.subnet);
  }

  /** `/proc` path of the pod's network namespace (what `nsenter --net=` takes). */
  get netns(): string | undefined {
    return this.net && netnsPath(this.net);
  }

  private async startWorkload(c: PodContainer): Promise<void> {
    const cl = this.layout.container(c.name);
    await freshOverlay(cl);
    const view = await startView({
      plan: workloadPlan(this.common, cl, c, this.spec.storage),
      env: workloadEnv(c.name),
      logFile: cl.log,
      readyComm: 'pebble',
      label: `pod ${this.spec.podName} container ${c.name}`,
      ...(this.netns !== undefined && { netns: this.netns }),
    });
    this.workloads.set(c.name, view);
    this.watch(view, { kind: 'workload', container: c.name });
    await this.record();
  }

  private async startCharmView(): Promise<void> {
    await freshOverlay(this.layout.charmView);
    this.charm = await startView({
      plan: charmViewPlan(this.common, this.layout.charmView, {
        unit: this.spec.unit,
        agentDir: this.layout.agentDir,
        toolsDir: this.host.layout.tools,
        runDir: this.host.layout.run,
        containers: this.spec.containers.map((c) => ({ name: c.name, shared: this.layout.container(c.name).shared })),
        storage: this.spec.storage,
      }),
      env: charmViewEnv(),
      logFile: this.layout.charmView.log,
      readyComm: 'pebble',
      label: `pod ${this.spec.podName} charm container`,
      ...(this.netns !== undefined && { netns: this.netns }),
    });
    this.watch(this.charm, { kind: 'charm' });
    await this.record();
  }

  private watch(view: ViewProcess, name: ViewName): void {
    void view.exited.then(() => {
      const current = name.kind === 'charm' ? this.charm : this.workloads.get(name.container);
      if (!this.killed && current === view) for (const f of this.exitWatchers) f(name);
    });
  }

  /** Pid record in the pod dir, so a pod can be killed without this object (crashed controller, destroy). */
  private record(): Promise<void> {
    const views: [string, ViewProcess | undefined][] = [['charm', this.charm], ...this.workloads];
    const rec: PidRecord = views.flatMap(([label, v]) =>
      v ? [{ label, pid1: v.pid1, pid1Start: v.pid1Start, unsharePid: v.unsharePid }] : [],
    );
    // the network holder: `unshare --net` exec'd `sleep`, so one pid
    if (this.net) rec.push({ label: 'net', pid1: this.net.pid, pid1Start: this.net.start, unsharePid: this.net.pid });
    return writeFile(this.layout.pidFile, JSON.stringify(rec));
  }

  /** Calls `f` when a view's namespace ends without {@link Pod.kill} (a crash, or someone killed its PID 1). */
  onUnexpectedExit(f: (view: ViewName) => void): void {
    this.exitWatchers.push(f);
  }

  /**
   * Restarts one workload container the way kubelet restarts a crashed container: a fresh root
   * (overlay upper), the same shared `/charm/container` dir and storage, and a new Pebble (new boot id).
   */
  async restartContainer(name: string): Promise<void> {
    const c = this.spec.containers.find((x) => x.name === name);
    const old = this.workloads.get(name);
    if (!c || this.killed) return;
    if (old) await killViews([old]);
    await this.startWorkload(c);
  }

  /** Host path of a workload container's Pebble socket. */
  socketPath(container: string): string {
    return this.layout.container(container).socket;
  }

  /** Host pids of every view's PID 1 (charm view first). */
  get pids(): number[] {
    return [this.charm, ...this.workloads.values()].flatMap((v) => (v ? [v.pid1] : []));
  }

  /** Host pid of one view's PID 1. */
  pid(view: ViewName): number | undefined {
    return view.kind === 'charm' ? this.charm?.pid1 : this.workloads.get(view.container)?.pid1;
  }

  /**
   * Runs `argv` inside the charm view (its mount, UTS, PID and network namespaces and root) with exactly `env`,
   * working directory `cwd` (a view path). Costs one `nsenter` fork+exec (about 1 ms).
   */
  exec(argv: readonly string[], env: Record<string, string>, cwd: string): ChildProcess {
    const [file, ...args] = argv;
    if (file === undefined) throw new JujuModelError('bad-argument', 'cannot run a hook: empty argv');
    if (!this.charm)
      throw new JujuModelError(
        'pod-failed',
        `cannot run ${file} in pod ${this.spec.podName}: its charm container is not running`,
      );
    return spawn(
      '/usr/bin/nsenter',
      [
        '--target',
        String(this.charm.pid1),
        '--mount',
        '--uts',
        '--pid',
        '--net',
        '--root',
        `--wdns=${cwd}`,
        '--',
        file,
        ...args,
      ],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  }

  /** Kills every process of the pod at once (each namespace's PID 1), waits for them, and removes the pod dir. */
  async kill(): Promise<void> {
    this.killed = true;
    await killViews([this.charm, ...this.workloads.values()].flatMap((v) => (v ? [v] : [])));
    if (this.net) await stopHolder(this.net);
    await rm(this.layout.dir, { recursive: true, force: true });
  }
}

async function killViews(views: readonly ViewProcess[]): Promise<void> {
  await Promise.all(views.map((v) => killView(v.pid1, v.pid1Start)));
  await Promise.all(views.map((v) => Promise.race([v.exited, waitGone(v.unsharePid).then(() => undefined)])));
}

/**
 * Kills pods recorded in the model dir that no live {@link Pod} object owns (a crashed controller, or
 * `destroy` without a controller), then removes their dirs. Returns the pod names it found.
 */
export async function reapRecordedPods(layout: ModelLayout): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(layout.pods);
  } catch {
    return [];
  }
  for (const name of names) {
    const dir = join(layout.pods, name);
    let record: PidRecord = [];
    try {
      record = pidRecord.parse(JSON.parse(await readFile(join(dir, 'pids.json'), 'utf8')));
    } catch {
      // no record: the pod never finished starting, or was already reaped
    }
    await Promise.all(record.map((r) => killView(r.pid1, r.pid1Start)));
    await Promise.all(record.flatMap((r) => [waitGone(r.pid1), waitGone(r.unsharePid)]));
    await rm(dir, { recursive: true, force: true });
  }
  return names;
}
