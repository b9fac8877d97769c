import { CHARM_VIEW, WORKLOAD_VIEW, type ContainerLayout, type OverlayDirs } from './layout.js';
import type { MountStep, ViewPlan } from './mount-script.js';

/** A storage instance as a pod mounts it. */
export interface PodStorage {
  /** Storage name from metadata, e.g. `database`. */
  name: string;
  /** Location in the charm container (`/var/lib/juju/storage/<name>/<idx>`). */
  location: string;
  /** Persistent host directory. */
  hostDir: string;
}

/** A workload container as a pod runs it. */
export interface PodContainer {
  name: string;
  /** `containers.<c>.mounts` from metadata. */
  mounts: readonly { storage: string; location: string }[];
}

/** Host resources every view of a pod shares. */
export interface PodCommon {
  podName: string;
  hostsFile: string;
  pebbleBin: string;
}

function base(common: PodCommon, dirs: OverlayDirs): MountStep[] {
  return [
    { kind: 'overlay', upper: dirs.upper, work: dirs.work, merged: dirs.merged },
    { kind: 'proc' },
    { kind: 'rbind', source: '/dev', target: '/dev' },
    { kind: 'rbind', source: '/sys', target: '/sys' },
    { kind: 'bind-file', source: common.hostsFile, target: '/etc/hosts', readOnly: true },
    { kind: 'bind-file', source: common.pebbleBin, target: WORKLOAD_VIEW.pebbleBin, readOnly: true },
    { kind: 'hostname', name: common.podName },
  ];
}

/** The workload container view: `pebble run --create-dirs --hold` as PID 1, storage at its mount locations. */
export function workloadPlan(
  common: PodCommon,
  layout: ContainerLayout,
  container: PodContainer,
  storage: readonly PodStorage[],
): ViewPlan {
  const steps = base(common, layout);
  steps.push({ kind: 'bind-dir', source: layout.shared, target: WORKLOAD_VIEW.shared });
  for (const mount of container.mounts) {
    const instance = storage.find((s) => s.name === mount.storage);
    if (instance) steps.push({ kind: 'bind-dir', source: instance.hostDir, target: mount.location });
  }
  return { merged: layout.merged, steps, cwd: '/', exec: [WORKLOAD_VIEW.pebbleBin, 'run', '--create-dirs', '--hold'] };
}

/** Environment of a workload container's PID 1, as Juju's pod spec sets it. */
export function workloadEnv(container: string): Record<string, string> {
  return {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: '/root',
    LANG: 'C.UTF-8',
    PEBBLE: WORKLOAD_VIEW.pebbleDir,
    PEBBLE_SOCKET: WORKLOAD_VIEW.pebbleSocket,
    JUJU_CONTAINER_NAME: container,
  };
}

/** Host paths the charm view mounts besides its overlay. */
export interface CharmViewMounts {
  unit: string;
  agentDir: string;
  toolsDir: string;
  runDir: string;
  containers: readonly { name: string; shared: string }[];
  storage: readonly PodStorage[];
}

/**
 * The charm container view: the agent dir (charm + resources), every workload container's shared dir
 * (so `/charm/containers/<c>/pebble.socket` exists), storage, the hook tools and the directory of
 * the hook-tool server socket.
 * Its PID 1 is a Pebble too, as in Juju's charm container, which reaps orphans of hooks.
 */
export function charmViewPlan(common: PodCommon, dirs: OverlayDirs, m: CharmViewMounts): ViewPlan {
  const steps = base(common, dirs);
  steps.push({ kind: 'bind-dir', source: m.agentDir, target: CHARM_VIEW.agentDir(m.unit) });
  steps.push({ kind: 'bind-dir', source: m.toolsDir, target: CHARM_VIEW.toolsDir, readOnly: true });
  steps.push({ kind: 'bind-dir', source: m.runDir, target: CHARM_VIEW.agentRunDir });
  for (const c of m.containers)
    steps.push({ kind: 'bind-dir', source: c.shared, target: CHARM_VIEW.containerDir(c.name) });
  for (const s of m.storage) steps.push({ kind: 'bind-dir', source: s.hostDir, target: s.location });
  return { merged: dirs.merged, steps, cwd: '/var/lib/juju', exec: [CHARM_VIEW.pebbleBin, 'run', '--create-dirs'] };
}

/** Environment of the charm view's PID 1. Hooks do not inherit it: they get exactly their HookSpec env. */
export function charmViewEnv(): Record<string, string> {
  return {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: '/root',
    LANG: 'C.UTF-8',
    PEBBLE: '/charm/pebble',
  };
}
