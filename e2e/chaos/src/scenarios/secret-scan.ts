/**
 * Secret scan: both passwords searched in every process's argv, every Pebble plan, every pod file
 * readable beyond its owner (mode other than 0600), the debug-log, relation data and every event log,
 * before and (when redis-k8s has a `set-password` action) after a rotation.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PebbleClient } from '@charms/pebble-client';
import { REDIS_UNITS, SENTINEL_UNITS, type Cluster } from '../cluster.js';
import { newResult, type ScenarioResult } from '../result.js';
import { hasAction } from '../charm-actions.js';

/** Where a secret was found. */
export interface Finding {
  secret: 'admin' | 'sentinel';
  where: string;
}

const CONTAINERS: Record<string, string> = { 'redis-k8s': 'redis', 'redis-sentinel-k8s': 'sentinel' };

async function* walk(dir: string): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

/** Every place a secret must not be, as [label, text] pairs. */
async function* surfaces(cluster: Cluster): AsyncGenerator<[string, string]> {
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const argv = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (argv) yield [`argv of pid ${pid} (${argv.split('\0')[0]})`, argv.replace(/\0/g, ' ')];
  }
  for (const unit of [...REDIS_UNITS, ...SENTINEL_UNITS]) {
    const container = CONTAINERS[unit.split('/')[0] as string] as string;
    const pebble = new PebbleClient({ socketPath: cluster.sim.pebbleSocket(unit, container) });
    try {
      yield [`Pebble plan of ${unit}`, JSON.stringify(await pebble.getPlan())];
    } finally {
      await pebble.close();
    }
  }
  const podsDir = join(cluster.sim.dir, 'pods');
  for await (const file of walk(podsDir)) {
    const s = await stat(file).catch(() => null);
    if (!s || s.size > 8 << 20) continue;
    const eventLog = file.includes('/.event-log/');
    if ((s.mode & 0o777) === 0o600 && !eventLog) continue;
    yield [
      `${eventLog ? 'event log' : `file mode ${(s.mode & 0o777).toString(8)}`} ${file.slice(podsDir.length + 1)}`,
      await readFile(file, 'latin1'),
    ];
  }
  yield ['debug-log', await readFile(join(cluster.sim.dir, 'debug-log.jsonl'), 'utf8')];
  const model = JSON.parse(await readFile(join(cluster.sim.dir, 'model.json'), 'utf8')) as { relations?: unknown };
  yield ['relation data (model.json relations)', JSON.stringify(model.relations ?? {})];
}

/** Scans every surface for both passwords. */
export async function scanSecrets(cluster: Cluster): Promise<{ findings: Finding[]; surfaces: number }> {
  const findings: Finding[] = [];
  let n = 0;
  const secrets = { admin: cluster.adminPassword, sentinel: cluster.sentinelPassword } as const;
  for await (const [where, text] of surfaces(cluster)) {
    n += 1;
    for (const [name, value] of Object.entries(secrets))
      if (value.length >= 8 && text.includes(value)) findings.push({ secret: name as Finding['secret'], where });
  }
  return { findings, surfaces: n };
}

/** The scan as a scenario: before, and after `set-password` when the charm has it. */
export async function secretScanScenario(cluster: Cluster): Promise<ScenarioResult> {
  const r = newResult('secret-scan');
  if (cluster.adminPassword.length < 16 || cluster.sentinelPassword.length < 16)
    throw new Error('the passwords read from the actions are too short to scan for');
  const before = await scanSecrets(cluster);
  r.runs += 1;
  r.notes.push(`before rotation: ${before.surfaces} surfaces scanned, ${before.findings.length} findings`);
  const findings = [...before.findings];
  if (await hasAction('redis-k8s', 'set-password')) {
    const old = cluster.adminPassword;
    // the action runs on the leader only, and leadership may have moved in the scenarios before
    const units = Object.entries((await cluster.sim.status()).applications['redis-k8s']?.units ?? {});
    const leader = units.find(([, u]) => u.leader)?.[0];
    if (!leader) throw new Error('no leader among the redis-k8s units: cannot rotate the admin password');
    const rotated = await cluster.sim.action(leader, 'set-password');
    r.notes.push(`set-password on ${leader}: ${JSON.stringify(rotated['leader-unit'])}`);
    await cluster.sim.cli(['wait', '--timeout', '120s']);
    cluster.adminPassword = String((await cluster.sim.action(leader, 'get-initial-admin-password'))['password']);
    const after = await scanSecrets(cluster);
    r.runs += 1;
    r.notes.push(
      `after rotation (${old === cluster.adminPassword ? 'password unchanged!' : 'password changed'}): ${after.surfaces} surfaces scanned, ${after.findings.length} findings`,
    );
    findings.push(...after.findings);
  } else {
    r.notes.push('after rotation: not run, redis-k8s has no set-password action on main yet (runs once it does)');
  }
  for (const f of findings.slice(0, 20)) r.notes.push(`FOUND ${f.secret} password in ${f.where}`);
  r.lost = null;
  r.outcome = findings.length === 0 ? 'pass' : 'fail';
  return r;
}
