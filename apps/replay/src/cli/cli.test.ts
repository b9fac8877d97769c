import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, writeRedisLog } from '../testing-fixtures/logs.js';

const BIN = fileURLToPath(new URL('../../bin/charm-replay', import.meta.url));

/** Runs the real `charm-replay` executable. */
function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, args, { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

describe('charm-replay (the executable)', () => {
  it('prints the timeline as JSON for tools and answers why in text', async () => {
    await writeRedisLog(dir);
    const json = await run(['timeline', dir, '--json']);
    expect(json.code).toBe(0);
    const entries = JSON.parse(json.stdout) as { seq: number; changed: string[] }[];
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const text = await run(['why', 'status', dir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('At seq 9 it last changed at seq 8');
    expect(text.stdout).toContain('config.enable-tls: false -> true');
  });

  it('says what is wrong in one line, exit 2 for usage and 1 for a failure, never a stack trace', async () => {
    await writeRedisLog(dir);
    const badSeq = await run(['state', dir, '--at', 'x']);
    expect(badSeq.code).toBe(2);
    expect(badSeq.stderr).toBe(
      'charm-replay: cannot read --at "x": must be a number; give a record\'s seq (see charm-replay timeline)\n',
    );
    const missing = await run(['verify', path.join(dir, 'missing')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^charm-replay: cannot read .*missing: it is not a directory; pass a log directory or a charm directory holding \.event-log\/\n$/,
    );
    const unknown = await run(['rewind', dir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'rewind'");
    for (const r of [badSeq, missing, unknown]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('writes a self-contained HTML timeline', async () => {
    await writeRedisLog(dir);
    const out = path.join(dir, 'timeline.html');
    const result = await run(['html', dir, '-o', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^wrote .*timeline\.html \(9 records, \d+ KiB\)\n$/);
    const html = await readFile(out, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|src=/i);
    expect(html).toContain('id="seq-8"');
    expect(html).toContain('config.enable-tls');
  });
});
