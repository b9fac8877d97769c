import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let out: string | undefined;

function bench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      ['--conditions', '@charms/source', '--import', 'tsx', 'bench/run.ts', ...args],
      { cwd: ROOT, timeout: 600_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

afterAll(async () => {
  if (out !== undefined) await rm(out, { recursive: true, force: true });
});

describe('npm run bench --smoke (tiny sizes, proves every part runs; measures nothing)', () => {
  it('runs the event-log part and writes a report with its table, chart and raw numbers', async () => {
    out = await mkdtemp(path.join(os.tmpdir(), 'bench-smoke-test-'));
    const r = await bench(['event-log', '--smoke', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const md = await readFile(path.join(out, 'REPORT.md'), 'utf8');
    expect(md).toContain('## Event log');
    expect(md).toMatch(/\| 2,000 \| \*\*[\d.]+\*\*/);
    expect(md).toContain('smoke run');
    expect(await readFile(path.join(out, 'report', 'event-log-fold.svg'), 'utf8')).toMatch(/^<svg/);
    const json = JSON.parse(await readFile(path.join(out, 'report', 'report.json'), 'utf8'));
    expect(json.parts[0].data.sizes).toEqual([100, 2000]);
  }, 600_000);

  it('refuses an unknown part and a bad --rounds with the flag named and the usage', async () => {
    const a = await bench(['no-such-part', '--smoke']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/no part named no-such-part\nusage: npm run bench/);
    const b = await bench(['--rounds', 'x']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/^bench: --rounds: /);
  });
});
