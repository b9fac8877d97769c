/**
 * The model half of charm-sim: everything the runtime programs against.
 *
 * The Model is plain JSON data (persist it with JSON.stringify; load it with parseModel). Every
 * operation is pure: it takes a Model, never mutates it, and returns a {@link Change}: the new
 * Model plus {@link Effect}s for the runtime (log lines, pods to recreate or remove, units to
 * wake). Time is injectable through {@link OpOptions}.
 *
 * The runtime's loop, per unit (one hook at a time per unit; units run concurrently):
 * ```ts
 * const spec = nextHook(model, unit);                  // Juju's uniter resolver
 * if (spec) {
 *   const begun = beginHook(model, spec, { agentSocket, toolsDir }); model = begun.model;
 *   contexts.set(begun.context.id, begun.context);     // hook-tool server looks contexts up here
 *   // exec <charm>/dispatch (or hooks/<name>) with begun.context.env; for each tool call:
 *   //   const r = runHookTool(model, context, request); model = r.model; reply r.result
 *   const done = commitHook(model, begun.context, { exitCode, stdout, stderr }); model = done.model;
 *   contexts.delete(begun.context.id);
 * }
 * ```
 * A failed hook leaves the unit in error: nextHook then yields only actions; the runtime retries
 * with backoff through {@link retryFailedHook} and `resolved` calls {@link resolveUnit}.
 * Pollers feed {@link observeBootId}, {@link observeNotice}, {@link observeCheck}; the update-status
 * timer calls {@link timerUpdateStatus}; one timer armed at {@link nextSecretTrigger} calls
 * {@link timerSecrets} (secret-rotate, secret-expired).
 */
export {
  type Action,
  type ActionStatus,
  type App,
  type ConfigValue,
  type ContainerState,
  type HookInfo,
  type HookSpec,
  type Life,
  type Model,
  type QueuedHook,
  type Relation,
  type RelationEndpoint,
  type Resource,
  type Secret,
  type SecretOwner,
  type SecretRevision,
  type Status,
  type StorageInstance,
  type Unit,
  type UnitRelationState,
  type WorkloadEvent,
  type Change,
  type Effect,
  type LogEntry,
  type LogLevel,
  type OpOptions,
  type HookContext,
  type PendingWrites,
  type SecretOp,
  type Charm,
  type ToolRequest,
  type ToolResult,
  JujuModelError,
  Model as ModelSchema,
  type JujuModelErrorCode,
  type JujuModelErrorJSON,
  nextRotateTime,
  nextRotateAfterHook,
  parseExpire,
  ROTATE_POLICIES,
  SECRET_RETRY_MS,
  type ExpireSpec,
  type RotatePolicy,
  type RotatedFacts,
  changesModel,
  runHookTool,
  toolNames,
  appStatus,
  unitAddress,
  podFqdn,
  podName,
  charmDir,
  storageLocation,
  resourcePath,
} from '@charms/juju-model';

// Model creation and persistence.
export { createModel, parseModel } from './create.js';
// User operations (CLI verbs).
export { deployApp, addUnit, removeUnit } from './deploy.js';
export type { DeployOptions } from './deploy.js';
export { setConfig } from './config.js';
export { relate, unrelate, matchEndpoints } from './relate.js';
export { refreshCharm, attachResource, markPodRecreated } from './lifecycle.js';
export { enqueueAction, parseActionArgs } from './actions.js';
export { electLeader } from './leadership.js';
export { resolveUnit, retryFailedHook } from './resolved.js';
// Observations from pollers and timers.
export { observeBootId, observeNotice, observeCheck, timerUpdateStatus } from './workload.js';
export { timerSecrets, nextSecretTrigger } from './secret-timers.js';
// The resolver and the per-hook transaction.
export { nextHook } from './resolver/next-hook.js';
export { beginHook } from './begin.js';
export type { BeginOptions } from './begin.js';
export { commitHook } from './commit.js';
export type { HookOutcome } from './commit.js';
// Read-only views for status rendering.
export { effectiveConfig } from '@charms/juju-model';
// Charm files.
export { readCharm, extractCharm } from '../charm/read.js';
// The hook-tool socket server.
export { startHookToolServer } from '../hook-tools/server.js';
export type { HookToolServer, HookToolServerOptions, ToolHandler } from '../hook-tools/server.js';
