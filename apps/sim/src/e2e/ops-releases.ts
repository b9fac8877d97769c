/**
 * The pinned Python `ops` releases the ops fixture charm runs under, and how a test deploys the charm with one.
 * scripts/setup.sh installs each into its own `--target` dir; the charm imports whichever its `lib` points at.
 */
import { cp, mkdtemp, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../runtime/paths.js';
import { TEST_CHARMS } from './harness.js';

/** One pinned ops release and the directory setup installs it into. */
export interface OpsRelease {
  version: string;
  lib: string;
}

/**
 * ops 3.9.0 (today's 3.x, reads JUJU_STORAGE_ID) and 2.3.0 (a 2.x still pinned in production; in a storage
 * hook it parses the `-s` default out of `storage-get --help`).
 */
export const OPS_RELEASES: readonly OpsRelease[] = [
  { version: '3.9.0', lib: resolve(REPO_ROOT, 'tools/python/lib') },
  { version: '2.3.0', lib: resolve(REPO_ROOT, 'tools/python/ops2/lib') },
];

/** Whether setup installed exactly this release into its dir (its dist-info is there). */
export function isInstalled(release: OpsRelease): Promise<boolean> {
  return stat(join(release.lib, `ops-${release.version}.dist-info`)).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** The ops version a lib dir imports (`ops/version.py`), to prove which one the charm gets. */
export async function installedVersion(lib: string): Promise<string | undefined> {
  const text = await readFile(join(lib, 'ops/version.py'), 'utf8').catch(() => '');
  return /^version\s*(?::\s*str\s*)?=\s*['"]([^'"]+)['"]/m.exec(text)?.[1];
}

/**
 * A copy of test-charms/ops-charm in a fresh temp dir whose `lib` is an absolute symlink to `release.lib`
 * (pods see the host root, so it resolves there too). Returns the dir and a cleanup.
 */
export async function opsCharmWith(release: OpsRelease): Promise<{ dir: string; remove: () => Promise<void> }> {
  const parent = await mkdtemp(join(tmpdir(), `ops-charm-${release.version}-`));
  const dir = join(parent, 'ops-charm');
  await cp(join(TEST_CHARMS, 'ops-charm'), dir, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (src) => src !== join(TEST_CHARMS, 'ops-charm', 'lib') && !src.includes('__pycache__'),
  });
  await symlink(release.lib, join(dir, 'lib'));
  return { dir, remove: () => rm(parent, { recursive: true, force: true }) };
}
