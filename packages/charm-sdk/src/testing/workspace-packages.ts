/**
 * Workspace packages found by node resolution (the npm workspace links every package under node_modules), the
 * same way an import finds them, so tests reach a package through the graph rather than through the repo layout.
 * The nx graph declares these edges (implicitDependencies) where there is no import.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { CharmError } from '../errors.js';

const require = createRequire(import.meta.url);

const PackageBins = z.object({ bin: z.record(z.string(), z.string()).optional() }).loose();

/**
 * The directory of workspace package `name` (e.g. `@charms/charm-redis`), resolved from node_modules.
 * Throws a {@link CharmError} `workspace-package` when npm has not linked it.
 */
export function packageDir(name: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch (cause) {
    throw new CharmError(
      'workspace-package',
      `cannot resolve the workspace package ${name}: run \`npm ci\` at the repository root so npm links it`,
      { package: name },
      { cause },
    );
  }
}

/** The absolute path of executable `bin` that workspace package `name` declares in its package.json `bin`. */
export function packageBin(name: string, bin: string): string {
  const dir = packageDir(name);
  const file = resolve(dir, 'package.json');
  const parsed = PackageBins.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  const path = parsed.success ? parsed.data.bin?.[bin] : undefined;
  if (path === undefined)
    throw new CharmError('workspace-package', `${file} declares no bin "${bin}" in its "bin" field`, {
      package: name,
      bin,
    });
  return resolve(dir, path);
}
