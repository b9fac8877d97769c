/**
 * The pure model of a Juju unit, shared by charm-sim and the sdk's test harness so the two cannot
 * disagree: the charm metadata schema, the model state (zod), the per-hook transaction, and every
 * hook tool as a function `(model, ctx, request) -> {model, effects, result}` with Juju's flags,
 * output formats, error texts, exit codes and leader rules. No I/O: effects are returned as data.
 */
export * from './meta/index.js';
export {
  Action,
  ActionStatus,
  App,
  ConfigValue,
  ContainerState,
  FailedHook,
  HookInfo,
  HookSpecSchema,
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
  type HookSpec,
} from './model/schema.js';
export type { Change, Effect, LogEntry, LogLevel, OpOptions } from './model/effects.js';
export { isoNow } from './model/effects.js';
export type { HookContext, PendingWrites, SecretOp } from './model/context-types.js';
export { JujuModelError, type JujuModelErrorCode, type JujuModelErrorJSON } from './model/errors.js';
export * from './model/util.js';
export * from './model/views.js';
export * from './model/secrets.js';
export * from './model/secret-schedule.js';
export { effectiveConfig } from './model/effective-config.js';
export { ToolRequest, ToolResult, requestFilePaths } from './hook-tools/protocol.js';
export { ToolError, usage, fail, type ToolErrorCode } from './hook-tools/tool-error.js';
export { parseArgs, parseGoBool, checkEmpty, HelpRequest, type FlagSpec, type ParsedArgs } from './hook-tools/flags.js';
export {
  formatJson,
  formatYaml,
  formatSmart,
  formatOutput,
  parseFormat,
  struct,
  type Format,
} from './hook-tools/format.js';
export { runHookTool, changesModel } from './hook-tools/run.js';
export { tools, toolNames } from './hook-tools/registry.js';
export {
  helpText,
  renderHelp,
  toolHelp,
  type HelpContext,
  type HelpOption,
  type ToolHelp,
} from './hook-tools/help/index.js';
