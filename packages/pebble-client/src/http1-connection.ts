import { connect, type Socket } from 'node:net';
import type { EventEmitter } from 'node:events';
import { Http1Error, socketClosedError } from './http1-error.js';
import { type Http1Response, type ParserLimits, ResponseParser } from './http1-response-parser.js';

/** What a caller can cancel with: an AbortSignal-like emitter (the transport's CallScope) with an `abort` event. */
export type Cancel = EventEmitter & { readonly aborted: boolean };

interface Active {
  parser: ResponseParser;
  resolve: (res: Http1Response) => void;
  reject: (err: unknown) => void;
  cancel: Cancel | undefined;
  onCancel: (() => void) | undefined;
}

/**
 * One keep-alive HTTP/1.1 connection on the unix socket, carrying one request at a time. A failure
 * before the socket connected is the socket's own error (ENOENT, ECONNREFUSED, ...), so it maps
 * like undici's; after that, a connection that ends early fails with `HTTP1_SOCKET_CLOSED`.
 */
export class Http1Connection {
  /** Responses read completely on this connection (more than 0: a reused connection). */
  served = 0;
  /** Closed or closing: never hand it out again. */
  dead = false;
  /** When it last became idle (ms, performance.now()). */
  idleSince = 0;
  private readonly socket: Socket;
  private connected = false;
  private active: Active | undefined;
  private lastError: (Error & { code?: string }) | undefined;

  constructor(
    socketPath: string,
    private readonly limits: ParserLimits,
    onClose: (conn: Http1Connection) => void,
  ) {
    this.socket = connect(socketPath);
    this.socket.on('connect', () => (this.connected = true));
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('end', () => this.onEnd());
    this.socket.on('error', (err) => (this.lastError = err));
    this.socket.on('close', () => {
      this.dead = true;
      this.fail();
      onClose(this);
    });
  }

  /**
   * Write one request and resolve with its complete response; `cancel` aborting destroys the connection.
   * Call only when no other request is in flight on it.
   */
  send(request: string, cancel: Cancel | undefined): Promise<Http1Response> {
    return new Promise((resolve, reject) => {
      if (this.dead) return reject(new Http1Error('HTTP1_SOCKET_CLOSED', 'the connection was closed'));
      const onCancel = cancel ? () => this.destroy() : undefined;
      this.active = { parser: new ResponseParser(this.limits), resolve, reject, cancel, onCancel };
      if (onCancel) cancel?.once('abort', onCancel);
      this.socket.ref();
      this.socket.write(request, 'utf8');
    });
  }

  /** Let the process exit while this connection sits idle. */
  unref(): void {
    this.socket.unref();
  }

  /** Close the connection now; a request in flight fails. */
  destroy(): void {
    this.dead = true;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    const active = this.active;
    // Bytes nobody asked for: the stream is out of step, so it cannot carry another request.
    if (!active) return this.destroy();
    let res: Http1Response | undefined;
    try {
      res = active.parser.push(chunk);
    } catch (err) {
      this.settle()?.reject(err);
      return this.destroy();
    }
    if (!res) return;
    this.served++;
    if (!res.keepAlive) this.destroy();
    this.settle()?.resolve(res);
  }

  private onEnd(): void {
    const active = this.active;
    if (active) {
      try {
        const res = active.parser.end();
        this.served++;
        this.settle()?.resolve(res);
      } catch (err) {
        this.settle()?.reject(err);
      }
    }
    this.destroy();
  }

  /** The socket closed: a request still in flight fails with why. */
  private fail(): void {
    const active = this.settle();
    if (!active) return;
    active.reject(socketClosedError(this.lastError, this.connected, active.parser.started));
  }

  /** Detach the request in flight (it is about to settle) and stop listening for its cancel. */
  private settle(): Active | undefined {
    const active = this.active;
    this.active = undefined;
    if (active?.onCancel) active.cancel?.removeListener('abort', active.onCancel);
    return active;
  }
}
