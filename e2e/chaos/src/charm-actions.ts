/** What the charms on disk declare, so scenarios use a feature as soon as it lands. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageDir } from '@charms/charm-sdk/testing';
import { parse } from 'yaml';

const PACKAGES: Record<string, string> = {
  'redis-k8s': '@charms/charm-redis',
  'redis-sentinel-k8s': '@charms/charm-sentinel',
};

async function charmcraft(
  app: string,
): Promise<{ actions?: Record<string, unknown>; config?: { options?: Record<string, unknown> } }> {
  return parse(await readFile(join(packageDir(PACKAGES[app] as string), 'charmcraft.yaml'), 'utf8'));
}

/** Whether `app`'s charmcraft.yaml declares action `name`. */
export async function hasAction(app: string, name: string): Promise<boolean> {
  return name in ((await charmcraft(app)).actions ?? {});
}

/** Whether `app`'s charmcraft.yaml declares config option `name`. */
export async function hasOption(app: string, name: string): Promise<boolean> {
  return name in ((await charmcraft(app)).config?.options ?? {});
}
