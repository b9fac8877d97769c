import { join } from 'node:path';

/** Paths of one model directory (host side). Pure: nothing is created here. */
export interface ModelLayout {
  root: string;
  controllerSocket: string;
  controllerPid: string;
  controllerLog: string;
  state: string;
  debugLog: string;
  hosts: string;
  /** jujuc and one symlink per hook tool; mounted at {@link CHARM_VIEW.toolsDir} in charm views. */
  tools: string;
  /** Directory holding the hook-tool server socket; mounted at {@link CHARM_VIEW.agentRunDir} in charm views. */
  run: string;
  charms: string;
  resources: string;
  storage: string;
  pods: string;
  /** Pid record of the model network's holder (pods/pod-network.ts). */
  network: string;
}

/** The layout of the model directory at `root`. */
export function modelLayout(root: string): ModelLayout {
  return {
    root,
    controllerSocket: join(root, 'controller.sock'),
    controllerPid: join(root, 'controller.pid'),
    controllerLog: join(root, 'controller.log'),
    state: join(root, 'model.json'),
    debugLog: join(root, 'debug-log.jsonl'),
    hosts: join(root, 'hosts'),
    tools: join(root, 'tools'),
    run: join(root, 'run'),
    charms: join(root, 'charms'),
    resources: join(root, 'resources'),
    storage: join(root, 'storage'),
    pods: join(root, 'pods'),
    network: join(root, 'network.json'),
  };
}

/** Paths of one pod on the host. Everything under `dir` dies with the pod; storage does not. */
export interface PodLayout {
  dir: string;
  /** Pid record used to kill the pod even when the controller is gone. */
  pidFile: string;
  /** Charm container view: overlay dirs. */
  charmView: OverlayDirs;
  /** Host dir mounted as the unit's agent dir (`charm/`, `resources/`) in the charm view. */
  agentDir: string;
  charmDir: string;
  container(name: string): ContainerLayout;
}

/** Upper, work and merged dirs of one overlay. */
export interface OverlayDirs {
  upper: string;
  work: string;
  merged: string;
  log: string;
}

/** Host paths of one workload container. */
export interface ContainerLayout extends OverlayDirs {
  /** Shared with the charm view: `/charm/container` here, `/charm/containers/<c>` there. */
  shared: string;
  socket: string;
}

function overlay(dir: string): OverlayDirs {
  return {
    upper: join(dir, 'upper'),
    work: join(dir, 'work'),
    merged: join(dir, 'root'),
    log: join(dir, 'console.log'),
  };
}

/** The layout of pod `podName` in the model at `model.root`. */
export function podLayout(model: ModelLayout, podName: string): PodLayout {
  const dir = join(model.pods, podName);
  const agentDir = join(dir, 'agent');
  return {
    dir,
    pidFile: join(dir, 'pids.json'),
    charmView: overlay(join(dir, 'charm')),
    agentDir,
    charmDir: join(agentDir, 'charm'),
    container(name) {
      const cdir = join(dir, 'c', name);
      const shared = join(cdir, 'shared');
      return { ...overlay(cdir), shared, socket: join(shared, 'pebble.socket') };
    },
  };
}

/** Host directory of one storage instance; outlives pods. `id` is `<name>/<n>`. */
export function storageDir(model: ModelLayout, id: string): string {
  return join(model.storage, id.replace('/', '-'));
}

/** Paths as the charm sees them inside its view (Juju's K8s sidecar layout). */
export const CHARM_VIEW = {
  agentDir: (unit: string) => `/var/lib/juju/agents/unit-${unit.replace('/', '-')}`,
  charmDir: (unit: string) => `/var/lib/juju/agents/unit-${unit.replace('/', '-')}/charm`,
  resourcePath: (unit: string, name: string, filename: string) =>
    `/var/lib/juju/agents/unit-${unit.replace('/', '-')}/resources/${name}/${filename}`,
  containerDir: (container: string) => `/charm/containers/${container}`,
  pebbleSocket: (container: string) => `/charm/containers/${container}/pebble.socket`,
  toolsDir: '/var/lib/juju/tools',
  agentRunDir: '/var/lib/juju/run',
  agentSocket: '/var/lib/juju/run/agent.socket',
  pebbleBin: '/charm/bin/pebble',
} as const;

/** Paths inside a workload container. */
export const WORKLOAD_VIEW = {
  shared: '/charm/container',
  pebbleDir: '/charm/container/pebble',
  pebbleSocket: '/charm/container/pebble.socket',
  pebbleBin: '/charm/bin/pebble',
} as const;

/** Longest path a unix socket address can hold on Linux (sun_path minus its NUL). */
export const MAX_SOCKET_PATH = 107;
