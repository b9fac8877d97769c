import { ConfigValue, defineCharmEvents, HookFacts } from '@charms/charm-sdk';
import { z } from 'zod';

/** What this unit sees of the peer relation `redis-peers`. */
export const PeerFacts = z.object({
  relationId: z.number().int(),
  /** Every other unit and the address it published (null until it has). */
  units: z.record(z.string(), z.string().nullable()),
  /** The peer application bag the leader writes. */
  app: z.object({
    primary: z.string().optional(),
    primaryAddress: z.string().optional(),
    failoverEpoch: z.number().int().nonnegative().optional(),
    /** Which sentinel relation reported the failover that set `primary` ("charm" for a charm promotion). */
    failoverSource: z.string().optional(),
    /** Id of the application secret holding the passwords (an id, never the content). */
    secretId: z.string().optional(),
    /** The unit that wrote the bag: the leader (a leaving primary hands over to it). */
    leader: z.string().optional(),
  }),
});
export type PeerFacts = z.infer<typeof PeerFacts>;

/** One relation to a redis-sentinel-k8s application (endpoint `sentinel`). */
export const SentinelFacts = z.object({
  relationId: z.number().int(),
  app: z.string().nullable(),
  units: z.array(z.string()),
  /** Each sentinel unit's address (for clients' `sentinel-endpoints`); absent in logs before it was recorded. */
  addresses: z.record(z.string(), z.string().nullable()).optional(),
  /** The sentinel leader's report of the current primary, after a failover. */
  primaryAddress: z.string().optional(),
  failoverEpoch: z.number().int().nonnegative().optional(),
});
export type SentinelFacts = z.infer<typeof SentinelFacts>;

/** One relation to a client application (endpoint `redis`). */
export const ClientFacts = z.object({ relationId: z.number().int(), app: z.string().nullable() });
export type ClientFacts = z.infer<typeof ClientFacts>;

/** A TLS file resource: attached (non-empty) or not, with a digest of its content to notice changes. */
export const TlsResourceFacts = z.object({
  attached: z.boolean(),
  sha256: z.string().optional(),
  problem: z.string().optional(),
  /** The PEM text, for ca-cert-file only (a CA certificate is public; published to sentinels as `tls-ca`). */
  pem: z.string().optional(),
});
export type TlsResourceFacts = z.infer<typeof TlsResourceFacts>;

/** The three TLS file resources, by resource name. */
export const TLS_RESOURCES = ['cert-file', 'key-file', 'ca-cert-file'] as const;
export type TlsResourceName = (typeof TLS_RESOURCES)[number];
export const TlsFacts = z.object({
  'cert-file': TlsResourceFacts,
  'key-file': TlsResourceFacts,
  'ca-cert-file': TlsResourceFacts,
});
export type TlsFacts = z.infer<typeof TlsFacts>;

/** A Pebble check as a check-failed or check-recovered hook found it. */
export const CheckFacts = z.object({
  name: z.string(),
  status: z.string(),
  /** Consecutive failures Pebble counted (0 once it recovered). */
  failures: z.number().int().nonnegative(),
});
export type CheckFacts = z.infer<typeof CheckFacts>;

/** Everything one hook reveals (recorded before anything changes; no secret values). */
export const Observed = z.object({
  facts: HookFacts,
  config: z.record(z.string(), ConfigValue),
  leader: z.boolean(),
  /** The pod address from network-get. */
  address: z.string().nullable(),
  pebble: z.object({ reachable: z.boolean(), bootId: z.string().nullable() }),
  /** Null while the peer relation cannot be read (before relation-created, or during install). */
  peers: PeerFacts.nullable(),
  sentinels: z.array(SentinelFacts),
  clients: z.array(ClientFacts),
  /** Only read while enable-tls is true. */
  tls: TlsFacts.nullable(),
  /** Only in pebble-check-failed and -recovered hooks (absent in logs older than this field). */
  check: CheckFacts.optional(),
});
export type Observed = z.infer<typeof Observed>;

/** What redis-server reported when the charm checked it. */
export const Verification = z.object({
  ok: z.boolean(),
  expected: z.enum(['master', 'slave']),
  role: z.string().nullable(),
  masterHost: z.string().nullable(),
  linkStatus: z.string().nullable(),
  connectedReplicas: z.number().int().nullable(),
  runId: z.string().nullable(),
  error: z.string().optional(),
  elapsedMs: z.number().nonnegative(),
});
export type Verification = z.infer<typeof Verification>;

/** What a leaving primary did to hand its role over (see handover.ts). */
export const HandoverRecord = z.object({
  outcome: z.enum(['handed-over', 'not-primary', 'no-successor', 'timed-out', 'failed']),
  via: z.enum(['sentinel', 'charm']),
  /** The new primary's unit (when known) and address. */
  successor: z.string().nullable(),
  successorAddress: z.string().nullable(),
  /** From pausing writes to the new primary named (or to giving up). */
  elapsedMs: z.number().nonnegative(),
  /** How long writes were paused (CLIENT PAUSE WRITE). */
  pausedMs: z.number().nonnegative(),
  message: z.string(),
});
export type HandoverRecord = z.infer<typeof HandoverRecord>;

/** What reconciling changed and what the workload looked like afterwards. */
export const WorkloadObserved = z.object({
  /** Id of the password secret the leader created in this hook. */
  secretCreated: z.string().optional(),
  layerChanged: z.boolean(),
  restarted: z.array(z.string()),
  started: z.array(z.string()),
  filesPushed: z.array(z.string()),
  /** Settings applied with CONFIG SET (no restart). */
  liveConfig: z.record(z.string(), z.string()),
  /** A REPLICAOF issued to the running server ("no one" for a promotion). */
  replicaOf: z.string().optional(),
  verification: Verification.optional(),
  /** A new admin password applied to the running server with CONFIG SET (or found already applied). */
  passwordRotation: z.enum(['applied', 'already-applied', 'not-running']).optional(),
  /** Only in the hook where a leaving primary handed its role over. */
  handover: HandoverRecord.optional(),
  /** redis-server was held down: an empty data dir on the primary while other units hold keys. */
  heldEmpty: z.literal(true).optional(),
  /** The server was write-fenced, as every start leaves it (start-command.ts): whether this hook lifted it. */
  fence: z.object({ lifted: z.boolean(), reason: z.string().optional() }).optional(),
});
export type WorkloadObserved = z.infer<typeof WorkloadObserved>;

/** The charm's event schema: one `hook` event per dispatch, one `workload-observed` after changes. */
export const events = defineCharmEvents({
  hook: { version: 1, schema: Observed },
  'workload-observed': { version: 1, schema: WorkloadObserved },
});
export type RedisEvents = typeof events.definitions;
