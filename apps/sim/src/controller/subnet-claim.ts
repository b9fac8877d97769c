/**
 * Host-wide claims on pod-address subnets: each model's pods live in 127.<subnet>.0.0/16, and two
 * models running at once (two test files, a test beside `npm run main`) must never share one.
 * A claim is a directory `<registry>/<subnet>` holding the owning model dir's path, renamed into place
 * whole; it is stale once that model dir is gone (destroyed, or a test's temp dir removed) and is
 * then taken over. Limit: two takers of one stale claim racing a third, fresh claimant can displace it.
 */
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const FIRST = 1;
const LAST = 254;

/** Where claims live: `$CHARM_SIM_SUBNETS`, else /run/charm-sim/subnets (cleared on reboot, like the pods). */
export function subnetRegistry(): string {
  return process.env['CHARM_SIM_SUBNETS'] ?? '/run/charm-sim/subnets';
}

async function ownerOf(dir: string): Promise<string | undefined> {
  return readFile(join(dir, 'owner'), 'utf8').then((s) => s.trim(), () => undefined);
}

const isTaken = (err: unknown) => ['EEXIST', 'ENOTEMPTY'].includes((err as NodeJS.ErrnoException).code ?? '');
const scratch = (registry: string, kind: string) => join(registry, `.${kind}-${process.pid}-${randomBytes(6).toString('hex')}`);

async function tryClaim(registry: string, subnet: number, modelDir: string, attempts = 3): Promise<boolean> {
  if (attempts === 0) return false;
  const dir = join(registry, String(subnet));
  // a claim appears whole (dir + owner) by renaming a prepared dir into place, or not at all
  const fresh = scratch(registry, 'claim');
  await mkdir(fresh);
  await writeFile(join(fresh, 'owner'), `${modelDir}\n`);
  try {
    await rename(fresh, dir);
    return true;
  } catch (err) {
    await rm(fresh, { recursive: true, force: true });
    if (!isTaken(err)) throw err;
  }
  const owner = await ownerOf(dir);
  if (owner === modelDir) return true;
  if (owner === undefined) return tryClaim(registry, subnet, modelDir, attempts - 1);
  if (existsSync(owner)) return false;
  // take over a stale claim: move it aside, and put it back if someone else's fresh claim was moved
  const aside = scratch(registry, 'stale');
  try {
    await rename(dir, aside);
  } catch {
    return tryClaim(registry, subnet, modelDir, attempts - 1);
  }
  if ((await ownerOf(aside)) !== owner) {
    await rename(aside, dir).catch(() => undefined);
    return false;
  }
  await rm(aside, { recursive: true, force: true });
  return tryClaim(registry, subnet, modelDir, attempts - 1);
}

/**
 * Claims a subnet for `modelDir`: `preferred` first (a model keeps its addresses across controller
 * restarts), else the lowest free one.
 * @throws Error when all 254 subnets are held by live models.
 */
export async function claimSubnet(modelDir: string, preferred?: number): Promise<number> {
  const registry = subnetRegistry();
  const owner = resolve(modelDir);
  await mkdir(registry, { recursive: true });
  if (preferred !== undefined && (await tryClaim(registry, preferred, owner))) return preferred;
  for (let subnet = FIRST; subnet <= LAST; subnet++) {
    if (await tryClaim(registry, subnet, owner)) return subnet;
  }
  throw new Error(`cannot claim a pod subnet: all of 127.${FIRST}-${LAST}.0.0/16 are held by live models (see ${registry}); destroy one`);
}

/** Releases `subnet` if `modelDir` holds it. */
export async function releaseSubnet(modelDir: string, subnet: number): Promise<void> {
  const dir = join(subnetRegistry(), String(subnet));
  if ((await ownerOf(dir)) === resolve(modelDir)) await rm(dir, { recursive: true, force: true });
}
