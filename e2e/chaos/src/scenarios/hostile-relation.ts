/**
 * Hostile relation data: a test charm (hostile-charm/, /bin/sh, one unit) related to redis-k8s's
 * `sentinel` endpoint (as a sentinel app would be) and its `redis` endpoint (as a client) writes a
 * 1 MiB value, newlines carrying redis.conf and sentinel.conf directives, wrong JSON and a unit
 * address that is no IP into its unit and app bags, and a fake failover report (`primary-address`,
 * newer `failover-epoch`) per variant. redis-sentinel-k8s has no endpoint a requirer can join (its
 * only relation is `redis`, a requirer with limit 1), so it is reached only through redis-k8s.
 * While a writer runs through Sentinel, after each input: no unit of either charm in error and every
 * redis-server and sentinel service active (no restart loop), no hostile value in any redis.conf or
 * sentinel.conf, clients' `sentinel-endpoints` exactly the real sentinels, the primary the one from
 * before and followed by both replicas, one master, and the expected outcome (the warning naming
 * the refused value, or the report ignored). Last, the primary's pod is killed while the hostile app
 * sits on the sentinel relation: the returning primary must not stay fenced by units that are no
 * sentinels. The relations and hostile units are removed, then every acknowledged write is checked.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PebbleClient } from '@charms/pebble-client';
import { packageDir, until } from '@charms/charm-sdk/testing';
import { z } from 'zod';
import { stopAndCheck } from '../checks.js';
import { REDIS_UNITS, SENTINEL_UNITS, type Cluster } from '../cluster.js';
import { newResult, type ScenarioResult } from '../result.js';
import { Writer } from '../writer.js';

const APP = 'redis-hostile';
const UNITS = 1;
const CHARM = join(packageDir('@charms/chaos-e2e'), 'hostile-charm');
const RELATIONS: Array<[string, string]> = [
  [`${APP}:sentinel`, 'redis-k8s:sentinel'],
  [`${APP}:redis`, 'redis-k8s:redis'],
];
const ADDRESS_REFUSED = 'must be an IP address or a host name';

/** One fake failover report the hostile app publishes (its `variant` option) and what must come of it. */
export interface HostileVariant {
  variant: string;
  label: string;
  /** A fragment of redis-k8s's warning that refuses it, or null when it is ignored without one. */
  warning: string | null;
}

/** The fake failover reports; every variant also carries the fixed hostile values in every bag. */
export const VARIANTS: readonly HostileVariant[] = [
  // "not-an-ip" is a valid host name: it passes the address check and names no unit
  { variant: 'not-an-ip', label: 'primary-address a host name of no unit ("not-an-ip")', warning: null },
  { variant: 'outside-model', label: 'primary-address outside the model (203.0.113.7)', warning: null },
  {
    variant: 'hostile-unit',
    label: "primary-address of a hostile unit (in the model, not redis-k8s's)",
    warning: null,
  },
  {
    variant: 'newline',
    label: 'primary-address followed by a newline and a slaveof directive',
    warning: `\\nslaveof 127.0.0.1 1" ${ADDRESS_REFUSED}`,
  },
  {
    variant: 'wrong-json',
    label: 'wrong JSON in primary-address and failover-epoch',
    warning: 'is not a non-negative integer',
  },
];

/** Text of the hostile bags that must never reach redis.conf or sentinel.conf. */
const INJECTED = ['slaveof 127.0.0.1 1', 'not-an-ip', '203.0.113.7', '203.0.113.8', 'evil', 'requirepass ""', 'AAAA'];

const CONF: Record<string, [string, string, string]> = {
  'redis-k8s': ['redis', '/etc/redis/redis.conf', 'redis-server'],
  'redis-sentinel-k8s': ['sentinel', '/etc/redis-sentinel/sentinel.conf', 'sentinel'],
};

/** A unit's rendered conf file and whether its service is active (read through its Pebble). */
async function workload(cluster: Cluster, unit: string): Promise<{ conf: string; active: boolean }> {
  const [container, path, service] = CONF[unit.split('/')[0] as string] as [string, string, string];
  const pebble = new PebbleClient({ socketPath: cluster.sim.pebbleSocket(unit, container) });
  try {
    const chunks: Buffer[] = [];
    for await (const c of await pebble.pull(path)) chunks.push(Buffer.from(c as Buffer));
    const [svc] = await pebble.getServices({ names: [service] });
    return { conf: Buffer.concat(chunks).toString('utf8'), active: svc?.current === 'active' };
  } finally {
    await pebble.close();
  }
}

const Relations = z.object({
  relations: z.record(
    z.string(),
    z.object({
      endpoints: z.array(z.object({ app: z.string(), endpoint: z.string() }).loose()),
      appData: z.record(z.string(), z.record(z.string(), z.string())),
    }),
  ),
});

