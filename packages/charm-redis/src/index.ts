/**
 * @charms/charm-redis: the redis-k8s charm (Redis primary + replicas on Pebble, event-sourced).
 *
 * - {@link redisCharm} / {@link createRedisCharm}: the charm definition the pipeline runs.
 * - {@link events}, {@link projection}, {@link reduce}: the event schema and the pure reducer.
 * - {@link plan}: the pure planner; {@link resolvePrimary}: the topology rule.
 * - {@link confEntries}, {@link renderConf}: redis.conf (secrets only as slots until rendered).
 */
export { redisCharm, createRedisCharm, type RedisCharmOptions, type RedisOutcome } from './definition.js';
export {
  events,
  Observed,
  PeerFacts,
  SentinelFacts,
  ClientFacts,
  TlsFacts,
  Verification,
  WorkloadObserved,
  TLS_RESOURCES,
  type RedisEvents,
  type TlsResourceName,
} from './events.js';
export { projection, reduce, initialState, type RedisState, type FailoverRecord } from './state.js';
export { plan, redisLayer } from './plan.js';
export { redisStartCommand, STARTED_NOTICE_KEY } from './start-command.js';
export {
  CONTAINER,
  SERVICE,
  SECRET_LABEL,
  DIGEST_ENV,
  DEFAULT_PATHS,
  REDIS_PORT,
  SENTINEL_PORT,
  type WorkloadPaths,
} from './paths.js';
export type { RedisDesired, RelationWrite, WorkloadSpec, DesiredRole } from './desired.js';
export { resolvePrimary, knownUnits, type Primary, type PrimarySource } from './topology.js';
export { RedisConfig, memoryBytes, MEMORY_SIZE, MAXMEMORY_POLICIES, LOG_LEVELS } from './config.js';
export {
  confEntries,
  renderConf,
  describeConf,
  staticDigest,
  TLS_FILES,
  type ConfEntry,
  type ConfInput,
} from './redis-conf.js';
export { ioredisConnector, type RedisConnector, type RedisEndpoint, type RedisSession } from './redis-client.js';
export { parseInfo, replicationView, probeReplication, type ReplicationView, type ReplicaInfo } from './replication.js';
export { liveDiff, replicaOfCommand, configReply, applyLiveSettings } from './live-config.js';
export { waitForRole, roleMatches } from './verify.js';
export {
  RedisCharmError,
  redisCharmErrorFromJSON,
  isRedisCharmError,
  type RedisCharmErrorCode,
  type RedisCharmErrorJSON,
} from './errors.js';
