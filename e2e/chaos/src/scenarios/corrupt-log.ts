/**
 * Corrupt event-log lines on one replica unit, one kind at a time while the cluster is at rest:
 * (a) a garbage line appended at the tail (a torn write), (b) a line in the middle altered so its
 * JSON still parses but its digest is wrong, (c) a line in the middle that is not JSON. A config
 * change (then its reset) runs hooks on the unit. Expected: the unit is not in error once the model
 * settles, a torn tail is cut and reported, mid-log damage is moved aside (kept, not deleted) and
 * named in a debug-log warning, the hooks converge, `charm-replay verify` of the repaired log passes,
 * a canary acknowledged by `WAIT 2` before is on every unit after, and one master is at rest.
 */
import { execFile } from 'node:child_process';
import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageBin } from '@charms/charm-sdk/testing';
import { stopAndCheck } from '../checks.js';
import { REDIS_UNITS, type Cluster } from '../cluster.js';
import { newResult, type ScenarioResult } from '../result.js';
import { Writer } from '../writer.js';

const run = promisify(execFile);

/** The three kinds of damage and the debug-log line each must leave. */
type Kind = 'torn-tail' | 'bad-digest' | 'not-json';
const KINDS: readonly Kind[] = ['torn-tail', 'bad-digest', 'not-json'];
const NAMED: Record<Kind, RegExp> = {
  'torn-tail': /cut \d+ torn bytes from segment-\d+\.jsonl at line \d+/,
  'bad-digest': /event log corrupt \(corrupt-record: [a-z-]+\) at segment-\d+\.jsonl line \d+/,
  'not-json': /event log corrupt \(corrupt-record: [a-z-]+\) at segment-\d+\.jsonl line \d+/,
};

const newestSegment = async (dir: string): Promise<string> => {
  const names = (await readdir(dir)).filter((f) => /^segment-\d+\.jsonl$/.test(f)).sort();
  const last = names.at(-1);
  if (last === undefined) throw new Error(`no segment in ${dir}`);
  return last;
};
const damagedFiles = async (dir: string) => (await readdir(dir)).filter((f) => f.includes('.damaged-'));

/** A line with one digit of its `time` flipped: still JSON, digest wrong. */
function flipDigit(line: string): string {
  const m = /"time":"(\d)/.exec(line);
  if (m === null) throw new Error('no time field to alter in the record');
  const at = m.index + m[0].length - 1;
  const out = `${line.slice(0, at)}${m[1] === '1' ? '2' : '1'}${line.slice(at + 1)}`;
  JSON.parse(out);
  return out;
}

/** Damages `segment` in `dir` as `kind` says; returns the 1-based line touched. */
async function corrupt(dir: string, segment: string, kind: Kind): Promise<number> {
  const file = join(dir, segment);
  const text = await readFile(file, 'utf8');
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (kind === 'torn-tail') {
    await appendFile(file, '{"seq":999999,"type":"hook","pay');
    return lines.length + 1;
  }
  if (lines.length < 3) throw new Error(`${segment} has only ${lines.length} lines`);
  const target = Math.floor(lines.length / 2);
  lines[target] = kind === 'bad-digest' ? flipDigit(lines[target] as string) : 'this is not json {"seq":';
  await writeFile(file, `${lines.join('\n')}\n`);
  return target + 1;
}

