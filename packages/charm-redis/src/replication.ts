import { RedisCharmError } from './errors.js';
import type { RedisSession } from './redis-client.js';

/** One replica as the primary lists it in INFO replication. */
export interface ReplicaInfo {
  ip: string;
  port: number;
  state: string;
  offset: number;
  lag: number;
}

/** The replication facts of one redis-server. */
export interface ReplicationView {
  role: string;
  masterHost: string | null;
  masterPort: number | null;
  linkStatus: string | null;
  connectedReplicas: number;
  replicas: ReplicaInfo[];
  masterReplOffset: number | null;
  runId: string | null;
}

/** INFO's `key:value` lines as a map (section headers and blank lines skipped). */
export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

function fields(value: string): Record<string, string> {
  return Object.fromEntries(value.split(',').map((kv) => kv.split('=', 2) as [string, string]));
}

const num = (v: string | undefined): number | null =>
  v === undefined || v === '' || Number.isNaN(Number(v)) ? null : Number(v);

/** The replication view of parsed INFO (server + replication sections). */
export function replicationView(info: Record<string, string>): ReplicationView {
  const role = info['role'];
  if (role === undefined)
    throw new RedisCharmError('redis-protocol', 'cannot read the replication role: INFO has no "role" field', {});
  const replicas: ReplicaInfo[] = [];
  for (const [key, value] of Object.entries(info)) {
    if (!/^slave\d+$/.test(key)) continue;
    const f = fields(value);
    replicas.push({
      ip: f['ip'] ?? '',
      port: num(f['port']) ?? 0,
      state: f['state'] ?? '',
      offset: num(f['offset']) ?? 0,
      lag: num(f['lag']) ?? 0,
    });
  }
  return {
    role,
    masterHost: info['master_host'] ?? null,
    masterPort: num(info['master_port']),
    linkStatus: info['master_link_status'] ?? null,
    connectedReplicas: num(info['connected_slaves']) ?? 0,
    replicas,
    masterReplOffset: num(info['master_repl_offset']),
    runId: info['run_id'] ?? null,
  };
}

/** Asks a server for its replication view (INFO server + replication). */
export async function probeReplication(session: RedisSession): Promise<ReplicationView> {
  const text = await session.command('info', 'server', 'replication');
  if (typeof text !== 'string')
    throw new RedisCharmError('redis-protocol', 'cannot read INFO: the reply is not text', {});
  return replicationView(parseInfo(text));
}
