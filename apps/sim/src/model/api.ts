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
export type {
  Action,
  ActionStatus,
  App,
  ConfigValue,
  ContainerState,
  HookInfo,
  HookSpec,
  Life,
  Model,
  QueuedHook,
  Relation,
  RelationEndpoint,
  Resource,
  Secret,
  SecretOwner,
  SecretRevision,
  Status,
  StorageInstance,
  Unit,
  UnitRelationState,
  WorkloadEvent,
} from './schema.js';
export type { Change, Effect, LogEntry, LogLevel, OpOptions } from './effects.js';
export type { HookContext, PendingWrites, SecretOp } from './context-types.js';
export type { Charm } from '../charm/schema.js';
export type { ToolRequest, ToolResult } from '../hook-tools/protocol.js';
export { SimModelError } from './errors.js';
export { Model as ModelSchema } from './schema.js';
export type { SimModelErrorCode, SimModelErrorJSON } from './errors.js';

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
export {
  nextRotateTime,
  nextRotateAfterHook,
  parseExpire,
  ROTATE_POLICIES,
  SECRET_RETRY_MS,
} from './secret-schedule.js';
export type { ExpireSpec, RotatePolicy, RotatedFacts } from './secret-schedule.js';
// The resolver and the per-hook transaction.
export { nextHook } from './resolver/next-hook.js';
export { beginHook } from './begin.js';
export type { BeginOptions } from './begin.js';
export { commitHook } from './commit.js';
export type { HookOutcome } from './commit.js';
export { changesModel, runHookTool } from '../hook-tools/run.js';
export { toolNames } from '../hook-tools/registry.js';
// Read-only views for status rendering.
export { appStatus, unitAddress, podFqdn, podName, charmDir, storageLocation, resourcePath } from './views.js';
export { effectiveConfig } from './config.js';
// Charm files.
export { readCharm, extractCharm } from '../charm/read.js';
// The hook-tool socket server.
export { startHookToolServer } from '../hook-tools/server.js';
export type { HookToolServer, HookToolServerOptions, ToolHandler } from '../hook-tools/server.js';