async function verify(cluster: Cluster, unit: string): Promise<{ ok: boolean; out: string }> {
  return run(packageBin('@charms/replay', 'charm-replay'), ['verify', '--unit', unit, '--model', cluster.sim.dir], {
    maxBuffer: 16 << 20,
  }).then(
    (o) => ({ ok: true, out: o.stdout }),
    (e: Error & { stdout?: string; stderr?: string }) => ({ ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
  );
}

const last = (s: string) => s.trim().split('\n').slice(-2).join(' ');

export async function corruptLogScenario(cluster: Cluster): Promise<ScenarioResult> {
  const r = newResult('corrupt-log');
  const prefix = `chaos:corrupt-log:${Date.now()}`;
  const writer = new Writer(cluster, prefix).start();
  const canaries: string[] = [];
  let ok = true;
  const fail = (note: string) => {
    ok = false;
    r.notes.push(`FAIL: ${note}`);
  };
  const settle = () => cluster.sim.cli(['wait', '--timeout', '120s'], 150_000);
  try {
    const primary = await cluster.atRest();
    const unit = REDIS_UNITS.find((u) => u !== primary) as string;
    const dir = join(cluster.sim.charmDir(unit), '.event-log');
    for (const kind of KINDS) {
      await settle();
      await cluster.atRest();
      const canary = `${prefix}:canary:${kind}`;
      const replicas = await cluster.withRedis(primary, async (c) => {
        await c.set(canary, kind);
        return Number(await c.call('WAIT', '2', '2000'));
      });
      if (replicas < 2) fail(`${kind}: canary acknowledged by ${replicas} replicas, not 2`);
      canaries.push(canary);
      const damagedBefore = await damagedFiles(dir);
      const linesBefore = (await cluster.sim.debugLog()).length;
      const segment = await newestSegment(dir);
      const line = await corrupt(dir, segment, kind);
      r.faults += 1;
      await cluster.sim.cli(['config', 'redis-k8s', 'loglevel=verbose']);
      await settle();
      await cluster.sim.cli(['config', 'redis-k8s', '--reset', 'loglevel']);
      await settle();
      const status = (await cluster.sim.status()).applications['redis-k8s']?.units[unit]?.['workload-status'];
      const loglevel = await cluster.withRedis(unit, async (c) => ((await c.config('GET', 'loglevel')) as string[])[1]);
      const named = (await cluster.sim.debugLog())
        .slice(linesBefore)
        .find((l) => l.unit === unit && NAMED[kind].test(l.message));
      const kept = (await damagedFiles(dir)).filter((f) => !damagedBefore.includes(f));
      const verified = await verify(cluster, unit);
      r.notes.push(
        `${kind} at ${unit} ${segment} line ${line}: status ${status?.current}: ${status?.message}; ` +
          `loglevel after reset ${loglevel}; kept aside ${JSON.stringify(kept)}; ` +
          `debug-log: ${named === undefined ? 'NONE' : `${named.level} ${named.hook}: ${named.message.slice(0, 400)}`}; ` +
          `charm-replay verify ${verified.ok ? 'passed' : 'FAILED'}: ${last(verified.out)}`,
      );
      if (status?.current === 'error') fail(`${kind}: ${unit} in error`);
      if (loglevel !== 'notice') fail(`${kind}: hooks did not converge (loglevel ${loglevel})`);
      if (named === undefined) fail(`${kind}: no debug-log line names the damage`);
      if (kind !== 'torn-tail' && kept.length === 0) fail(`${kind}: nothing kept aside`);
      if (kind === 'torn-tail' && kept.length > 0) fail(`${kind}: a torn tail moved files aside`);
      for (const f of kept) await readFile(join(dir, f)).catch(() => fail(`${kind}: ${f} not readable`));
      if (!verified.ok) fail(`${kind}: charm-replay verify failed`);
      r.runs += 1;
    }
  } finally {
    await cluster.sim.cli(['config', 'redis-k8s', '--reset', 'loglevel']).catch(() => undefined);
    await settle().catch(() => undefined);
    const check = await stopAndCheck(cluster, writer, prefix, r);
    for (const u of REDIS_UNITS) {
      const values = await cluster.withRedis(u, (c) => (canaries.length ? c.mget(...canaries) : Promise.resolve([])));
      const missing = values.filter((v) => v === null).length;
      if (missing > 0) fail(`${missing} canaries missing on ${u}`);
    }
    r.outcome = ok && r.runs === KINDS.length && check.lost === 0 && check.mastersAtRest === 1 ? 'pass' : 'fail';
  }
  return r;
}
