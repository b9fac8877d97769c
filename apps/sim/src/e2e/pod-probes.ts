/**
 * Looking into a running pod from the host, for end-to-end tests: its network namespace (through the holder
 * pid in pids.json), the TCP sockets listening there, and one-line TCP answers from pod addresses.
 */
import { readFile, readlink } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import type { Sim } from './harness.js';

const PidRecord = z.array(z.object({ label: z.string(), pid1: z.number().int().positive() }));

/** The pid holding pod `podName`'s network namespace (`net` in its pids.json). */
export async function netHolderPid(sim: Sim, podName: string): Promise<number> {
  const file = join(sim.layout.pods, podName, 'pids.json');
  const net = PidRecord.parse(JSON.parse(await readFile(file, 'utf8'))).find((r) => r.label === 'net');
  if (!net) throw new Error(`${file} has no 'net' record: the pod has no network namespace of its own`);
  return net.pid1;
}

/** The network namespace of a pid, as the kernel names it (`net:[4026532…]`). */
export function netnsOf(pid: number | 'self'): Promise<string> {
  return readlink(`/proc/${pid}/ns/net`);
}

/**
 * `address:port` of every IPv4 TCP socket in LISTEN state in the network namespace of `pid`
 * (`/proc/<pid>/net/tcp` shows the namespace of that pid), e.g. `0.0.0.0:7077`.
 */
export async function listeningIn(pid: number): Promise<string[]> {
  const lines = (await readFile(`/proc/${pid}/net/tcp`, 'utf8')).split('\n').slice(1);
  const out: string[] = [];
  for (const line of lines) {
    const [, local, , state] = line.trim().split(/\s+/);
    if (!local || state !== '0A') continue;
    const [hex = '', port = ''] = local.split(':');
    const bytes = (hex.match(/../g) ?? []).map((b) => parseInt(b, 16)).reverse();
    out.push(`${bytes.join('.')}:${parseInt(port, 16)}`);
  }
  return out;
}

/** Connects to `host:port` and returns the first line it sends (rejects after `timeoutMs`). */
export function firstLine(host: string, port: number, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let data = '';
    const timer = setTimeout(
      () => socket.destroy(new Error(`no line from ${host}:${port} in ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      data += chunk;
      const nl = data.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        socket.destroy();
        resolve(data.slice(0, nl));
      }
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`${host}:${port} closed without a line (got ${JSON.stringify(data)})`));
    });
  });
}
