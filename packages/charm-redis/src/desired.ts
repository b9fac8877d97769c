import type { DesiredBase } from '@charms/charm-sdk';
import type { LayerInput } from '@charms/pebble-client';
import type { TlsResourceName } from './events.js';
import type { ConfEntry } from './redis-conf.js';
import type { WorkloadPaths } from './paths.js';
import type { SentinelFenceSpec } from './sentinel-fence.js';

/** A relation bag write; `withSecretId` adds `secret-id` (and grants the secret on non-peer relations). */
export interface RelationWrite {
  endpoint: string;
  relationId: number;
  app: boolean;
  data: Record<string, string>;
  withSecretId: boolean;
}

/** The role this unit's redis-server should have. */
export type DesiredRole = { kind: 'primary' } | { kind: 'replica'; primaryUnit: string | null; primaryAddress: string };

/** What the redis container should look like. */
export interface WorkloadSpec {
  address: string;
  paths: WorkloadPaths;
  layer: LayerInput;
  conf: ConfEntry[];
  /** Header comment of redis.conf. */
  header: string;
  tls: { resource: TlsResourceName; path: string; mode: number }[];
  role: DesiredRole;
  /** The role redis-server reports when `role` holds (ROLE / INFO replication). */
  expectedRole: 'master' | 'slave';
  /** Whether the charm may issue REPLICAOF to a running server (only while no sentinel owns failover). */
  replicaOfLive: boolean;
  /**
   * A promotion after the primary at this address left: before taking over, wait (bounded) until it is
   * no longer a writable primary, so its handover can first bring every replica up to its offset.
   */
  awaitHandoverFrom?: string;
  /** A primary with other units: do not start it on an empty data dir while they hold keys (empty-guard.ts). */
  emptyGuard?: EmptyGuardSpec;
  /** A primary watched by sentinels: its start fence (start-command.ts) is lifted only once they confirm it. */
  sentinelFence?: SentinelFenceSpec;
}

/** What the empty-primary guard checks: the data dir, the other units, and who would take over. */
export interface EmptyGuardSpec {
  dataDir: string;
  peers: { unit: string; address: string }[];
  /** sentinel: it promotes a replica once this server stays down; charm: the operator must act. */
  via: 'sentinel' | 'charm';
}

/** A leaving primary's handover: who it is, who could take over, and how (see handover.ts). */
export interface HandoverSpec {
  self: { unit: string; address: string };
  /** The other units and their addresses. */
  candidates: { unit: string; address: string }[];
  /** Through sentinel (a sentinel application is related) or by the charm itself. */
  via: 'sentinel' | 'charm';
  masterName: string;
  /** This unit is the leader: it records the successor in the peer application bag itself. */
  leader: boolean;
  /** The unit the leader's bag names as leader: the successor of a non-leader (its promotion agrees). */
  appLeader: string | null;
  peersRelationId: number;
  /** The failover epoch now; a charm handover records epoch + 1. */
  epoch: number;
  tls: boolean;
}

/** The desired state of one unit (pure output of the planner). */
export interface RedisDesired extends DesiredBase {
  /** Leader only: create the password secret (none is known yet). */
  createSecret: boolean;
  /**
   * Leader only: `secretId` is one this unit created and the peer bag does not show yet. A hook that fails or dies
   * after its secret-add is rolled back by Juju while the log keeps the id, so reconcile checks it still exists.
   */
  secretUnconfirmed: boolean;
  /** The password secret, when the log knows it. */
  secretId: string | null;
  relationData: RelationWrite[];
  workload: WorkloadSpec | null;
  /** Human summary of the role, for logs and actions ("primary", "replica of redis-k8s/0"). */
  roleText: string | null;
  /** Set in a leaving primary's hooks until it handed over: the workload is then left alone. */
  handover?: HandoverSpec;
}
