import { createHash } from 'node:crypto';
import { memoryBytes, type MinReplicas, type RedisConfig } from './config.js';
import { REDIS_PORT, type WorkloadPaths } from './paths.js';

/** A value the planner does not know: filled from the password secret while reconciling. */
export interface SecretSlot {
  secret: 'password';
}

/**
 * How a setting may change: `static` needs a restart (it feeds the layer's digest), `live` is
 * applied with CONFIG SET, `replication` with REPLICAOF (or left to sentinel), `secret` never changes.
 */
export type EntryKind = 'static' | 'live' | 'replication' | 'secret';

/** One redis.conf directive. */
export interface ConfEntry {
  key: string;
  value: string | SecretSlot;
  kind: EntryKind;
}

/** What a unit's redis.conf depends on. */
export interface ConfInput {
  address: string;
  config: RedisConfig;
  tls: boolean;
  /** The primary to replicate; null on the primary itself. */
  replicaOf: { host: string; port: number } | null;
  paths: WorkloadPaths;
  /** The effective `min-replicas-*` (see effectiveMinReplicas); absent means off. */
  minReplicas?: Pick<MinReplicas, 'toWrite' | 'maxLag'>;
}

/** File names of the TLS material under `paths.tlsDir`, by resource. */
export const TLS_FILES = { 'cert-file': 'redis.crt', 'key-file': 'redis.key', 'ca-cert-file': 'ca.crt' } as const;

/** The directives of a unit's redis.conf, in file order (pure). Secrets appear only as slots. */
export function confEntries(input: ConfInput): ConfEntry[] {
  const { address, config, paths } = input;
  const s = (key: string, value: string): ConfEntry => ({ key, value, kind: 'static' });
  const entries: ConfEntry[] = [
    s('bind', address),
    s('bind-source-addr', address),
    s('protected-mode', 'yes'),
    s('port', input.tls ? '0' : String(REDIS_PORT)),
  ];
  if (input.tls) {
    entries.push(
      s('tls-port', String(REDIS_PORT)),
      s('tls-cert-file', `${paths.tlsDir}/${TLS_FILES['cert-file']}`),
      s('tls-key-file', `${paths.tlsDir}/${TLS_FILES['key-file']}`),
      s('tls-ca-cert-file', `${paths.tlsDir}/${TLS_FILES['ca-cert-file']}`),
      s('tls-auth-clients', 'optional'),
      s('tls-replication', 'yes'),
    );
  }
  entries.push(
    s('replica-announce-ip', address),
    s('daemonize', 'no'),
    s('supervised', 'no'),
    s('logfile', ''),
    s('dir', paths.dataDir),
    s('repl-diskless-sync-delay', '1'),
    { key: 'appendonly', value: config.appendonly ? 'yes' : 'no', kind: 'live' },
    { key: 'appendfsync', value: config.appendfsync, kind: 'live' },
    { key: 'save', value: config.save, kind: 'live' },
    { key: 'min-replicas-to-write', value: String(input.minReplicas?.toWrite ?? 0), kind: 'live' },
    { key: 'min-replicas-max-lag', value: String(input.minReplicas?.maxLag ?? 10), kind: 'live' },
    { key: 'maxmemory', value: String(memoryBytes(config.maxmemory)), kind: 'live' },
    { key: 'maxmemory-policy', value: config['maxmemory-policy'], kind: 'live' },
    { key: 'loglevel', value: config.loglevel, kind: 'live' },
  );
  if (input.replicaOf !== null)
    entries.push({ key: 'replicaof', value: `${input.replicaOf.host} ${input.replicaOf.port}`, kind: 'replication' });
  entries.push(
    { key: 'requirepass', value: { secret: 'password' }, kind: 'secret' },
    { key: 'masterauth', value: { secret: 'password' }, kind: 'secret' },
  );
  return entries;
}

function quote(value: string): string {
  if (value !== '' && !/[\s"'\\]/.test(value)) return value;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function rendered(entry: ConfEntry, password: string): string {
  if (typeof entry.value !== 'string') return quote(password);
  // replicaof takes two arguments
  return entry.key === 'replicaof' ? entry.value : quote(entry.value);
}

/** The file content, with secret slots filled from `password` (only ever pushed with mode 0600). */
export function renderConf(entries: readonly ConfEntry[], password: string, header: string): string {
  const lines = [
    `# ${header}`,
    '# Managed by the redis-k8s charm: every hook rewrites this file.',
    ...entries.map((e) => `${e.key} ${rendered(e, password)}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** The file as the event log and replay may show it: secret slots stay `<secret:password>`. */
export function describeConf(entries: readonly ConfEntry[]): string {
  return entries
    .map((e) => `${e.key} ${typeof e.value === 'string' ? rendered(e, '') : `<secret:${e.value.secret}>`}`)
    .join('\n');
}

/** Digest of everything a restart must pick up: the static directives plus `extra` (TLS file digests). */
export function staticDigest(entries: readonly ConfEntry[], extra: readonly string[] = []): string {
  const h = createHash('sha256');
  for (const e of entries) if (e.kind === 'static') h.update(`${e.key}\0${e.value as string}\n`);
  for (const x of extra) h.update(`${x}\n`);
  return h.digest('hex').slice(0, 16);
}

/** The `requirepass` of a redis.conf this charm rendered (undefined when absent); reverses the quoting (pure). */
export function confPassword(content: string): string | undefined {
  const line = content.split('\n').find((l) => l.startsWith('requirepass '));
  if (line === undefined) return undefined;
  const raw = line.slice('requirepass '.length);
  if (!raw.startsWith('"')) return raw;
  return raw.slice(1, -1).replace(/\\(["\\])/g, '$1');
}
