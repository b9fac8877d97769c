import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventLogReader } from '@charms/event-log';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CharmMeta } from '../meta/schema.js';
import { readCharmDocs } from '../pack/charm-files.js';
import { exampleCharm } from '../testing-fixtures/example-charm/src/definition.js';
import { runEvent } from '../testing/harness.js';
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
