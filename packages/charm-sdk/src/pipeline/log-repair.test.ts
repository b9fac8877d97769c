import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventLogReader } from '@charms/event-log';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CharmMeta } from '../meta/schema.js';
import { readCharmDocs } from '../pack/charm-files.js';
import { exampleCharm } from '../testing-fixtures/example-charm/src/definition.js';
import { hookEnv, runEvent } from '../testing/harness.js';
import { FakeHookToolRunner } from '../testing/fake-hook-tool-runner.js';
import { runHook } from './run.js';
import { modelState, type ModelState } from '../testing/model-state.js';

const EXAMPLE = new URL('../testing-fixtures/example-charm', import.meta.url).pathname;
let meta: CharmMeta;
let charmDir: string;
let state: ModelState;
const logDir = () => join(charmDir, '.event-log');

beforeEach(async () => {
  meta = (await readCharmDocs(EXAMPLE)).meta;
  charmDir = await mkdtemp(join(tmpdir(), 'log-repair-'));
  state = modelState({ unit: 'example-k8s/0', leader: true, config: { port: 20123, greeting: 'hello' } });
});
afterEach(async () => {
  await rm(charmDir, { recursive: true, force: true });
});

// no Pebble: every hook records its event and waits, which is all the log needs
const hook = async (name: string) => {
  const r = await runEvent(exampleCharm, {
    event: name,
    state,
    meta,
    charmDir,
    containersRoot: join(charmDir, 'no-containers'),
  });
  state = r.state;
  return r;
};

async function segmentFile(): Promise<string> {
  const segments = (await readdir(logDir())).filter((f) => /^segment-\d+\.jsonl$/.test(f));
  expect(segments).toHaveLength(1);
  return join(logDir(), segments[0] as string);
}

/** Rewrites line `n` (1-based) of the only segment with `edit`. */
async function editLine(n: number, edit: (line: string) => string): Promise<void> {
  const file = await segmentFile();
  const lines = (await readFile(file, 'utf8')).split('\n');
  lines[n - 1] = edit(lines[n - 1] as string);
  await writeFile(file, lines.join('\n'));
}

async function history(): Promise<number> {
  await hook('install');
  for (let i = 0; i < 4; i++) await hook('update-status');
  return (await readFile(await segmentFile(), 'utf8')).split('\n').filter(Boolean).length;
}

/** runHook with the log options the harness does not forward. */
async function runHookIn(
  name: string,
  o: { state: ModelState; meta: CharmMeta; charmDir: string; containersRoot: string; logDir: string } & {
    maxSegmentBytes: number;
    snapshotEvery: number;
  },
) {
  const runner = new FakeHookToolRunner(o.state, undefined);
  const out: string[] = [];
  const run = await runHook(exampleCharm, {
    env: hookEnv({ name }, o.state, o.charmDir),
    runner,
    meta: o.meta,
    logDir: o.logDir,
    containersRoot: o.containersRoot,
    maxSegmentBytes: o.maxSegmentBytes,
    snapshotEvery: o.snapshotEvery,
    stderr: { write: (l: string) => out.push(l) },
  });
  return { run, state: runner.commit(run.exitCode === 0), stderr: out.join('') };
}

const damagedFiles = async () => (await readdir(logDir())).filter((f) => f.includes('.damaged-'));

describe('runHook with a damaged event log', () => {
  it('cuts a torn tail, warns and proceeds', async () => {
    await history();
    await appendFile(await segmentFile(), '{"seq":99,"garbage');
    const r = await hook('update-status');
    expect(r.run.exitCode).toBe(0);
    expect(r.stderr).toMatch(/cut \d+ torn bytes from segment-\d+\.jsonl at line \d+/);
    expect(await damagedFiles()).toEqual([]);
    await expect(
      (await openEventLogReader({ dir: logDir(), schema: exampleCharm.events })).verify(),
    ).resolves.toBeTruthy();
  });

  it.each([
    [
      'a valid JSON line with a wrong digest',
      (l: string) => l.replace(/"update-status"/, '"update-statuz"'),
      'bad-hash',
    ],
    ['a line that is not JSON', () => 'this is not json {', 'unparsable'],
  ])('moves %s aside, names it in a warning, and the hook succeeds', async (_what, edit, reason) => {
    const lines = await history();
    const target = Math.ceil(lines / 2);
    await editLine(target, edit);
    const damaged = await readFile(await segmentFile(), 'utf8');
    const r = await hook('update-status');
    expect(r.run.exitCode).toBe(0);
    expect(r.stderr).toContain(`event log corrupt (corrupt-record: ${reason}) at segment-`);
    expect(r.stderr).toContain(`line ${target}`);
    expect(r.stderr).toContain(`charm-replay verify ${logDir()}`);
    // the damaged segment is kept whole beside the log, nothing deleted
    const [kept, ...more] = await damagedFiles();
    expect(more).toEqual([]);
    expect(await readFile(join(logDir(), kept as string), 'utf8')).toBe(damaged);
    // the repaired log verifies and the next hooks go on appending to it
    expect((await hook('update-status')).run.exitCode).toBe(0);
    const verified = await (await openEventLogReader({ dir: logDir(), schema: exampleCharm.events })).verify();
    expect(verified.lastSeq).toBeGreaterThanOrEqual(target + 1);
    expect(await damagedFiles()).toEqual([kept]);
  });
});

describe('runHook with damage in an older, sealed segment', () => {
  it('finds it in the fold, moves it aside, records the event again and succeeds', async () => {
    const env = { state, meta, charmDir, containersRoot: join(charmDir, 'no-containers') };
    // small segments and no snapshots: the fold reads every segment from the first
    const opts = { ...env, logDir: logDir(), maxSegmentBytes: 1024, snapshotEvery: 1000 };
    const runOne = async (name: string) => {
      const r = await runHookIn(name, opts);
      state = r.state;
      opts.state = state;
      return r;
    };
    const installed = await runOne('install');
    expect(installed.stderr).toBe('');
    for (let i = 0; i < 8; i++) await runOne('update-status');
    const segments = (await readdir(logDir())).filter((f) => /^segment-\d+\.jsonl$/.test(f)).sort();
    expect(segments.length).toBeGreaterThan(2);
    const first = join(logDir(), segments[0] as string);
    const lines = (await readFile(first, 'utf8')).split('\n');
    lines[0] = 'not json';
    await writeFile(first, lines.join('\n'));
    const r = await runOne('update-status');
    expect(r.run.exitCode).toBe(0);
    expect(r.stderr).toContain(`event log corrupt (corrupt-record: unparsable) at ${segments[0]} line 1`);
    const kept = await damagedFiles();
    expect(kept.length).toBeGreaterThanOrEqual(segments.length); // the append may have started one more
    const verified = await (await openEventLogReader({ dir: logDir(), schema: exampleCharm.events })).verify();
    expect(verified.records).toBe(1);
  });
});
