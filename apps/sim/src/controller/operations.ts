import { copyFile, cp, mkdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  addUnit,
  attachResource,
  deployApp,
  enqueueAction,
  extractCharm,
  parseActionArgs,
  readCharm,
  refreshCharm,
  relate,
  removeUnit,
  resolveUnit,
  setConfig,
  unrelate,
  JujuModelError,
  type Action,
  type Charm,
} from '../model/api.js';
import { effectiveConfig } from '@charms/juju-model';
import type { ModelLayout } from '../pods/layout.js';
import type { Controller } from './controller.js';
import { charmSnapshotDir } from './pod-manager.js';
import type { Request } from './protocol.js';
import { applyAfterSnapshot } from './apply-after-snapshot.js';
import { buildStatus } from './status.js';

/** Sends a progress line to the client. */
export type Progress = (message: string) => void;

/** Copies a charm (dir or .charm) into the model dir, so later edits of the source do not leak in. */
async function snapshotCharm(layout: ModelLayout, charm: Charm, app: string, revision: number): Promise<void> {
  const dest = charmSnapshotDir(layout, app, revision);
  await rm(dest, { recursive: true, force: true });
  await mkdir(dest, { recursive: true });
  if ((await stat(charm.source)).isDirectory()) await cp(charm.source, dest, { recursive: true });
  else await extractCharm(charm.source, dest);
}

/** Copies an uploaded file resource into the model dir (Juju stores uploads in the controller). */
async function storeResource(layout: ModelLayout, app: string, name: string, path: string): Promise<string> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new JujuModelError(
      'bad-resource',
      `cannot attach resource "${name}": ${path} does not exist; pass name=<path of a readable file>`,
      { resource: name, path },
    );
  }
  if (!info.isFile())
    throw new JujuModelError('bad-resource', `cannot attach resource "${name}": ${path} is not a file`, {
      resource: name,
      path,
    });
  const dir = join(layout.resources, app, name, String(Date.now()));
  await mkdir(dir, { recursive: true });
  const dest = join(dir, basename(path));
  await copyFile(path, dest);
  return dest;
}

async function storeResources(
  layout: ModelLayout,
  charm: Charm,
  app: string,
  given: Record<string, string>,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    out[name] = charm.meta.resources?.[name]?.type === 'file' ? await storeResource(layout, app, name, value) : value;
  }
  return out;
}

function requireUnit(controller: Controller, unit: string): void {
  if (!controller.model.units[unit]) {
    const known = Object.keys(controller.model.units).sort().join(', ') || 'none';
    throw new JujuModelError('unknown-unit', `cannot find unit "${unit}" (units: ${known})`, { unit });
  }
}

/** Waits until action `id` is no longer pending or running, bounded by `timeoutMs`. */
function waitAction(controller: Controller, id: string, timeoutMs: number): Promise<Action> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const a = controller.model.actions[id];
      if (a && a.status !== 'pending' && a.status !== 'running') {
        done();
        resolve(a);
      }
    };
    const stopA = controller.onActionFinished(id, check);
    const stopB = controller.onChange(check);
    const timer = setTimeout(() => {
      done();
      reject(
        new JujuModelError(
          'timeout',
          `cannot get the result of action ${id}: it did not finish within ${timeoutMs} ms; see \`charm-sim debug-log\``,
          { action: id },
        ),
      );
    }, timeoutMs);
    const done = () => {
      stopA();
      stopB();
      clearTimeout(timer);
    };
    check();
  });
}

/** Waits until the model settles; fails at once on errors, and with the reasons after `timeoutMs`. */
export function waitSettled(controller: Controller, timeoutMs: number, progress: Progress): Promise<{ settled: true }> {
  return new Promise((resolve, reject) => {
    let last = '';
    const check = () => {
      const act = controller.activity();
      if (act.errors.length > 0) {
        done();
        reject(
          new JujuModelError('not-settled', `cannot settle the model:\n  ${act.errors.join('\n  ')}`, {
            errors: act.errors,
          }),
        );
      } else if (act.settled) {
        done();
        resolve({ settled: true });
      } else {
        const text = act.busy.join('; ');
        if (text !== last) progress(text);
        last = text;
      }
    };
    const stop = controller.onChange(check);
    const timer = setTimeout(() => {
      done();
      const act = controller.activity();
      reject(
        new JujuModelError(
          'timeout',
          `cannot settle the model within ${timeoutMs} ms; still busy:\n  ${[...act.errors, ...act.busy].join('\n  ')}`,
          {
            busy: act.busy,
            errors: act.errors,
          },
        ),
      );
    }, timeoutMs);
    const done = () => {
      stop();
      clearTimeout(timer);
    };
    check();
  });
}

