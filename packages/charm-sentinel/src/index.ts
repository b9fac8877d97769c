/**
 * @charms/charm-sentinel: the redis-sentinel-k8s charm.
 *
 * - {@link sentinelCharm} / {@link createSentinelCharm}: the charm definition the sdk's runner executes.
 * - {@link plan}, {@link reduce}: the pure planner and reducer (replay and tests use them directly).
 * - {@link renderSentinelConf}, {@link reconfigScript}: what goes into the sentinel container.
 */
export { createSentinelCharm, sentinelCharm, type SentinelCharm, type SentinelCharmOptions } from './definition.js';
export { events, Observed, Reconciled, type SentinelEvents } from './events.js';
export { projection, reduce, INITIAL_STATE, type SentinelState, type KnownView, type FailoverRecord } from './state.js';
export {
  plan,
  publication,
  currentPrimary,
  failedOverPrimary,
  viewAddress,
  splitHostPort,
  type FailedOverPrimary,
  sentinelLayer,
  PEER_KEYS,
  type SentinelDesired,
  type WorkloadPlan,
} from './plan.js';
export {
  SentinelOptions,
  decideQuorum,
  majority,
  RUNTIME_KEYS,
  type RuntimeSettings,
  type QuorumDecision,
} from './config.js';
export {
  renderSentinelConf,
  baseHash,
  quoteArg,
  CONF_FORMAT,
  type SentinelBase,
  type SentinelConfInput,
  type SentinelSecrets,
} from './sentinel-conf.js';
export { reconfigScript, FAILOVER_NOTICE_KEY } from './reconfig-script.js';
export {
  parseRedisAppBag,
  parsePublished,
  RedisAppBag,
  REQUIRED_KEYS,
  type RedisBagResult,
  type PublishedPrimary,
} from './relation-data.js';
export {
  ioredisConnector,
  connectWithin,
  withSentinel,
  classifySentinelError,
  type SentinelConnector,
  type SentinelSession,
  type SentinelEndpoint,
} from './sentinel-client.js';
export { MasterView, SentinelView, parseMasterReply, masterHealthy } from './sentinel-view.js';
export { runtimeChanges, type SentinelOutcome } from './reconcile.js';
export {
  DEFAULT_PATHS,
  pathsUnder,
  SENTINEL_PORT,
  CONTAINER,
  SERVICE,
  PEER_ENDPOINT,
  REDIS_ENDPOINT,
  MYID_KEY,
  type SentinelPaths,
} from './paths.js';
export {
  CaBundle,
  TlsFacts,
  TlsResourceFacts,
  TLS_RESOURCES,
  TLS_FILES,
  clientTlsOptions,
  type ClientTls,
  type TlsResourceName,
} from './tls.js';
export type { TlsFilesPlan } from './plan.js';
export {
  SentinelCharmError,
  sentinelErrorFromJSON,
  isSentinelError,
  type SentinelErrorCode,
  type SentinelErrorJSON,
} from './errors.js';
