import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { RuntimeSettings } from './config.js';
import { SentinelCharmError } from './errors.js';

/** Bump when the rendered layout changes in a way that must reach running sentinels. */
export const CONF_FORMAT = 1;

/**
 * The settings that only a rewrite of sentinel.conf and a restart can change. Their hash decides
 * when the charm renders the file again; everything else is applied with `SENTINEL SET` or learned
 * by sentinel itself.
 */
export interface SentinelBase {
  format: number;
  masterName: string;
  /** The redis relation id: a new relation means a new master group. */
  relationId: number;
  bind: string;
  port: number;
  myid: string;
  dataDir: string;
  scriptPath: string;
  /** Digest of sentinel's own requirepass (never the value): it cannot change at runtime. */
  requirepassDigest: string;
  /** Set while redis-k8s serves TLS: where the files are and digests of their content (a change restarts). */
  tls?: SentinelTlsBase;
}

/** The TLS part of a {@link SentinelBase}: file paths and the SHA-256 of each file's content. */
export interface SentinelTlsBase {
  certFile: string;
  keyFile: string;
  caFile: string;
  certSha256: string;
  keySha256: string;
  caSha256: string;
}

/** Everything a rendering needs besides the secrets. */
export interface SentinelConfInput {
  base: SentinelBase;
  /** Where the master is now (only used when rendering; sentinel tracks it afterwards). */
  monitor: { host: string; port: number };
  runtime: RuntimeSettings;
  /** Hints so a fresh sentinel knows the replicas and peers before its first INFO/hello round. */
  knownReplicas: ReadonlyArray<{ host: string; port: number }>;
  knownSentinels: ReadonlyArray<{ host: string; port: number; myid: string }>;
}

/** Secret values, only present while rendering the file that goes to the container. */
export interface SentinelSecrets {
  /** redis requirepass/masterauth, given to sentinel as auth-pass. */
  password: string;
  /** sentinel's own requirepass. */
  sentinelPassword: string;
}

/** The hash of a base: what the event log keeps to know whether the file must be rendered again. */
export function baseHash(base: SentinelBase): string {
  const ordered = Object.fromEntries(Object.entries(base).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(JSON.stringify(ordered)).digest('hex');
}

/** A value as a double-quoted config argument (sentinel's parser reads `\"`, `\\` and `\xHH`). */
export function quoteArg(value: string): string {
  let out = '';
  for (const c of value) {
    const code = c.charCodeAt(0);
    if (c === '\\' || c === '"') out += `\\${c}`;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return `"${out}"`;
}

function usesHostnames(input: SentinelConfInput): boolean {
  return [input.monitor.host, ...input.knownReplicas.map((r) => r.host)].some((h) => isIP(h) === 0);
}

/**
 * Renders sentinel.conf (pure). Secrets appear only in `requirepass` and `auth-pass`; the file is
 * pushed with mode 0600. Hostnames switch on `resolve-hostnames`/`announce-hostnames`.
 * @throws {SentinelCharmError} `render-invalid` for an empty password.
 */
export function renderSentinelConf(input: SentinelConfInput, secrets: SentinelSecrets): string {
  const { base, runtime } = input;
  for (const [key, value] of Object.entries(secrets)) {
    if (value === '')
      throw new SentinelCharmError(
        'render-invalid',
        `cannot render sentinel.conf: the secret's ${key} is empty (set it in the redis application's credentials secret)`,
        { key },
      );
  }
  const name = base.masterName;
  const hostnames = usesHostnames(input) ? 'yes' : 'no';
  // with TLS, `port 0` closes plaintext and tls-replication makes every outgoing link (redis, sentinels) TLS
  const listen = base.tls
    ? [
        'port 0',
        `tls-port ${base.port}`,
        `tls-cert-file ${quoteArg(base.tls.certFile)}`,
        `tls-key-file ${quoteArg(base.tls.keyFile)}`,
        `tls-ca-cert-file ${quoteArg(base.tls.caFile)}`,
        'tls-auth-clients optional',
        'tls-replication yes',
      ]
    : [`port ${base.port}`];
  const lines = [
    `# Rendered by the redis-sentinel-k8s charm (base ${baseHash(base).slice(0, 12)}). Sentinel rewrites this file at`,
    '# runtime; the charm renders it again only when the base settings change or the container restarts.',
    ...listen,
    `bind ${base.bind}`,
    'daemonize no',
    'logfile ""',
    `dir ${quoteArg(base.dataDir)}`,
    `sentinel myid ${base.myid}`,
    `sentinel announce-ip ${quoteArg(base.bind)}`,
    `sentinel announce-port ${base.port}`,
    `sentinel resolve-hostnames ${hostnames}`,
    `sentinel announce-hostnames ${hostnames}`,
    'sentinel deny-scripts-reconfig yes',
    `requirepass ${quoteArg(secrets.sentinelPassword)}`,
    `sentinel monitor ${name} ${input.monitor.host} ${input.monitor.port} ${runtime.quorum}`,
    `sentinel auth-pass ${name} ${quoteArg(secrets.password)}`,
    `sentinel down-after-milliseconds ${name} ${runtime['down-after-milliseconds']}`,
    `sentinel failover-timeout ${name} ${runtime['failover-timeout']}`,
    `sentinel parallel-syncs ${name} ${runtime['parallel-syncs']}`,
    `sentinel client-reconfig-script ${name} ${base.scriptPath}`,
    ...input.knownReplicas.map((r) => `sentinel known-replica ${name} ${r.host} ${r.port}`),
    ...input.knownSentinels
      .filter((s) => s.myid !== base.myid)
      .map((s) => `sentinel known-sentinel ${name} ${s.host} ${s.port} ${s.myid}`),
  ];
  return `${lines.join('\n')}\n`;
}
