/**
 * One thin typed function per Juju hook tool, over one injectable {@link HookToolRunner}.
 * JSON output is requested and parsed with zod; failures are {@link HookToolError}s with stable codes.
 */
export {
  execFileRunner,
  runTool,
  classify,
  type HookToolRunner,
  type HookToolResult,
  type HookToolCall,
  type ExecFileRunnerOptions,
} from './runner.js';
export { configGet, ConfigValue } from './config.js';
export { isLeader, leaderGet, leaderSet } from './leader.js';
export {
  relationIds,
  relationList,
  relationListApp,
  relationGet,
  relationGetKey,
  relationSet,
  relationModelGet,
  RelationData,
  type RelationGetOptions,
} from './relation.js';
export {
  statusSet,
  statusGet,
  statusGetApp,
  applicationVersionSet,
  SettableStatus,
  StatusInfo,
  AppStatusInfo,
} from './status.js';
export {
  actionGet,
  actionSet,
  actionLog,
  actionFail,
  flattenActionResults,
  type ActionResults,
  type ActionSetOptions,
} from './action.js';
export { jujuLog, type JujuLogLevel } from './log.js';
export { resourceGet } from './resource.js';
export { storageList, storageGet, storageAdd, StorageInfo } from './storage.js';
export { networkGet, NetworkInfo } from './network.js';
export { openPort, closePort, openedPorts, formatPort, parsePort, type Port } from './ports.js';
export {
  secretAdd,
  secretGet,
  secretInfoGet,
  secretSet,
  secretGrant,
  secretRevoke,
  secretRemove,
  secretIds,
  SecretInfo,
  type SecretContent,
  type SecretAddOptions,
  type SecretGetOptions,
  type SecretMetaOptions,
} from './secret.js';
export { stateGet, stateSet, stateDelete } from './state.js';
export { goalState, credentialGet, GoalState, CloudSpec } from './goal-state.js';
