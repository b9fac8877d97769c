import { connect, type Socket } from 'node:net';
import type { Cancel } from './http1-connection.js';
import { Http1Error, socketClosedError } from './http1-error.js';
import { chunkHeader, LAST_CHUNK } from './http1-request.js';
import { type Http1Head, ResponseParser } from './http1-response-parser.js';
import { ReadSlab } from './read-slab.js';
import type { BodyEvents, BodyReader } from './stream-body.js';

type State = 'open' | 'complete' | 'failed' | 'destroyed';

/**
 * One streamed HTTP/1.1 exchange on a unix-socket connection of its own (file pushes and pulls): the
 * request body is written as the source yields it and the socket takes it, the response body is handed
 * on as views of the socket's reads (each read goes into a {@link ReadSlab}, one view per read). The
 * connection is closed when the exchange is over. A failure before the socket connected is the socket's
 * own error (ENOENT, ECONNREFUSED, ...), later ones are `HTTP1_SOCKET_CLOSED` or the parser's; `cancel`
 * aborting fails the exchange with `HTTP1_ABORTED`.
 */
export class Http1Stream implements BodyReader {
  /** The response head; rejects when the exchange fails before it. */
  readonly head: Promise<Http1Head>;
  private resolveHead!: (head: Http1Head) => void;
  private rejectHead!: (err: unknown) => void;
  private headSeen = false;
  private readonly socket: Socket;
  private readonly parser: ResponseParser;
  private state: State = 'open';
  private connected = false;
  private lastError: (Error & { code?: string }) | undefined;
  private events: BodyEvents | undefined;
  /** Body bytes (and the outcome) that came before {@link start}. */
  private early: Buffer[] = [];
  private outcome: { error: unknown } | 'end' | undefined;
  private paused = false;
  /** A writer waiting for the socket to drain (or the exchange to end). */
  private wake: (() => void) | undefined;
  private readonly onCancel: (() => void) | undefined;

  constructor(
    socketPath: string,
    private readonly cancel: Cancel | undefined,
  ) {
    this.head = new Promise((resolve, reject) => {
      this.resolveHead = resolve;
      this.rejectHead = reject;
    });
    this.head.catch(() => undefined); // the caller may be busy sending when it fails; it awaits later
    this.parser = new ResponseParser({}, (chunk) => this.body(chunk));
    const slab = new ReadSlab();
    this.socket = connect({
      path: socketPath,
      onread: {
        buffer: () => slab.next(),
        callback: (n) => {
          this.onData(slab.take(n));
          return true;
        },
      },
    });
    this.socket.on('connect', () => (this.connected = true));
    this.socket.on('end', () => this.onEnd());
    this.socket.on('drain', () => this.wakeWriter());
    this.socket.on('error', (err) => (this.lastError = err));
    this.socket.on('close', () => this.onClose());
    if (cancel) {
      this.onCancel = () => this.fail(new Http1Error('HTTP1_ABORTED', 'the call was aborted'));
      cancel.once('abort', this.onCancel);
    }
  }

  /**
   * Write the request: `head` (from serializeStreamHead), then `body` in chunked coding, waiting for
   * the socket to drain whenever it holds more than its high-water mark. Stops early, without error,
   * once the response is complete or the exchange failed (the head promise says which).
   * @throws whatever `body` throws (the caller destroys the exchange).
   */
  async send(head: string, body: AsyncIterable<Buffer> | undefined): Promise<void> {
    const socket = this.socket;
    socket.write(head, 'latin1');
    if (!body) return;
    for await (const chunk of body) {
      if (this.state !== 'open') return;
      if (chunk.length === 0) continue;
      socket.cork();
      socket.write(chunkHeader(chunk.length), 'latin1');
      socket.write(chunk);
      const ok = socket.write('\r\n', 'latin1');
      socket.uncork();
      if (!ok) await new Promise<void>((resolve) => (this.wake = resolve));
    }
    if (this.state === 'open') socket.write(LAST_CHUNK, 'latin1');
  }

  start(events: BodyEvents): void {
    this.events = events;
    for (const chunk of this.early.splice(0)) {
      if (this.state === 'destroyed') return;
      events.data(chunk);
    }
    if (this.outcome === 'end') events.end();
    else if (this.outcome) events.error(this.outcome.error);
    else if (!this.paused) this.socket.resume();
  }

  pause(): void {
    this.paused = true;
    this.socket.pause();
  }

  resume(): void {
    this.paused = false;
    if (this.events) this.socket.resume();
  }

  destroy(): void {
    if (this.state === 'open' || this.state === 'complete') this.state = 'destroyed';
    this.events = undefined;
    this.settle();
  }

  private body(chunk: Buffer): void {
    if (this.events) this.events.data(chunk);
    else this.early.push(chunk);
  }

  private onData(chunk: Buffer): void {
    if (this.state !== 'open') return;
    let done;
    try {
      done = this.parser.push(chunk);
    } catch (err) {
      // the body bytes before the bad ones still reach the consumer, then the error
      this.noteHead();
      return this.fail(err);
    }
    this.noteHead();
    if (done && this.state === 'open') this.complete();
  }

  private noteHead(): void {
    if (this.headSeen) return;
    const head = this.parser.head;
    if (!head) return;
    this.headSeen = true;
    // nothing reads until start(): hold the socket so only this read's bytes wait in memory
    if (!this.events) this.socket.pause();
    this.resolveHead(head);
  }

  private onEnd(): void {
    if (this.state !== 'open') return;
    try {
      this.parser.end();
    } catch (err) {
      return this.fail(err);
    }
    this.complete();
  }

  private onClose(): void {
    if (this.state !== 'open') return;
    this.fail(socketClosedError(this.lastError, this.connected, this.parser.started));
  }

  private complete(): void {
    this.state = 'complete';
    this.settle();
    if (this.events) this.events.end();
    else this.outcome = 'end';
  }

  private fail(err: unknown): void {
    if (this.state !== 'open') return;
    this.state = 'failed';
    this.settle();
    if (!this.headSeen) this.rejectHead(err);
    else if (this.events) this.events.error(err);
    else this.outcome = { error: err };
  }

  /** The exchange is over: close the connection, stop listening for the cancel, release a waiting writer. */
  private settle(): void {
    this.socket.destroy();
    if (this.onCancel) this.cancel?.removeListener('abort', this.onCancel);
    this.wakeWriter();
  }

  private wakeWriter(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
