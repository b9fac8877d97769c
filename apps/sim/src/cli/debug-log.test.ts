import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatLine, matches, readFrom, type DebugLogEntry } from './debug-log.js';

const entry = (over: Partial<DebugLogEntry>): DebugLogEntry => ({
  time: '2026-01-02T03:04:05.000Z',
  unit: 'app/0',
  hook: 'install',
  level: 'INFO',
  logger: 'unit.app/0.juju-log',
  message: 'hello',
  ...over,
});

describe('debug-log', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('formats lines like juju debug-log, with the hook', () => {
    expect(formatLine(entry({}))).toBe('unit-app-0: 03:04:05 INFO unit.app/0.juju-log install: hello');
    expect(formatLine(entry({ logger: 'unit.app/0.install', level: 'WARNING', message: 'oops' }))).toBe(
      'unit-app-0: 03:04:05 WARNING unit.app/0.install oops',
    );
  });

  it('filters by unit or app and by minimum level', () => {
    expect(matches(entry({}), { units: ['app'] })).toBe(true);
    expect(matches(entry({}), { units: ['app/1'] })).toBe(false);
    expect(matches(entry({}), { units: ['ap'] })).toBe(false);
    expect(matches(entry({ level: 'DEBUG' }), { level: 'INFO' })).toBe(false);
    expect(matches(entry({ level: 'ERROR' }), { level: 'WARNING' })).toBe(true);
  });

  it('reads whole lines only and resumes after a torn tail', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-debuglog-'));
    dirs.push(dir);
    const path = join(dir, 'log.jsonl');
    const line = JSON.stringify(entry({ message: 'one' }));
    await writeFile(path, line + '\n' + line.slice(0, 10));
    const first = await readFrom(path, 0);
    expect(first.entries.map((e) => e.message)).toEqual(['one']);
    await appendFile(path, line.slice(10) + '\n');
    const second = await readFrom(path, first.offset);
    expect(second.entries.map((e) => e.message)).toEqual(['one']);
  });
});
