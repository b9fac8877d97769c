import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
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

  /** Holds the registry lock from another process (util-linux flock); resolves once it is held. */
  async function holdLock(): Promise<ReturnType<typeof spawn>> {
    await mkdir(join(root, 'registry'), { recursive: true });
    // its own process group, so a test can kill every process that holds the lock at once
    const holder = spawn(
      'flock',
      ['--exclusive', join(root, 'registry', '.lock'), 'sh', '-c', 'echo held && exec cat >/dev/null'],
      { stdio: ['pipe', 'pipe', 'inherit'], detached: true },
    );
    await once(holder.stdout!, 'data');
    return holder;
  }

  /** Resolves once a `flock` process other than `except` waits on the registry lock. */
  async function waiterAppears(except: number): Promise<void> {
    const lock = join(root, 'registry', '.lock');
    for (let i = 0; i < 500; i++) {
      for (const pid of await readdir('/proc')) {
        if (!/^\d+$/.test(pid) || Number(pid) === except) continue;
        const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
        if (cmd.startsWith('flock\0') && cmd.includes(lock)) return;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('no claimant waited on the lock within 5 s');
  }

  it('waits while another process holds the registry lock, and claims once it is released', async () => {
    const holder = await holdLock();
    let released = false;
    const claimed = claimSubnet(await modelDir('waiting')).then((s) => ({ s, released }));
    await waiterAppears(holder.pid!);
    released = true;
    holder.stdin!.end();
    expect(await claimed).toEqual({ s: 1, released: true });
  });

  it('a lock holder whose processes are all SIGKILLed leaves the registry usable', async () => {
    const holder = await holdLock();
    const claimed = claimSubnet(await modelDir('after-kill'));
    await waiterAppears(holder.pid!);
    process.kill(-holder.pid!, 'SIGKILL');
    expect(await claimed).toBe(1);
  });

  it("does not take a live model's preferred subnet", async () => {
    const live = await modelDir('live');
    const held = await claimSubnet(live);
    expect(await claimSubnet(await modelDir('late'), held)).not.toBe(held);
  });
});
