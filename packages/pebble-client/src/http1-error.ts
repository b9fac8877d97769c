/**
 * Low-level failure codes of the HTTP/1.1 transport for short calls. `mapTransportError` turns them
 * into the package's errors with the same `code` the undici path gives for the same failure.
 */
export type Http1ErrorCode =
  /** The connection ended or broke before the response was complete (ConnectionError, retryable). */
  | 'HTTP1_SOCKET_CLOSED'
  /** The response is not valid HTTP/1.1 (ProtocolError). */
  | 'HTTP1_PARSE'
  /** The response head is larger than the cap (ProtocolError). */
  | 'HTTP1_HEADERS_OVERFLOW'
  /** The response body is larger than the cap (ProtocolError). */
  | 'HTTP1_BODY_OVERFLOW'
  /** The request cannot be written as HTTP/1.1, e.g. a path with a space or line break (ProtocolError). */
  | 'HTTP1_BAD_REQUEST'
  /** The caller cancelled the call (AbortError; the transport reports its own abort reason). */
  | 'HTTP1_ABORTED'
  /** The transport was closed (ConnectionError "the client was closed", never retried). */
  | 'HTTP1_CLOSED';

/** A failure of the HTTP/1.1 transport, before it is mapped to a PebbleError. */
export class Http1Error extends Error {
  override readonly name = 'Http1Error';

  constructor(
    readonly code: Http1ErrorCode,
    message: string,
    /** True once any byte of the response had arrived (a request is retried only when none had). */
    readonly responseStarted = false,
  ) {
    super(message);
  }
}

/**
 * Why a request failed when its socket closed: before it connected, the socket's own error (ENOENT,
 * ECONNREFUSED, ...); after, `HTTP1_SOCKET_CLOSED`, saying whether any response byte had arrived.
 */
export function socketClosedError(
  lastError: (Error & { code?: string }) | undefined,
  connected: boolean,
  responseStarted: boolean,
): Error {
  if (!connected && lastError) return lastError;
  const detail = lastError ? ` (${lastError.code ?? lastError.message})` : '';
  const where = responseStarted ? 'before the response was complete' : 'before any response';
  return new Http1Error('HTTP1_SOCKET_CLOSED', `the connection closed ${where}${detail}`, responseStarted);
}
