import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { captureOutput, MAX_LINE, TRUNCATED_MARKER } from './output-capture.js';

describe('captureOutput', () => {
  it('keeps multi-byte characters whole when a chunk boundary splits them', () => {
    const lines: string[] = [];
    const capture = captureOutput((l) => lines.push(l));
    const bytes = Buffer.from('héllo ✓ wörld 🙂\nnext ✓');
    // every split point, including inside the 2-, 3- and 4-byte sequences
    for (let cut = 1; cut < bytes.length; cut++) {
      lines.length = 0;
      const c = captureOutput((l) => lines.push(l));
      c.push(bytes.subarray(0, cut));
      c.push(bytes.subarray(cut));
      expect(c.end()).toBe('héllo ✓ wörld 🙂\nnext ✓');
      expect(lines).toEqual(['héllo ✓ wörld 🙂', 'next ✓']);
    }
    capture.push(Buffer.from([0xe2, 0x9c])); // a character cut short by the end of the stream
    expect(capture.end()).toBe('\ufffd');
  });

  it('bounds what it keeps, cut on a character boundary, but emits every line', () => {
    const lines: string[] = [];
    const capture = captureOutput((l) => lines.push(l), 10);
    capture.push('✓✓✓\n'); // 10 bytes
    capture.push('✓more\n');
    const kept = capture.end();
    expect(kept).toBe('✓✓✓\n' + TRUNCATED_MARKER);
    expect(lines).toEqual(['✓✓✓', '✓more']);
    const partial = captureOutput(() => undefined, 4);
    partial.push('a✓✓'); // 7 bytes: only 'a' and one whole ✓ fit
    expect(partial.end()).toBe('a✓' + TRUNCATED_MARKER);
  });

  it('splits a line with no newline into bounded pieces', () => {
    const lines: string[] = [];
    const capture = captureOutput((l) => lines.push(l), 0);
    capture.push('x'.repeat(MAX_LINE * 2 + 5));
    capture.end();
    expect(lines.map((l) => l.length)).toEqual([MAX_LINE, MAX_LINE, 5]);
  });

  it('keeps a bounded copy of a real process writing 8 MiB of multi-byte text', async () => {
    const child = spawn(process.execPath, [
      '-e',
      "for (let i = 0; i < 8 * 1024; i++) process.stdout.write('✓'.repeat(341) + '\\n')",
    ]);
    let count = 0;
    const capture = captureOutput(() => count++);
    child.stdout.on('data', (d: Buffer) => capture.push(d));
    await new Promise((resolve) => child.once('close', resolve));
    const kept = capture.end();
    expect(count).toBe(8 * 1024);
    expect(kept.endsWith(TRUNCATED_MARKER)).toBe(true);
    expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(1024 * 1024 + Buffer.byteLength(TRUNCATED_MARKER));
    expect(kept.slice(0, -TRUNCATED_MARKER.length)).toMatch(/^[✓\n]+$/);
  });
});