/** Handles one request (all but `destroy`, which the daemon handles). */
export async function handle(
  controller: Controller,
  layout: ModelLayout,
  req: Request,
  progress: Progress,
): Promise<unknown> {
  const m = () => controller.model;
  switch (req.method) {
    case 'ping':
      return { pid: process.pid, model: m().name };
    case 'deploy': {
      const charm = await readCharm(req.charm);
      const name = req.app ?? charm.meta.name;
      const resources = await storeResources(layout, charm, name, req.resources);
      const opts = {
        charm,
        name,
        units: req.units,
        config: req.config,
        resources,
        ...(req.trust ? { trust: true } : {}),
      };
      await applyAfterSnapshot(
        controller,
        () => deployApp(m(), opts),
        name,
        (rev) => snapshotCharm(layout, charm, name, rev),
      );
      progress(`deployed ${name} (${charm.meta.name}) with ${req.units} unit${req.units === 1 ? '' : 's'}`);
      return {
        app: name,
        units: Object.values(controller.model.units)
          .filter((u) => u.app === name)
          .map((u) => u.name),
      };
    }
    case 'add-unit': {
      const before = new Set(Object.keys(m().units));
      controller.apply(addUnit(m(), req.app, req.count));
      return { units: Object.keys(m().units).filter((u) => !before.has(u)) };
    }
    case 'remove-unit':
      for (const unit of req.units) controller.apply(removeUnit(m(), unit));
      return { removing: req.units };
    case 'config': {
      if (Object.keys(req.set).length > 0) controller.apply(setConfig(m(), req.app, req.set));
      if (!m().apps[req.app])
        throw new JujuModelError('unknown-app', `cannot find application "${req.app}"`, { app: req.app });
      return effectiveConfig(m(), req.app);
    }
    case 'relate': {
      const change = relate(m(), req.a, req.b);
      controller.apply(change);
      return { relationId: change.relationId };
    }
    case 'unrelate':
      controller.apply(unrelate(m(), req.a, req.b));
      return {};
    case 'run': {
      requireUnit(controller, req.unit);
      const change = enqueueAction(m(), req.unit, req.action, parseActionArgs(req.args));
      controller.apply(change);
      progress(`Running operation ${change.actionId} on ${req.unit}`);
      return await waitAction(controller, change.actionId, req.timeoutMs);
    }
    case 'attach-resource': {
      const app = m().apps[req.app];
      if (!app) throw new JujuModelError('unknown-app', `cannot find application "${req.app}"`, { app: req.app });
      const path = await storeResources(layout, app.charm, req.app, { [req.name]: req.path });
      controller.apply(attachResource(m(), req.app, req.name, path[req.name] ?? req.path));
      return {};
    }
    case 'refresh': {
      const charm = await readCharm(req.charm);
      const change = await applyAfterSnapshot(
        controller,
        () => refreshCharm(m(), req.app, charm),
        req.app,
        (rev) => snapshotCharm(layout, charm, req.app, rev),
      );
      return { revision: change.model.apps[req.app]?.charmRevision };
    }
    case 'resolved':
      requireUnit(controller, req.unit);
      controller.clearRetry(req.unit);
      controller.apply(resolveUnit(m(), req.unit, { retry: req.retry }));
      return {};
    case 'status':
      return buildStatus(m(), controller.facts(), layout.root);
    case 'kill-pod':
      requireUnit(controller, req.unit);
      progress(`killing the pod of ${req.unit}`);
      await controller.killPod(req.unit);
      return {};
    case 'wait':
      return waitSettled(controller, req.timeoutMs, progress);
    case 'destroy':
      throw new JujuModelError('bad-request', 'cannot destroy from here: the daemon handles destroy');
  }
}
