/** Charm refresh, resources and pod churn. */
import {
  type Charm,
  isoNow,
  type Change,
  type Effect,
  type OpOptions,
  JujuModelError,
  type Model,
  type QueuedHook,
  clone,
  getApp,
  getUnit,
  unitsOf,
} from '@charms/juju-model';
import { buildResources, freshContainers } from './deploy.js';

/**
 * Asks the runtime to recreate pods that run an old app generation and are ready for it (in
 * place): not running a hook, and either never started or already stopped for the refresh.
 */
export function reconcilePods(m: Model, effects: Effect[]): void {
  for (const u of Object.values(m.units)) {
    const app = m.apps[u.app];
    if (!app || u.generation === app.generation || u.awaitingPod || u.hookRunning !== null || u.life !== 'alive')
      continue;
    if (u.started) continue;
    u.awaitingPod = true;
    effects.push({ type: 'recreate-pod', unit: u.name });
  }
}

/**
 * Switches the app to a new charm. Each started unit runs stop on its old pod; the runtime then
 * recreates the pod (effect `recreate-pod`) and calls markPodRecreated, after which the unit runs
 * upgrade-charm -> config-changed -> leader-settings-changed (non-leaders) -> start -> pebble-ready.
 */
export function refreshCharm(model: Model, app: string, charm: Charm, o?: OpOptions): Change {
  const m = clone(model);
  const a = getApp(m, app);
  if (charm.meta.name !== a.charm.meta.name) {
    throw new JujuModelError(
      'bad-charm',
      `cannot refresh ${app} to charm "${charm.meta.name}": it runs "${a.charm.meta.name}" and a refresh keeps the charm name`,
      { app },
    );
  }
  a.charm = charm;
  a.charmRevision += 1;
  a.generation += 1;
  for (const k of Object.keys(a.config)) if (!(k in charm.config)) delete a.config[k];
  a.resources = buildResources(charm, app, {}, a.resources);
  const effects: Effect[] = [
    {
      type: 'log',
      entry: {
        time: isoNow(o),
        unit: '',
        hook: '',
        level: 'INFO',
        logger: 'juju.model',
        message: `refreshing ${app} to charm revision ${a.charmRevision}`,
      },
    },
    { type: 'wake', units: unitsOf(m, app).map((u) => u.name) },
  ];
  reconcilePods(m, effects);
  return { model: m, effects };
}

/** Attaches a resource (host path or image) and rolls the app's pods like refresh. */
export function attachResource(model: Model, app: string, name: string, path: string, o?: OpOptions): Change {
  const m = clone(model);
  const a = getApp(m, app);
  a.resources = buildResources(a.charm, app, { [name]: path }, a.resources);
  a.generation += 1;
  const effects: Effect[] = [
    {
      type: 'log',
      entry: {
        time: isoNow(o),
        unit: '',
        hook: '',
        level: 'INFO',
        logger: 'juju.model',
        message: `attached resource ${name} to ${app} (revision ${a.resources[name]?.revision})`,
      },
    },
    { type: 'wake', units: unitsOf(m, app).map((u) => u.name) },
  ];
  reconcilePods(m, effects);
  return { model: m, effects };
}

/**
 * The unit's pod was recreated (kill-pod, or after refresh's stop): a fresh charm dir and no
 * Pebble boot id handled. An installed unit queues upgrade-charm -> config-changed ->
 * leader-settings-changed (non-leaders) -> start; no install and no relation joined.
 */
export function markPodRecreated(model: Model, unit: string, o?: OpOptions): Change {
  const m = clone(model);
  const u = getUnit(m, unit);
  const a = getApp(m, u.app);
  u.awaitingPod = false;
  u.generation = a.generation;
  u.charmRevision = a.charmRevision;
  u.containers = freshContainers(a.charm);
  u.workloadEvents = [];
  u.hookRunning = null;
  if (u.agentStatus.status === 'executing') u.agentStatus = { status: 'idle', message: '', since: isoNow(o) };
  if (u.installed && u.life === 'alive') {
    u.started = false;
    const queue: QueuedHook[] = [
      { hook: 'upgrade-charm', chain: 'upgrade' },
      { hook: 'config-changed', chain: 'upgrade' },
    ];
    if (a.leader !== unit) queue.push({ hook: 'leader-settings-changed', chain: 'upgrade' });
    queue.push({ hook: 'start', chain: 'upgrade' });
    u.queue = queue;
  }
  return {
    model: m,
    effects: [
      {
        type: 'log',
        entry: {
          time: isoNow(o),
          unit,
          hook: '',
          level: 'INFO',
          logger: 'juju.model',
          message: `pod of ${unit} recreated`,
        },
      },
      { type: 'wake', units: [unit] },
    ],
  };
}
