/** Machine facts and tool versions a report states, so its numbers can be read in context. */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';

function out(file: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve) =>
    execFile(file, args, { timeout: 10_000 }, (err, stdout, stderr) =>
      resolve(err ? 'absent' : ((stdout || stderr).trim().split('\n')[0] ?? '')),
    ),
  );
}

/** What the report's "Machine" section lists. */
export interface MachineFacts {
  cpus: number;
  cpuModel: string;
  memGiB: number;
  kernel: string;
  node: string;
  go: string;
  python: string;
  pebble: string;
  redis: string;
  loadBefore: number[];
}

/** Reads the facts now (load average included: read it before the run starts). */
export async function machineFacts(root: string): Promise<MachineFacts> {
  const meminfo = await readFile('/proc/meminfo', 'utf8').catch(() => '');
  const memKiB = Number(/^MemTotal:\s+(\d+)/m.exec(meminfo)?.[1] ?? 0);
  const [go, python, pebble, redis] = await Promise.all([
    out('go', ['version']),
    out('python3', ['--version']),
    out(`${root}/tools/bin/pebble`, ['version', '--client']),
    out('redis-server', ['--version']),
  ]);
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memGiB: Math.round(memKiB / 1024 / 1024),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    go,
    python,
    pebble,
    redis,
    loadBefore: os.loadavg(),
  };
}
