export {
  AbortError,
  APIError,
  ChangeError,
  ConnectionError,
  ExecError,
  isPebbleError,
  PathError,
  PebbleError,
  pebbleErrorFromJSON,
  ProtocolError,
  SocketNotFoundError,
  TimeoutError,
  type ChangeLike,
  type PebbleErrorCode,
  type PebbleErrorJSON,
  type SerializedCause,
} from './errors.js';
export { defaultSocketPath, PebbleClient, type PebbleClientOptions } from './client.js';
export type { CallOptions } from './request.js';
export {
  abortChange,
  changeSchema,
  DEFAULT_WAIT,
  getChange,
  getChanges,
  taskSchema,
  waitChange,
  waitChangeOrThrow,
  type Change,
  type ChangeSelect,
  type GetChangesOptions,
  type Task,
  type WaitChangeOptions,
} from './changes.js';
export {
  checkInfoSchema,
  getChecks,
  refreshCheck,
  startChecks,
  stopChecks,
  type CheckInfo,
  type GetChecksOptions,
  type RefreshCheckResult,
} from './checks.js';
export { combineLayer, combineLayers } from './combine.js';
export { canonicalDuration, formatGoDuration, parseGoDuration } from './duration.js';
export { getHealth, getMetrics, type HealthOptions } from './health.js';
export {
  addIdentities,
  getIdentities,
  removeIdentities,
  replaceIdentities,
  updateIdentities,
  type Identity,
  type IdentityAccess,
} from './identities.js';
export {
  checkSchema,
  layerSchema,
  layerToYaml,
  logTargetSchema,
  parseLayer,
  parsePlan,
  planSchema,
  serviceSchema,
  workloadSchema,
  type Check,
  type Layer,
  type LayerInput,
  type LogTarget,
  type Plan,
  type Service,
  type Workload,
} from './layer.js';
export { followLogs, getLogs, logEntrySchema, type LogEntry, type LogsOptions } from './logs.js';
export {
  getNotice,
  getNotices,
  noticeSchema,
  notify,
  waitNotices,
  type GetNoticesOptions,
  type Notice,
  type NoticesFilter,
  type NoticeType,
  type NotifyOptions,
  type WaitNoticesOptions,
} from './notices.js';
export { comparePlans, diffLayers, type PlanDiff, type SectionDiff } from './plan-diff.js';
export { addLayer, getPlan, getPlanYaml, type AddLayerOptions } from './plan.js';
export {
  apiErrorFromEnvelope,
  checkEnvelope,
  describeZodError,
  envelopeSchema,
  errorFromBody,
  mapTransportError,
  parseEnvelope,
  parseResult,
  type Envelope,
  type RequestContext,
} from './request.js';
export {
  autostartServices,
  getServices,
  isServiceRunning,
  replanServices,
  restartServices,
  serviceAction,
  startServices,
  stopServices,
  type GetServicesOptions,
  type ServiceAction,
  type ServiceActionOptions,
  type ServiceInfo,
} from './services.js';
export { sendSignal, signalName } from './signals.js';
export { getSystemInfo, systemInfoSchema } from './system.js';
export { ackWarnings, getWarnings, type GetWarningsOptions, type Warning } from './warnings.js';
export {
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT,
  readRawError,
  Transport,
  type AsyncRequest,
  type Query,
  type RawBody,
  type RawRequest,
  type RawResponse,
  type RetryOptions,
  type SyncRequest,
  type TransportOptions,
} from './transport.js';
export type { SystemInfo } from './system.js';
export {
  fileInfoSchema,
  listFiles,
  makeDir,
  removePath,
  type FileInfo,
  type FileType,
  type ListFilesOptions,
  type MakeDirOptions,
  type RemovePathOptions,
} from './files.js';
export type { OwnerOptions, Permissions } from './files-common.js';
export { pull, pullBuffer, pullText, type PullOptions, type PullTextOptions } from './files-pull.js';
export { push, type PushOptions } from './files-push.js';
export { boundaryOf, parseMultipart, type MultipartEvent, type MultipartLimits } from './multipart-parser.js';
export {
  multipartBody,
  multipartContentType,
  randomBoundary,
  type ByteSource,
  type MultipartPart,
} from './multipart-writer.js';
export { exec, type ExecOptions } from './exec.js';
export type { ExecOutput } from './exec-output.js';
export { ExecProcess, type ExecInput, type ExecResult } from './exec-process.js';
