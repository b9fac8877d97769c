import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { SimModelError } from '../model/errors.js';
import { MAX_SOCKET_PATH, podLayout, type ModelLayout, type PodLayout } from './layout.js';
import { killView, startView, waitGone, type ViewProcess } from './namespace-process.js';
import { charmViewEnv, charmViewPlan, workloadEnv, workloadPlan, type PodContainer, type PodStorage } from './view-plans.js';

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
}

const pidRecord = z.array(z.object({ label: z.string(), pid1: z.number().int(), pid1Start: z.number(), unsharePid: z.number().int() }));
type PidRecord = z.infer<typeof pidRecord>;

/** A running pod: the charm view plus one view per workload container. */
export class Pod {
  private constructor(
    readonly spec: PodSpec,
    readonly layout: PodLayout,
    private readonly charm: ViewProcess,
    private readonly workloads: ReadonlyMap<string, ViewProcess>,
  ) {}

  /**
   * Creates the pod dirs, lets `populateAgentDir` write the fresh charm dir (and resources), then starts
   * every view. On failure the views already started are killed again.
   */
  static async start(host: PodHost, spec: PodSpec, populateAgentDir: (agentDir: string) => Promise<void>): Promise<Pod> {
    const layout = podLayout(host.layout, spec.podName);
    await rm(layout.dir, { recursive: true, force: true });
    const overlays = [layout.charmView, ...spec.containers.map((c) => layout.container(c.name))];
    for (const o of overlays) await Promise.all([o.upper, o.work, o.merged].map((d) => mkdir(d, { recursive: true })));
    for (const c of spec.containers) {
      const cl = layout.container(c.name);
      await mkdir(cl.shared, { recursive: true });
      if (cl.socket.length > MAX_SOCKET_PATH) {
        throw new SimModelError('pod-failed', `cannot create pod ${spec.podName}: the Pebble socket path ${cl.socket} is longer than ${MAX_SOCKET_PATH} bytes; use a shorter --model-dir`, { socket: cl.socket });
      }
    }
    for (const s of spec.storage) await mkdir(s.hostDir, { recursive: true });
    await mkdir(layout.charmDir, { recursive: true });
    await populateAgentDir(layout.agentDir);

    const common = { podName: spec.podName, hostsFile: host.layout.hosts, pebbleBin: host.pebbleBin };
    const started: { label: string; view: ViewProcess }[] = [];
    const record = () => writeFile(layout.pidFile, JSON.stringify(started.map(({ label, view }) => ({ label, pid1: view.pid1, pid1Start: view.pid1Start, unsharePid: view.unsharePid }))));
    try {
      const workloads = new Map<string, ViewProcess>();
      await Promise.all(
        spec.containers.map(async (c) => {
          const cl = layout.container(c.name);
          const label = `pod ${spec.podName} container ${c.name}`;
          const view = await startView({ plan: workloadPlan(common, cl, c, spec.storage), env: workloadEnv(c.name), logFile: cl.log, readyComm: 'pebble', label });
          started.push({ label, view });
          workloads.set(c.name, view);
          await record();
        }),
      );
      const charmLabel = `pod ${spec.podName} charm container`;
      const charm = await startView({
        plan: charmViewPlan(common, layout.charmView, {
          unit: spec.unit,
          agentDir: layout.agentDir,
          toolsDir: host.layout.tools,
          runDir: host.layout.run,
          containers: spec.containers.map((c) => ({ name: c.name, shared: layout.container(c.name).shared })),
          storage: spec.storage,
        }),
        env: charmViewEnv(),
        logFile: layout.charmView.log,
        readyComm: 'pebble',
        label: charmLabel,
      });
      started.push({ label: charmLabel, view: charm });
      await record();
      return new Pod(spec, layout, charm, workloads);
    } catch (error) {
      await killViews(started.map((s) => s.view));
      throw error;
    }
  }

  /** Resolves with the label of the first view whose namespace ended (killed or crashed). */
  get firstExit(): Promise<string> {
    const views: [string, ViewProcess][] = [['charm container', this.charm], ...[...this.workloads].map(([n, v]): [string, ViewProcess] => [`container ${n}`, v])];
    return Promise.race(views.map(([label, v]) => v.exited.then(() => label)));
  }

  /** Host path of a workload container's Pebble socket. */
  socketPath(container: string): string {
    return this.layout.container(container).socket;
  }

  /** Host pid of the charm view's PID 1 (the target for `nsenter`). */
  get charmPid(): number {
    return this.charm.pid1;
  }

  /** Host pids of every view's PID 1. */
  get pids(): number[] {
    return [this.charm.pid1, ...[...this.workloads.values()].map((v) => v.pid1)];
  }

  /**
   * Runs `argv` inside the charm view (its mount, UTS and PID namespaces and root) with exactly `env`,
   * working directory `cwd` (a view path). Costs one `nsenter` fork+exec (about 1 ms).
   */
  exec(argv: readonly string[], env: Record<string, string>, cwd: string): ChildProcess {
    const [file, ...args] = argv;
    if (file === undefined) throw new SimModelError('bad-argument', 'cannot run a hook: empty argv');
    return spawn('/usr/bin/nsenter', ['--target', String(this.charm.pid1), '--mount', '--uts', '--pid', '--root', `--wdns=${cwd}`, '--', file, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** Kills every process of the pod at once (each namespace's PID 1), waits for them, and removes the pod dir. */
  async kill(): Promise<void> {
    await killViews([this.charm, ...this.workloads.values()]);
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
