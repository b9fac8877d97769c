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
export { DEFAULT_RETRY, DEFAULT_TIMEOUT, readRawError, Transport, type RawResponse, type RetryOptions } from './transport.js';
export type { SystemInfo } from './system.js';
