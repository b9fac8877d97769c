import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimSubnet, releaseSubnet } from './subnet-claim.js';

describe('pod subnet claims', () => {
  let root: string;
  let saved: string | undefined;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'sim-subnets-'));
    saved = process.env['CHARM_SIM_SUBNETS'];
    process.env['CHARM_SIM_SUBNETS'] = join(root, 'registry');
  });
  afterEach(async () => {
    if (saved === undefined) delete process.env['CHARM_SIM_SUBNETS'];
    else process.env['CHARM_SIM_SUBNETS'] = saved;
    await rm(root, { recursive: true, force: true });
  });

  async function modelDir(name: string): Promise<string> {
    const dir = join(root, name);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  it('gives concurrent models distinct subnets, and a model its own subnet again', async () => {
    for (let round = 0; round < 5; round++) {
      process.env['CHARM_SIM_SUBNETS'] = join(root, `registry-${round}`);
      const dirs = await Promise.all(Array.from({ length: 12 }, (_, i) => modelDir(`r${round}-m${i}`)));
      const subnets = await Promise.all(dirs.map((d) => claimSubnet(d)));
      expect(new Set(subnets).size).toBe(12);
      expect(await claimSubnet(dirs[1]!, subnets[1])).toBe(subnets[1]);
    }
  });

  it('concurrent claimants beside a stale claim all get distinct subnets', async () => {
    const gone = await modelDir('gone-before');
    await claimSubnet(gone);
    await rm(gone, { recursive: true });
    const dirs = await Promise.all(Array.from({ length: 8 }, (_, i) => modelDir(`c${i}`)));
    const subnets = await Promise.all(dirs.map((d) => claimSubnet(d)));
    expect(new Set(subnets).size).toBe(8);
  });

  it('takes over the claim of a model dir that is gone, and frees a released one', async () => {
    const gone = await modelDir('gone');
    const first = await claimSubnet(gone);
    await rm(gone, { recursive: true });
    expect(await claimSubnet(await modelDir('next'))).toBe(first);

    const other = await modelDir('other');
    const held = await claimSubnet(other);
    await releaseSubnet(other, held);
    expect(await readdir(join(root, 'registry'))).not.toContain(String(held));
  });

  it('does not take a live model\'s preferred subnet', async () => {
    const live = await modelDir('live');
    const held = await claimSubnet(live);
    expect(await claimSubnet(await modelDir('late'), held)).not.toBe(held);
  });
});
