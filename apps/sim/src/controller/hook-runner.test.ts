import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../model/api.js';
import type { Pod } from '../pods/pod.js';
import { runInPod } from './hook-runner.js';
import { DEFAULT_CAPTURE_LIMIT, TRUNCATED_MARKER } from './output-capture.js';

/** A pod whose charm view is this host: the handler is a node script, run as a real child process. */
function hostPod(script: string, onSpawn: (child: ChildProcess) => void = () => undefined): Pod {
  return {
    exec: (_argv: readonly string[], env: Record<string, string>) => {
      const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, ...env } });
      onSpawn(child);
      return child;
    },
  } as unknown as Pod;
}

function run(pod: Pod) {
  const log: LogEntry[] = [];
  const outcome = runInPod(pod, { unit: 'app/0', name: 'install', handler: '/hook', env: {}, log: (e) => log.push(e) });
  return { outcome, log };
}

describe('runInPod', () => {
  it('decodes a character split across two writes of a real process exactly', async () => {
    // the child writes the first two bytes of ✓ (e2 9c 93), then waits for the parent to have read them
    const script = `
      process.stdout.write(Buffer.from([0x68, 0xe2, 0x9c]));
      process.stdin.once('data', () => {
        process.stdout.write(Buffer.from([0x93, 0x0a]));
        // stderr is split too (the parent may read the halves as one chunk: only the text is checked)
        process.stderr.write(Buffer.from([0xc3]), () => process.stderr.write(Buffer.from([0xa9, 0x0a])));
        process.stdin.destroy();
      });`;
    const chunks: Buffer[] = [];
    const pod = hostPod(script, (child) =>
      child.stdout?.on('data', (d: Buffer) => {
        chunks.push(d);
        if (chunks.length === 1) child.stdin?.write('go\n');
      }),
    );
    const { outcome, log } = run(pod);
    const { exitCode, stdout, stderr } = await outcome;
    expect(exitCode).toBe(0);
    expect(chunks.map((c) => c.toString('hex'))).toEqual(['68e29c', '930a']);
    expect(stdout).toBe('h✓\n');
    expect(stderr).toBe('é\n');
    expect(log.map((e) => [e.level, e.message])).toEqual(
      expect.arrayContaining([
        ['DEBUG', 'h✓'],
        ['WARNING', 'é'],
      ]),
    );
    expect(log).toHaveLength(2);
  });

  it('keeps at most DEFAULT_CAPTURE_LIMIT of a longer output but logs every line', async () => {
    const lines = 3 * 1024;
    // 3 MiB of 1 KiB lines, 3-byte characters: longer than the bound
    const script = `
      const line = '✓'.repeat(341) + '\\n';
      let i = 0;
      const more = () => {
        while (i < ${lines}) {
          i++;
          if (!process.stdout.write(line)) return process.stdout.once('drain', more);
        }
      };
      more();`;
    const { outcome, log } = run(hostPod(script));
    const { exitCode, stdout } = await outcome;
    expect(exitCode).toBe(0);
    expect(log).toHaveLength(lines);
    expect(log.every((e) => e.message === '✓'.repeat(341))).toBe(true);
    expect(stdout?.endsWith(TRUNCATED_MARKER)).toBe(true);
    const kept = (stdout ?? '').slice(0, -TRUNCATED_MARKER.length);
    expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(DEFAULT_CAPTURE_LIMIT);
    expect(Buffer.byteLength(kept)).toBeGreaterThan(DEFAULT_CAPTURE_LIMIT - 3);
    expect(kept).toMatch(/^[✓\n]+$/);
  });
});
