import { z } from 'zod';
import { CharmError } from '../errors.js';
import { callJson, callVoid } from './call.js';
import type { HookToolRunner } from './runner.js';

/** An opened port or range; icmp has no port. */
export type Port = { protocol: 'tcp' | 'udp'; port: number; toPort?: number } | { protocol: 'icmp' };

/** `6379/tcp`, `8000-8010/udp` or `icmp`. */
export function formatPort(p: Port): string {
  if (p.protocol === 'icmp') return 'icmp';
  for (const n of [p.port, p.toPort]) {
    if (n !== undefined && (!Number.isInteger(n) || n < 1 || n > 65535)) {
      throw new CharmError('invalid-argument', `cannot use port ${n}: ports are integers from 1 to 65535`);
    }
  }
  return p.toPort === undefined || p.toPort === p.port
    ? `${p.port}/${p.protocol}`
    : `${p.port}-${p.toPort}/${p.protocol}`;
}

/** Parses `6379/tcp`, `8000-8010/udp` or `icmp` (an endpoints suffix is dropped). */
export function parsePort(text: string): Port {
  const s = text.replace(/\s*\(.*\)$/, '').trim();
  if (s === 'icmp') return { protocol: 'icmp' };
  const m = /^(\d+)(?:-(\d+))?\/(tcp|udp)$/.exec(s);
  if (!m) throw new Error(`"${text}" is not a port like "6379/tcp"`);
  const port = Number(m[1]);
  return m[2] === undefined
    ? { protocol: m[3] as 'tcp' | 'udp', port }
    : { protocol: m[3] as 'tcp' | 'udp', port, toPort: Number(m[2]) };
}

/** Opens a port (buffered): `open-port <port>/<proto> [--endpoints a,b]`. */
export function openPort(runner: HookToolRunner, port: Port, options: { endpoints?: string[] } = {}): Promise<void> {
  return callVoid(runner, 'open-port', [formatPort(port), ...endpoints(options.endpoints)]);
}

/** Closes a port (buffered): `close-port <port>/<proto> [--endpoints a,b]`. */
export function closePort(runner: HookToolRunner, port: Port, options: { endpoints?: string[] } = {}): Promise<void> {
  return callVoid(runner, 'close-port', [formatPort(port), ...endpoints(options.endpoints)]);
}

/** Ports this unit has opened (not this hook's pending changes): `opened-ports --format=json`. */
export function openedPorts(runner: HookToolRunner): Promise<Port[]> {
  return callJson(
    runner,
    'opened-ports',
    ['--format=json'],
    z
      .array(z.string())
      .nullable()
      .transform((v) => (v ?? []).map(parsePort)),
  );
}

function endpoints(list: string[] | undefined): string[] {
  return list === undefined || list.length === 0 ? [] : ['--endpoints', list.join(',')];
}
