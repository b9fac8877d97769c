/**
 * Host-wide claims on pod-address subnets: each model's pods live in 127.<subnet>.0.0/16, and two
 * models running at once (two test files, a test beside `npm run main`) must never share one.
 * A claim is a directory `<registry>/<subnet>` holding the owning model dir's path; it is stale once
 * that model dir is gone (destroyed, or a test's temp dir removed) and is then taken over. Every
 * claim and release runs under an flock(2) on `<registry>/.lock`, which the kernel drops when its
 * holder dies, so no crash leaves the registry locked and no two claimants see the same free subnet.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const FIRST = 1;
const LAST = 254;
const LOCK_TIMEOUT_S = 30;

/** Where claims live: `$CHARM_SIM_SUBNETS`, else /run/charm-sim/subnets (cleared on reboot, like the pods). */
export function subnetRegistry(): string {
  return process.env['CHARM_SIM_SUBNETS'] ?? '/run/charm-sim/subnets';
}

async function ownerOf(dir: string): Promise<string | undefined> {
  return readFile(join(dir, 'owner'), 'utf8').then(
    (s) => s.trim(),
    () => undefined,
  );
}

/**
 * Runs `fn` holding the registry lock. util-linux `flock` holds it for us: it takes the lock, says
 * so, then waits on its stdin, which closes when we are done or when this process dies.
 */
async function withRegistryLock<T>(registry: string, fn: () => Promise<T>): Promise<T> {
  const lockPath = join(registry, '.lock');
  const holder = spawn(
    'flock',
    ['--exclusive', '--timeout', String(LOCK_TIMEOUT_S), lockPath, 'sh', '-c', 'echo locked && exec cat >/dev/null'],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | null>((res) => holder.once('close', (code) => res(code)));
  let stderr = '';
  holder.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  holder.once('error', (e) => (stderr ||= `cannot run flock: ${e.message}`));
  const locked = await new Promise<boolean>((res) => {
    createInterface({ input: holder.stdout }).once('line', (line) => res(line === 'locked'));
    void exited.then(() => res(false));
  });
  if (!locked) {
    holder.stdin.destroy();
    const code = await exited;
    const why =
      stderr.trim() ||
      (code === 1 ? `held by another process for over ${LOCK_TIMEOUT_S} s` : `flock exited with ${code}`);
    throw new Error(
      `cannot lock the pod subnet registry ${lockPath}: ${why}; install util-linux (flock) or remove a stuck charm-sim process`,
    );
  }
  try {
    return await fn();
  } finally {
    holder.stdin.end();
    await exited;
  }
}

/** Claims `subnet` for `owner` unless a live model holds it; the caller holds the registry lock. */
async function tryClaim(registry: string, subnet: number, owner: string): Promise<boolean> {
  const dir = join(registry, String(subnet));
  const current = await ownerOf(dir);
  if (current === owner) return true;
  if (current !== undefined && existsSync(current)) return false;
  // free, stale, or half-written by a claimant that died (no owner, or a cut path that does not exist)
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  await writeFile(join(dir, 'owner'), `${owner}\n`);
  return true;
}

/**
 * Claims a subnet for `modelDir`: `preferred` first (a model keeps its addresses across controller
 * restarts), else the lowest free one.
 * @throws Error when all 254 subnets are held by live models, or the registry cannot be locked.
 */
export async function claimSubnet(modelDir: string, preferred?: number): Promise<number> {
  const registry = subnetRegistry();
  const owner = resolve(modelDir);
  await mkdir(registry, { recursive: true });
  return withRegistryLock(registry, async () => {
    if (preferred !== undefined && (await tryClaim(registry, preferred, owner))) return preferred;
    for (let subnet = FIRST; subnet <= LAST; subnet++) {
      if (await tryClaim(registry, subnet, owner)) return subnet;
    }
    throw new Error(
      `cannot claim a pod subnet: all of 127.${FIRST}-${LAST}.0.0/16 are held by live models (see ${registry}); destroy one`,
    );
  });
}

/** Releases `subnet` if `modelDir` holds it. */
export async function releaseSubnet(modelDir: string, subnet: number): Promise<void> {
  const registry = subnetRegistry();
  if (!existsSync(registry)) return;
  await withRegistryLock(registry, async () => {
    const dir = join(registry, String(subnet));
    if ((await ownerOf(dir)) === resolve(modelDir)) await rm(dir, { recursive: true, force: true });
  });
}
