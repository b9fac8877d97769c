import { secret } from '@charms/event-log';
import { ConfigValue, defineCharmEvents, HookFacts } from '@charms/charm-sdk';
import { z } from 'zod';
import { SentinelView } from './sentinel-view.js';
import { TlsFacts } from './tls.js';

/** A sentinel peer unit as its peer-relation bag shows it. */
export const PeerFacts = z.object({
  unit: z.string(),
  address: z.string().nullable(),
  myid: z.string().nullable(),
});
export type PeerFacts = z.infer<typeof PeerFacts>;

/** The `redis` relation as this hook saw it (raw bags: the planner validates them). */
export const RedisRelationFacts = z.object({
  id: z.number().int(),
  /** False until this unit entered the relation's scope (Juju denies its data before relation-created). */
  joined: z.boolean(),
  app: z.string().nullable(),
  /** The redis units in the relation now (a departing one excluded). */
  units: z.array(z.string()),
  /** Each of those units' `address` from its bag (null when unreadable); absent in older logs. */
  unitAddresses: z.record(z.string(), z.string().nullable()).optional(),
  appData: z.record(z.string(), z.string()),
  /** This application's own bag on the relation (only the leader may read it). */
  published: z.record(z.string(), z.string()).nullable(),
});
export type RedisRelationFacts = z.infer<typeof RedisRelationFacts>;

/** The credentials secret: digests of its values (never the values), or why it cannot be read. */
export const CredentialFacts = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), secretId: z.string(), password: secret(), sentinelPassword: secret() }),
  z.object({ ok: z.literal(false), secretId: z.string(), problem: z.string() }),
]);
export type CredentialFacts = z.infer<typeof CredentialFacts>;

/** A failover notice as Pebble stored it (sentinel's reconfig script wrote the data). */
export const NoticeFacts = z.object({
  id: z.string(),
  key: z.string(),
  occurrences: z.number().int(),
  lastRepeated: z.string(),
  data: z.record(z.string(), z.string()),
});
export type NoticeFacts = z.infer<typeof NoticeFacts>;

/** Everything one hook reveals. */
export const Observed = z.object({
  facts: HookFacts,
  config: z.record(z.string(), ConfigValue),
  leader: z.boolean(),
  /** This unit's pod address (what sentinel binds and announces). */
  address: z.string().nullable(),
  /** The sentinel id: from Juju's unit state when stored there, else freshly generated. */
  myid: z.object({ value: z.string().regex(/^[0-9a-f]{40}$/), stored: z.boolean() }),
  /** The other sentinel units (the departing one excluded). */
  peers: z.array(PeerFacts),
  redis: RedisRelationFacts.nullable(),
  credentials: CredentialFacts.nullable(),
  pebble: z.object({ reachable: z.boolean(), bootId: z.string().nullable(), service: z.string().nullable() }),
  /** The local sentinel's own view, when it runs. */
  sentinel: SentinelView.nullable(),
  notice: NoticeFacts.nullable(),
  /** This charm's cert-file and key-file (digests), read only while redis-k8s serves TLS; absent in older logs. */
  tls: TlsFacts.nullish(),
});
export type Observed = z.infer<typeof Observed>;

/** What reconciling did (appended by verify when anything changed). */
export const Reconciled = z.object({
  bootId: z.string().nullable(),
  relationId: z.number().int().nullable(),
  /** Set when sentinel.conf was rendered and pushed. */
  rendered: z.object({ hash: z.string() }).nullable(),
  restarted: z.boolean(),
  started: z.array(z.string()),
  scriptPushed: z.boolean(),
  /** `SENTINEL SET` options applied (names only). */
  set: z.array(z.string()),
  /** `SENTINEL RESET` ran: sentinel forgot departed sentinels (and re-learns the rest). */
  reset: z.boolean(),
  /** The leader's reset pass: per member what it forgot and how long it took to be whole again. */
  resets: z
    .array(
      z.object({
        unit: z.string(),
        forgot: z.array(z.string()),
        rediscoveredMs: z.number().nullable(),
        problem: z.string().optional(),
      }),
    )
    .optional(),
  /** Departed sentinels' addresses the reset pass confirmed forgotten by every live member. */
  forgotten: z.array(z.string()).optional(),
  /** Departed redis units' addresses the reset pass confirmed forgotten as replicas by every live member. */
  forgottenReplicas: z.array(z.string()).optional(),
  /** Digest of the auth-pass sentinel now uses, when it was rendered or set. */
  auth: secret().nullable(),
  /** What the leader wrote to the redis relation's application bag. */
  published: z.record(z.string(), z.string()).nullable(),
  /** The local sentinel after reconciling. */
  view: SentinelView.nullable(),
});
export type Reconciled = z.infer<typeof Reconciled>;

/** The charm's event schema (plus the kit's `hook-failed`). */
export const events = defineCharmEvents({
  hook: { version: 1, schema: Observed },
  'sentinel-reconciled': { version: 1, schema: Reconciled },
});
export type SentinelEvents = typeof events.definitions;
