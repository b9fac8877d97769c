import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JujuModelError } from '@charms/juju-model';

/** The repository root: this file is apps/sim/{src,dist}/runtime/paths.{ts,js}. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The Pebble binary pods run: `$PEBBLE_BIN`, else the repo's tools/bin/pebble (installed by setup). */
export function pebbleBin(env: NodeJS.ProcessEnv = process.env): string {
  return env['PEBBLE_BIN'] || resolve(REPO_ROOT, 'tools/bin/pebble');
}

/** The jujuc hook-tool client: `$JUJUC_BIN`, else the repo's tools/bin/jujuc (built by setup). */
export function jujucBin(env: NodeJS.ProcessEnv = process.env): string {
  return env['JUJUC_BIN'] || resolve(REPO_ROOT, 'tools/bin/jujuc');
}

/** Fails with the fix when a binary setup installs is missing. */
export function requireBinary(path: string, what: string): string {
  if (!existsSync(path)) {
    throw new JujuModelError(
      'missing-binary',
      `cannot find ${what} at ${path}: run \`npm run setup\` (or set ${what === 'pebble' ? 'PEBBLE_BIN' : 'JUJUC_BIN'})`,
      { path },
    );
  }
  return path;
}

/** The default model directory, relative to the working directory. */
export const DEFAULT_MODEL_DIR = '.charm-sim';

/** The model dir from `--model-dir`, else `$CHARM_SIM_DIR`, else `.charm-sim`, made absolute. */
export function resolveModelDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag || env['CHARM_SIM_DIR'] || DEFAULT_MODEL_DIR);
}
