/**
 * @charms/charm-sdk: the TypeScript charm kit.
 *
 * - {@link parseJujuContext}: the hook's Juju environment, parsed once.
 * - Hook tools: one typed function per tool (also at `@charms/charm-sdk/hook-tools`) over one {@link HookToolRunner}.
 * - {@link Model}: config (zod), relations with leader rules, secrets, status, resources, storage, network,
 *   actions, ports.
 * - {@link Container}: a workload's Pebble with file helpers and {@link Container.reconcileLayer}.
 * - {@link runHook} / {@link main}: the event-sourced pipeline (observe, record, fold, plan, reconcile, verify).
 * - {@link createCharmLogger}: pino to juju-log and stderr, secrets redacted.
 * - `@charms/charm-sdk/pack`: the `.charm` packer (also the `charm-pack` CLI).
 * - `@charms/charm-sdk/testing`: state-in/state-out harness for charm unit tests.
 */
export {
  CodedError,
  CharmError,
  HookToolError,
  ContextError,
  MetadataError,
  charmErrorFromJSON,
  errorToJSON,
  type CharmErrorCode,
  type CharmErrorJSON,
  type CodedErrorJSON,
  type HookToolErrorCode,
} from './errors.js';
export { parseJujuContext, JujuEnv, type JujuContext, type RelationContext } from './context/juju-context.js';
export { parseDispatchPath, opsEventName, type JujuEventName, type EventKind } from './context/event-name.js';
export * from './hook-tools/index.js';
export { Model, type ModelOptions, type ResourceContent, type StorageInstance } from './model/model.js';
export { Relation, type RelationScope } from './model/relation.js';
export { ADDRESS_KEY, unitAddress } from './model/unit-address.js';
export { applyRelationWrites, type RelationWrite } from './model/relation-writes.js';
export { Secrets, type SecretRef } from './model/secrets.js';
export { ActionContext, actionParamsSchema, validateActionParams } from './model/action.js';
export { parseConfig, configStatusMessage, type ConfigProblem, type ConfigResult } from './model/config.js';
export { active, blocked, waiting, maintenance, type StatusValue } from './model/status.js';
export {
  Container,
  container,
  DEFAULT_CONTAINERS_ROOT,
  DEFAULT_PEBBLE_BIN,
  DEFAULT_PEBBLE_SOCKET,
  type ContainerOptions,
  type PushOptions,
  type MakeDirOptions,
  type PebbleObservation,
} from './containers/container.js';
export { decideLayer, type LayerReport, type LayerDecision } from './containers/reconcile-layer.js';
export {
  createCharmLogger,
  jujuLevel,
  formatRecord,
  REDACTED_KEYS,
  type CharmLogger,
  type CharmLoggerOptions,
} from './logging/logger.js';
export { SecretRegistry, secrets, registerSecret, redactSecrets, secretsIn } from './logging/secret-registry.js';
export { loadCharmMeta } from './meta/load.js';
export { validateCharmMeta, UNIFIED_FILES, type MetaFileNames } from './meta/validate.js';
export type { CharmMeta, MetadataYaml, Endpoint, ConfigOptionMeta, ActionMeta } from './meta/schema.js';
export {
  defineCharm,
  type CharmDefinition,
  type CharmEventDefinitions,
  type DesiredBase,
  type OutcomeBase,
  type HookWorld,
  type Verified,
} from './pipeline/definition.js';
export { runHook, main, type RunHookOptions, type HookRun } from './pipeline/run.js';
export {
  defineCharmEvents,
  hookFacts,
  HookFacts,
  HookFailedPayload,
  standardEventDefinitions,
  STAGES,
  type Stage,
} from './pipeline/standard-events.js';
