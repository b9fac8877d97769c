import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigValue } from '../hook-tools/config.js';
import { secrets } from '../logging/secret-registry.js';
import { loadCharmMeta } from '../meta/load.js';
import { FakeHookToolRunner } from '../testing/fake-hook-tool-runner.js';
import { modelState } from '../testing/model-state.js';
import type { CharmDefinition, CharmEventDefinitions, DesiredBase, OutcomeBase } from './definition.js';
import { runHook, type HookRun } from './run.js';

/**
 * Runs one update-status through the pipeline against an in-memory model, a throw-away log and no
 * Pebble, while a startup snapshot is being built: the functions a hook runs are then compiled in
 * the snapshot instead of on every dispatch. Leaves nothing behind.
 */
export async function warmSnapshot<D extends CharmEventDefinitions, S, P extends DesiredBase, O extends OutcomeBase>(
  charm: CharmDefinition<D, S, P, O>,
  env: Record<string, string | undefined> = process.env,
): Promise<HookRun> {
  const dir = await mkdtemp(join(tmpdir(), 'charm-warm-'));
  try {
    const charmDir = env['JUJU_CHARM_DIR'] ?? env['CHARM_DIR'] ?? dir;
    const unit = env['JUJU_UNIT_NAME'] ?? 'warm-up/0';
    const config: Record<string, ConfigValue> = {};
    const meta = await loadCharmMeta(charmDir).catch(() => undefined);
    for (const [name, option] of Object.entries(meta?.config ?? {}))
      if (option.default !== undefined && option.default !== null) config[name] = option.default;
    const bindings = Object.keys({
      ...meta?.metadata.peers,
      ...meta?.metadata.provides,
      ...meta?.metadata.requires,
      'juju-info': null,
    });
    const runner = new FakeHookToolRunner(
      modelState({ unit, config, addresses: Object.fromEntries(bindings.map((b) => [b, '127.0.0.1'])) }),
    );
    return await runHook(charm, {
      env: {
        JUJU_DISPATCH_PATH: 'hooks/update-status',
        JUJU_HOOK_NAME: 'update-status',
        JUJU_CONTEXT_ID: 'warm-up',
        JUJU_CHARM_DIR: charmDir,
        JUJU_UNIT_NAME: unit,
        JUJU_MODEL_NAME: env['JUJU_MODEL_NAME'] ?? 'warm-up',
        JUJU_MODEL_UUID: env['JUJU_MODEL_UUID'] ?? '00000000-0000-4000-8000-000000000000',
        JUJU_VERSION: env['JUJU_VERSION'] ?? '3.6.8',
      },
      runner,
      logDir: join(dir, 'log'),
      containersRoot: join(dir, 'containers'),
      stderr: { write: () => true },
      ...(meta === undefined ? {} : { meta }),
    });
  } finally {
    secrets.clear();
    await rm(dir, { recursive: true, force: true });
  }
}
