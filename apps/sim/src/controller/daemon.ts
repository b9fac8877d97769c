import { connect } from 'node:net';
import { mkdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createModel } from '../model/api.js';
import { modelLayout, type ModelLayout } from '../pods/layout.js';
import { reapRecordedPods } from '../pods/pod.js';
import { reapModelNetwork, startModelNetwork } from '../pods/pod-network.js';
import { processStartTime } from '../pods/namespace-process.js';
import { jujucBin, pebbleBin, requireBinary } from '../runtime/paths.js';
import { prepareToolsDir } from '../runtime/tools-dir.js';
import { Controller } from './controller.js';
import { DebugLog } from './debug-log.js';
import { handle } from './operations.js';
import { startRpcServer } from './rpc-server.js';
import { ControllerPid } from './protocol.js';
import { Settings } from './settings.js';
import { loadModel, ModelStore, writeAtomic } from './store.js';
import { claimSubnet, releaseSubnet } from './subnet-claim.js';

/** True when something answers on the controller socket. */
export function socketAlive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/** The settings file merged with explicit overrides (overrides win and are persisted). */
async function loadSettings(layout: ModelLayout, overrides: Partial<Settings>): Promise<Settings> {
  const path = join(layout.root, 'settings.json');
  let stored: unknown = {};
  try {
    stored = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    // first start
  }
  const settings = Settings.parse({ ...(stored as object), ...overrides });
  await writeAtomic(path, JSON.stringify(settings, null, 2));
  return settings;
}

/**
 * Makes the pid file ours: created exclusively, or taken over when the controller it names is gone
 * (its pid is dead or now another process). False when a live controller holds it.
 */
async function claimPidFile(path: string): Promise<boolean> {
  const mine = JSON.stringify({ pid: process.pid, start: (await processStartTime(process.pid)) ?? 0 });
  try {
    await writeFile(path, mine, { flag: 'wx' });
    return true;
  } catch {
    // exists: is its owner alive?
  }
  try {
    const owner = ControllerPid.parse(JSON.parse(await readFile(path, 'utf8')));
    if (owner.pid !== process.pid && (await processStartTime(owner.pid)) === owner.start) return false;
  } catch {
    // unreadable: a torn write of a dead controller
  }
  await writeAtomic(path, mine);
  return true;
}

/**
 * The controller process: owns the model dir until `destroy` or SIGTERM. Logs go to stderr, which the
 * CLI points at `<model-dir>/controller.log`.
 */
export async function runDaemon(modelDir: string, overrides: Partial<Settings>): Promise<void> {
  const layout = modelLayout(modelDir);
  await mkdir(layout.root, { recursive: true });
  if (!(await claimPidFile(layout.controllerPid)) || (await socketAlive(layout.controllerSocket))) {
    console.error(`charm-sim controller: another controller serves ${layout.root}; exiting`);
    return;
  }
  await unlink(layout.controllerSocket).catch(() => undefined);
  const settings = await loadSettings(layout, overrides);
  const loaded = await loadModel(layout.state);
  const subnet = await claimSubnet(layout.root, loaded?.subnet);
  if (loaded && loaded.subnet !== subnet) {
    console.error(
      `charm-sim controller: subnet 127.${loaded.subnet}.0.0/16 is held by another model; this model's pods keep their recorded addresses`,
    );
  }
  const model = loaded ?? createModel({ name: settings.modelName, subnet });
  const reaped = await reapRecordedPods(layout);
  if (reaped.length > 0)
    console.error(`charm-sim controller: killed pods left by a previous controller: ${reaped.join(', ')}`);
  const network = { holder: await startModelNetwork(layout.network, layout.root, model.subnet), subnet: model.subnet };
  await prepareToolsDir(layout.tools, requireBinary(jujucBin(), 'jujuc'));
  const pebble = requireBinary(pebbleBin(), 'pebble');
  const store = new ModelStore(layout.state);
  store.save(model);
  const log = new DebugLog(layout.debugLog);
  const controller = new Controller(model, { layout, settings, pebbleBin: pebble, network, store, log });
  await controller.start();
  log.model('INFO', `controller started (pid ${process.pid}) for model ${model.name}`);

  const server = await startRpcServer(layout.controllerSocket, async (req, progress) => {
    if (req.method !== 'destroy') {
      const result = await handle(controller, layout, req, progress);
      // A reply means the model file and debug log already hold what the request did (tools read them next).
      await controller.persisted();
      return result;
    }
    progress('destroying the model: killing every pod');
    await controller.stop();
    return { destroyed: layout.root };
  });
  let stopping: Promise<void> | undefined;
  const shutdown = (destroy: boolean) =>
    (stopping ??= (async () => {
      await controller.stop();
      await reapModelNetwork(layout.network);
      await log.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (destroy) {
        await rm(layout.root, { recursive: true, force: true });
        await releaseSubnet(layout.root, model.subnet);
      } else await unlink(layout.controllerPid).catch(() => undefined);
      console.error(`charm-sim controller: ${destroy ? 'model destroyed' : 'stopped'}`);
    })());

  server.on('connection', (socket) => {
    socket.on('close', () => {
      if (stopping === undefined && controller.isStopped) void shutdown(true).then(() => process.exit(0));
    });
  });
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const)
    process.on(sig, () => void shutdown(false).then(() => process.exit(0)));
  process.on('uncaughtException', (error) => {
    console.error(`charm-sim controller: uncaught ${error.stack ?? String(error)}`);
    void shutdown(false).then(() => process.exit(1));
  });
}
