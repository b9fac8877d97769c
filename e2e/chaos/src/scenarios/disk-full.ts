/**
 * The event log's disk full: a small tmpfs (holding a copy of the log) is mounted over one unit's
 * `.event-log` dir and filled to the last byte; a config change then makes the unit's hook fail.
 * Expected: the hook fails with an error naming the full disk (debug-log), the unit's status says
 * the hook failed, no corrupt record is left (`charm-replay verify`), and once space returns the
 * retried hook converges. The tmpfs is unmounted in a finally, its contents copied back.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { packageBin, until } from '@charms/charm-sdk/testing';
import { stopAndCheck } from '../checks.js';
import type { Cluster } from '../cluster.js';
import { newResult, type ScenarioResult } from '../result.js';
import { Writer } from '../writer.js';

const run = promisify(execFile);

/** Bytes used under `dir` (du, apparent size rounded up to blocks). */
async function usedBytes(dir: string): Promise<number> {
  const { stdout } = await run('du', ['-sb', dir]);
  return Number(stdout.split(/\s/)[0]);
}

/** Writes zeros into `file` until the filesystem refuses with ENOSPC; returns the bytes written. */
async function fill(file: string): Promise<number> {
  const h = await open(file, 'w');
  const chunk = Buffer.alloc(4096);
  let n = 0;
  try {
    for (;;) {
      const { bytesWritten } = await h.write(chunk, 0, chunk.length);
      n += bytesWritten;
      if (bytesWritten < chunk.length) break;
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    await h.close();
  }
  return n;
}

/** PID 1 of a unit's charm view (the pod's pid record), whose mount namespace the charm sees. */
async function charmViewPid(cluster: Cluster, unit: string): Promise<number> {
  const podDir = dirname(dirname(cluster.sim.charmDir(unit)));
  const rec = JSON.parse(await readFile(join(podDir, 'pids.json'), 'utf8')) as { label: string; pid1: number }[];
  const pid = rec.find((v) => v.label === 'charm')?.pid1;
  if (pid === undefined) throw new Error(`no charm view in ${podDir}/pids.json`);
  return pid;
}

/** Runs `args` in the charm view's mount namespace and root (the view chroots into its overlay). */
const inView = (pid: number, args: string[]) => run('nsenter', ['-t', String(pid), '-m', '-r', ...args]);

/** Mounts a tmpfs of `bytes` over the view's `dir` (seen from the host at `hostDir`), carrying its contents over. */
async function mountSmall(pid: number, dir: string, hostDir: string, bytes: number, stash: string): Promise<void> {
  await run('cp', ['-a', `${hostDir}/.`, stash]);
  await inView(pid, ['mount', '-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'chaos-event-log', dir]);
  await run('cp', ['-a', `${stash}/.`, hostDir]);
}

/** Copies the tmpfs contents back under the mount point and unmounts it. */
async function unmountSmall(pid: number, dir: string, hostDir: string, stash: string): Promise<void> {
  const { stdout } = await inView(pid, ['findmnt', '-n', '-o', 'SOURCE', dir]).catch(() => ({ stdout: '' }));
  if (!stdout.includes('chaos-event-log')) return;
  await rm(stash, { recursive: true, force: true });
  await run('cp', ['-a', `${hostDir}/.`, stash]);
  await inView(pid, ['umount', dir]);
  await run('find', [hostDir, '-mindepth', '1', '-delete']);
  await run('cp', ['-a', `${stash}/.`, hostDir]);
}

/** `charm-replay verify` of the log the charm sees (`hostDir`: the view's log dir seen from the host). */
async function verifyLog(hostDir: string): Promise<{ ok: boolean; out: string }> {
  return run(packageBin('@charms/replay', 'charm-replay'), ['verify', hostDir, '--charm', 'redis-k8s'], {
    maxBuffer: 16 << 20,
  }).then(
    (o) => ({ ok: true, out: o.stdout }),
    (e: Error & { stdout?: string; stderr?: string }) => ({ ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
  );
}

const last = (s: string) => s.trim().split('\n').slice(-2).join(' ');

export async function diskFullScenario(cluster: Cluster, unit = 'redis-k8s/2'): Promise<ScenarioResult> {
  const r = newResult('event-log-disk-full');
  const prefix = `chaos:disk-full:${Date.now()}`;
  const writer = new Writer(cluster, prefix).start();
  const pid = await charmViewPid(cluster, unit);
  const logDir = `/var/lib/juju/agents/unit-${unit.replace('/', '-')}/charm/.event-log`;
  // the view's mounts, reached from the host through the view's root
  const hostDir = `/proc/${pid}/root${logDir}`;
  const stash = await mkdtemp(join(tmpdir(), 'chaos-event-log-'));
  const filler = join(hostDir, 'filler');
  const statusOf = async () => (await cluster.sim.status()).applications['redis-k8s']?.units[unit]?.['workload-status'];
  let errorSeen = false;
  let verifyOk = false;
  let converged = false;
  try {
    await cluster.atRest();
    await cluster.sim.cli(['wait', '--timeout', '120s'], 150_000);
    const used = await usedBytes(hostDir);
    const size = Math.ceil((used + (256 << 10)) / 4096) * 4096;
    await mountSmall(pid, logDir, hostDir, size, stash);
    const filled = await fill(filler);
    r.faults += 1;
    r.notes.push(`tmpfs of ${size} B over ${unit}'s event log (${used} B used), filled with ${filled} B`);
    await cluster.sim.cli(['config', 'redis-k8s', 'loglevel=verbose']);
    const failed = await until(
      `${unit} in error after its hook met the full disk`,
      async () => {
        const s = await statusOf();
        return s?.current === 'error' ? s : undefined;
      },
      90_000,
      100,
    );
    const lines = await cluster.sim.debugLog();
    const cause = lines
      .filter((l) => l.unit === unit)
      .reverse()
      .find((l) => /ENOSPC|no space left/i.test(l.message));
    errorSeen = cause !== undefined;
    r.notes.push(`status while full: ${failed.current}: ${failed.message}`);
    r.notes.push(
      `debug-log: ${cause === undefined ? 'NO line names the full disk' : `${cause.level} ${cause.hook}: ${cause.message.slice(0, 300)}`}`,
    );
    const whileFull = await verifyLog(hostDir);
    r.notes.push(`charm-replay verify while full: ${whileFull.ok ? 'passed' : 'FAILED'}: ${last(whileFull.out)}`);
    const t = Date.now();
    await rm(filler, { force: true });
    await until(
      `${unit} active with loglevel verbose after space returned`,
      async () => {
        const s = await statusOf();
        if (s?.current !== 'active') return undefined;
        const v = await cluster.withRedis(unit, async (c) => ((await c.config('GET', 'loglevel')) as string[])[1]);
        return v === 'verbose' ? true : undefined;
      },
      180_000,
      250,
    );
    converged = true;
    r.notes.push(`converged ${Math.round((Date.now() - t) / 1000)} s after space returned (hook retry backoff)`);
    const after = await verifyLog(hostDir);
    verifyOk = whileFull.ok && after.ok;
    r.notes.push(`charm-replay verify after recovery: ${after.ok ? 'passed' : 'FAILED'}: ${last(after.out)}`);
    r.runs = 1;
  } finally {
    await rm(filler, { force: true }).catch(() => undefined);
    await cluster.sim.cli(['config', 'redis-k8s', '--reset', 'loglevel']).catch(() => undefined);
    await cluster.sim.cli(['wait', '--timeout', '120s'], 150_000).catch(() => undefined);
    await unmountSmall(pid, logDir, hostDir, stash).catch((e: Error) =>
      r.notes.push(`cannot unmount the tmpfs: ${e.message}`),
    );
    await rm(stash, { recursive: true, force: true }).catch(() => undefined);
    const check = await stopAndCheck(cluster, writer, prefix, r);
    r.outcome = errorSeen && verifyOk && converged && check.lost === 0 && check.mastersAtRest === 1 ? 'pass' : 'fail';
  }
  return r;
}