/** What redis-k8s wrote for clients on the hostile app's `redis` relation (model.json). */
async function clientBag(cluster: Cluster): Promise<Record<string, string>> {
  const model = Relations.parse(JSON.parse(await readFile(join(cluster.sim.dir, 'model.json'), 'utf8')));
  const rel = Object.values(model.relations).find((r) =>
    r.endpoints.some((e) => e.app === APP && e.endpoint === 'redis'),
  );
  return rel?.appData['redis-k8s'] ?? {};
}

/** Units of the two charms in error, with their messages, and the redis units still fenced. */
async function unhealthy(cluster: Cluster): Promise<string[]> {
  const apps = (await cluster.sim.status()).applications;
  return ['redis-k8s', 'redis-sentinel-k8s'].flatMap((a) =>
    Object.entries(apps[a]?.units ?? {})
      .filter(([, u]) => u['workload-status'].current === 'error' || /fenced/.test(u['workload-status'].message ?? ''))
      .map(([n, u]) => `${n} ${u['workload-status'].current} (${u['workload-status'].message ?? ''})`),
  );
}

/** Whether `text` names `address` as a whole address (127.0.0.1 is not in 127.0.0.10). */
function holdsAddress(text: string, address: string): boolean {
  const escaped = address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^0-9A-Za-z.-])${escaped}($|[^0-9A-Za-z.-])`, 'm').test(text);
}

/** What went wrong once an input settled ([] when nothing). */
async function check(cluster: Cluster, primary: string, hostile: readonly string[]): Promise<string[]> {
  const wrong: string[] = [];
  const bad = await unhealthy(cluster);
  if (bad.length) wrong.push(`unhealthy: ${bad.join(', ')}`);
  for (const unit of [...REDIS_UNITS, ...SENTINEL_UNITS]) {
    const w = await workload(cluster, unit).catch((e: Error) => ({ conf: '', active: false, error: e.message }));
    if ('error' in w) wrong.push(`${unit}: unreadable (${w.error})`);
    else if (!w.active) wrong.push(`${unit}: service not active`);
    for (const s of INJECTED) if (w.conf.includes(s)) wrong.push(`${unit}'s conf holds "${s}"`);
    for (const a of hostile) if (holdsAddress(w.conf, a)) wrong.push(`${unit}'s conf names hostile ${a}`);
  }
  const expected = SENTINEL_UNITS.map((u) => `${cluster.address[u] as string}:26379`).join(',');
  const endpoints = (await clientBag(cluster))['sentinel-endpoints'];
  if (endpoints !== expected) wrong.push(`clients' sentinel-endpoints ${JSON.stringify(endpoints?.slice(0, 200))}`);
  const at = await cluster.atRest(60_000).catch((e: Error) => `not at rest: ${e.message.slice(0, 300)}`);
  if (at !== primary) wrong.push(`primary at rest ${at}, before ${primary}`);
  const masters = await cluster.mastersNow();
  if (masters !== 1) wrong.push(`${masters} masters`);
  for (const [unit, info] of Object.entries(await cluster.replicationInfo())) {
    const host = /^master_host:(.*)$/m.exec(info)?.[1]?.trim();
    if (unit !== primary && host !== cluster.address[primary]) wrong.push(`${unit} replicates ${host ?? '(nothing)'}`);
  }
  return wrong;
}

/** redis-k8s's warnings in debug-log from line `from` on that refuse hostile relation data. */
async function warnings(cluster: Cluster, from = 0): Promise<string[]> {
  return (await cluster.sim.debugLog())
    .slice(from)
    .filter((l) => l.unit.startsWith('redis-k8s/') && /warn/i.test(l.level) && /ignoring /.test(l.message))
    .map((l) => l.message);
}

/** Waits (bounded) for a warning holding `fragment` from debug-log line `from` on; the warning or null. */
async function warned(cluster: Cluster, from: number, fragment: string): Promise<string | null> {
  return until(
    `a redis-k8s warning holding ${fragment}`,
    async () => (await warnings(cluster, from)).find((m) => m.includes(fragment)),
    60_000,
    500,
  ).catch(() => null);
}

/** One input's line in the result: as expected or FAIL with what went wrong. */
function note(r: ScenarioResult, label: string, expected: string, wrong: string[]): boolean {
  r.notes.push(
    `${wrong.length === 0 ? 'held as expected' : 'FAIL'}: ${label} -> ${expected}${
      wrong.length ? `; ${wrong.join('; ')}` : ''
    }`,
  );
  return wrong.length === 0;
}

