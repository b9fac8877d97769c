/**
 * Host-wide claims on pod-address subnets: each model's pods live in 127.<subnet>.0.0/16, and two
 * models running at once (two test files, a test beside `npm run main`) must never share one.
 * A claim is a directory `<registry>/<subnet>` (mkdir is atomic) holding the owning model dir's path;
 * it is stale once that model dir is gone (destroyed, or a test's temp dir removed), and is then taken over.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
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

function isStale(owner: string | undefined): boolean {
  // an unreadable owner is a claim torn by a crash between mkdir and write
  return owner === undefined || !existsSync(owner);
}

async function tryClaim(registry: string, subnet: number, modelDir: string): Promise<boolean> {
  const dir = join(registry, String(subnet));
  try {
    await mkdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const owner = await ownerOf(dir);
    if (owner === modelDir) return true;
    if (!isStale(owner)) return false;
    await rm(dir, { recursive: true, force: true });
    // whoever wins the next mkdir owns it
    return tryClaim(registry, subnet, modelDir).catch(() => false);
  }
  await writeFile(join(dir, 'owner'), `${modelDir}\n`);
  return true;
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
