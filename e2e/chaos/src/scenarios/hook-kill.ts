/**
 * A hook SIGKILLed in the middle of its reconcile: the config-changed hook of one unit is killed
 * right after its event is durable in the log (the record step is done, the reconcile under way).
 * The retried hook must converge (the new setting live, status active) and `charm-replay verify`
 * of the unit's event log must pass. Writes run throughout.
 */
import { execFile } from 'node:child_process';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageBin, until } from '@charms/charm-sdk/testing';
import { stopAndCheck } from '../checks.js';
import type { Cluster } from '../cluster.js';
import { newResult, type ScenarioResult } from '../result.js';
import { Writer } from '../writer.js';

const run = promisify(execFile);

async function logBytes(dir: string): Promise<number> {
  let n = 0;
  for (const f of await readdir(dir, { recursive: true }).catch(() => [] as string[]))
    n += (await stat(join(dir, f)).catch(() => null))?.size ?? 0;
  return n;
}

/** The pid of the charm process running `hook` for `unit`, if one is running. */
async function hookPid(unit: string, hook: string): Promise<number | undefined> {
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const env = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
    if (!env.includes(`JUJU_UNIT_NAME=${unit}\0`) || !env.includes(`JUJU_HOOK_NAME=${hook}\0`)) continue;
    const argv = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    // the bundled node runs the charm (dist/charm.mjs or its startup snapshot)
    if (/(^|\/)node$/.test(argv.split('\0')[0] ?? '')) return Number(pid);
  }
  return undefined;
}

export async function hookKillScenario(cluster: Cluster, unit = 'redis-k8s/1'): Promise<ScenarioResult> {
  const r = newResult('hook-sigkill');
  const prefix = `chaos:hook-kill:${Date.now()}`;
  const writer = new Writer(cluster, prefix).start();
  const logDir = join(cluster.sim.charmDir(unit), '.event-log');
  try {
    await cluster.atRest();
    const before = await logBytes(logDir);
    await cluster.sim.cli(['config', 'redis-k8s', 'loglevel=verbose']);
    const pid = await until(
      `${unit}'s config-changed hook with its event recorded`,
      async () => {
        const p = await hookPid(unit, 'config-changed');
        return p !== undefined && (await logBytes(logDir)) > before ? p : undefined;
      },
      60_000,
      5,
    );
    process.kill(pid, 'SIGKILL');
    r.faults += 1;
    r.notes.push(`SIGKILLed ${unit}'s config-changed hook (pid ${pid}) after its event was recorded`);
    await cluster.sim.cli(['wait', '--timeout', '120s'], 150_000);
    const status = (await cluster.sim.status()).applications['redis-k8s']?.units[unit]?.['workload-status'];
    const loglevel = await cluster.withRedis(unit, async (c) => ((await c.config('GET', 'loglevel')) as string[])[1]);
    r.notes.push(`after the retry: status ${status?.current}: ${status?.message}; loglevel ${loglevel}`);
    const verify = await run(
      packageBin('@charms/replay', 'charm-replay'),
      ['verify', '--unit', unit, '--model', cluster.sim.dir],
      { maxBuffer: 16 << 20 },
    ).then(
      (o) => ({ ok: true, out: o.stdout }),
      (e: Error & { stdout?: string; stderr?: string }) => ({ ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
    );
    r.notes.push(
      `charm-replay verify: ${verify.ok ? 'passed' : 'FAILED'}: ${verify.out.trim().split('\n').slice(-2).join(' ')}`,
    );
    r.runs = 1;
    r.outcome = status?.current === 'active' && loglevel === 'verbose' && verify.ok ? 'pass' : 'fail';
  } finally {
    await cluster.sim.cli(['config', 'redis-k8s', '--reset', 'loglevel']).catch(() => undefined);
    await cluster.sim.cli(['wait', '--timeout', '120s'], 150_000).catch(() => undefined);
    const check = await stopAndCheck(cluster, writer, prefix, r);
    if (check.lost > 0 || check.mastersAtRest !== 1) r.outcome = 'fail';
  }
  return r;
}