/** Deploys the hostile charm, relates it, runs every input while writing, then removes it and checks. */
export async function hostileRelationScenario(
  cluster: Cluster,
  variants: readonly HostileVariant[] = VARIANTS,
): Promise<ScenarioResult> {
  const r = newResult('hostile-relation');
  const prefix = `chaos:hostile-relation:${Date.now()}`;
  let primary = await cluster.atRest();
  const writer = new Writer(cluster, prefix).start();
  const inputs = variants.length + 2;
  let held = 0;
  let removed = false;
  try {
    const logFrom = (await cluster.sim.debugLog()).length;
    await cluster.sim.cli(['deploy', CHARM, '-n', String(UNITS), '--config', `variant=${variants[0]?.variant}`]);
    for (const [a, b] of RELATIONS) await cluster.sim.cli(['relate', a, b]);
    await cluster.sim.cli(['wait', '--timeout', '300s'], 330_000);
    await cluster.refreshAddresses();
    const hostile = [...Array(UNITS).keys()].map((i) => cluster.address[`${APP}/${i}`] ?? `${APP}/${i}`);
    // the fixed values every bag carries: a unit address with a newline, beside 1 MiB and wrong JSON
    r.faults += 1;
    const addressWarning = await warned(cluster, logFrom, `ignoring the address of ${APP}/0 on sentinel:`);
    const fixed = await check(cluster, primary, hostile);
    if (addressWarning === null) fixed.push('no warning refused the unit address');
    const expectFixed = `unit address refused ("${ADDRESS_REFUSED}"), 1 MiB and wrong-JSON keys unread`;
    if (note(r, 'unit bags: 1 MiB value, newline address, wrong JSON, a newline password', expectFixed, fixed))
      held += 1;
    for (const [i, v] of variants.entries()) {
      r.faults += 1;
      const from = (await cluster.sim.debugLog()).length;
      if (i > 0) {
        await cluster.sim.cli(['config', APP, `variant=${v.variant}`]);
        await cluster.sim.cli(['wait', '--timeout', '180s'], 210_000);
      }
      const wrong: string[] = [];
      if (v.warning !== null && (await warned(cluster, i > 0 ? from : logFrom, v.warning)) === null)
        wrong.push(`no warning holding ${v.warning}`);
      wrong.push(...(await check(cluster, primary, hostile).catch((e: Error) => [`aborted: ${e.message}`])));
      const expected = v.warning === null ? 'ignored: names no unit of redis-k8s' : `refused: "${v.warning}"`;
      if (note(r, `fake failover report, ${v.label}`, expected, wrong)) held += 1;
    }
    // a returning primary while the hostile units sit on the sentinel relation: fenced only until the
    // real sentinels confirm it (the hostile units, not monitoring this master, do not count)
    r.faults += 1;
    const victim = primary;
    await cluster.sim.cli(['kill-pod', victim]);
    primary = await cluster.atRest(150_000);
    const settled = await until(
      'no redis unit fenced or in error',
      async () => ((await unhealthy(cluster)).length === 0 ? true : undefined),
      90_000,
      1000,
    ).catch(async () => (await unhealthy(cluster)).join(', '));
    const acked = writer.stats.acknowledged.length;
    const resumed = await until(
      'acknowledged writes after the kill',
      async () => (writer.stats.acknowledged.length > acked + 10 ? true : undefined),
      30_000,
      250,
    ).catch(() => false);
    const wrong = await check(cluster, primary, hostile);
    if (settled !== true) wrong.push(`still unhealthy: ${settled}`);
    if (resumed !== true) wrong.push('no acknowledged write in 30 s after rest');
    if (
      note(
        r,
        `kill-pod ${victim} (the primary) with ${UNITS} hostile unit${UNITS === 1 ? '' : 's'} related`,
        'writes resume',
        wrong,
      )
    )
      held += 1;
    for (const [a, b] of RELATIONS) await cluster.sim.cli(['remove-relation', a, b]);
    // charm-sim has no remove-application: its units go (departed, broken, stop, remove)
    await cluster.sim.removeUnit(...[...Array(UNITS).keys()].map((i) => `${APP}/${i}`));
    await cluster.sim.cli(['wait', '--timeout', '300s'], 330_000);
    removed = true;
    r.runs = 1;
    const refused = await warnings(cluster, logFrom);
    r.notes.push(`redis-k8s warnings refusing hostile data: ${refused.length}`);
  } finally {
    if (!removed) {
      for (const [a, b] of RELATIONS) await cluster.sim.cli(['remove-relation', a, b]).catch(() => undefined);
      const units = [...Array(UNITS).keys()].map((i) => `${APP}/${i}`);
      await cluster.sim.removeUnit(...units).catch(() => undefined);
      await cluster.sim.cli(['wait', '--timeout', '300s'], 330_000).catch(() => undefined);
    }
    const loss = await stopAndCheck(cluster, writer, prefix, r);
    r.notes.push(`writes attempted ${loss.attempted}, acknowledged ${r.acknowledged}, lost ${loss.lost}`);
  }
  const gone = Object.keys((await cluster.sim.status()).applications[APP]?.units ?? {}).length === 0;
  const after = await unhealthy(cluster);
  if (!gone) r.notes.push(`FAIL: ${APP} units left after removal`);
  if (after.length) r.notes.push(`FAIL: after removal: ${after.join(', ')}`);
  r.notes.push(`held ${held}/${inputs}; primary at rest after removal ${await cluster.atRest()}`);
  r.outcome =
    held === inputs && gone && after.length === 0 && r.lost === 0 && r.primariesAtRest === 1 && r.acknowledged > 0
      ? 'pass'
      : 'fail';
  return r;
}
