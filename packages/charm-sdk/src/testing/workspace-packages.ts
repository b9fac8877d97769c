/**
 * Workspace packages found by node resolution (the npm workspace links every package under node_modules), the
 * same way an import finds them, so tests reach a package through the graph rather than through the repo layout.
 * The nx graph declares these edges (implicitDependencies) where there is no import.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';

const require = createRequire(import.meta.url);

const PackageBins = z.object({ bin: z.record(z.string(), z.string()).optional() }).loose();

/** Error of {@link packageDir} and {@link packageBin}: the package or its bin cannot be found. */
export class WorkspacePackageError extends Error {
  readonly code = 'workspace-package-not-found';
  override readonly name = 'WorkspacePackageError';
}

/** The directory of workspace package `name` (e.g. `@charms/charm-redis`), resolved from node_modules. */
export function packageDir(name: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch (cause) {
    throw new WorkspacePackageError(
      `cannot resolve the workspace package ${name}: run \`npm ci\` at the repository root so npm links it`,
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
  if (path === undefined) throw new WorkspacePackageError(`${file} declares no bin "${bin}" in its "bin" field`);
  return resolve(dir, path);
}
