import { Readable, Writable } from 'node:stream';
import type { WebSocket } from './websocket.js';

/**
 * Where an output stream of an exec goes: `'capture'` (default) collects it for `wait()`;
 * `'pipe'` exposes it as a Readable on the process; a Writable or a callback receives each chunk.
 * Streams apply backpressure: a slow reader pauses the websocket and, in turn, the process.
 */
export type ExecOutput = 'capture' | 'pipe' | Writable | ((chunk: Buffer) => void);

/** Forwards one output websocket (stdio or stderr) to its destination and notices the `end` command. */
export class OutputSink {
  /** The Readable for `'pipe'`, else null. */
  readonly readable: Readable | null;
  /** Resolves when the server sent `end` or the socket closed. */
  readonly ended: Promise<void>;
  private readonly chunks: Buffer[] | null;
  private markEnded!: () => void;
  private done = false;
  private pausedByUs = false;
  private lastWrite: Promise<void> = Promise.resolve();

  constructor(
    private readonly ws: WebSocket,
    private readonly target: ExecOutput,
  ) {
    this.ended = new Promise((resolve) => (this.markEnded = resolve));
    this.chunks = target === 'capture' ? [] : null;
    this.readable = target === 'pipe' ? new Readable({ read: () => this.resume() }) : null;
    if (target instanceof Writable) target.on('drain', this.onDrain);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) this.onData(data);
      else if (isEnd(data)) this.finish();
    });
    ws.on('close', () => this.finish());
    ws.resume();
  }

  /** True while a slow consumer holds the socket paused. */
  get paused(): boolean {
    return this.pausedByUs;
  }

  /** The collected bytes decoded with `encoding` (capture only; otherwise ''). */
  text(encoding: BufferEncoding): string {
    return this.chunks ? Buffer.concat(this.chunks).toString(encoding) : '';
  }

  /** True when output was captured. */
  get captured(): boolean {
    return this.chunks !== null;
  }

  /**
   * Stop forwarding; detach from a Writable target. After a failure, a readable that had not ended is
   * destroyed without an error event (readers see a premature close; `wait()` carries the reason).
   */
  close(failed = false): void {
    if (failed && !this.done && this.readable && !this.readable.destroyed) this.readable.destroy();
    this.finish();
    if (this.target instanceof Writable) this.target.off('drain', this.onDrain);
  }

  private onData(data: Buffer): void {
    if (this.done) return;
    const t = this.target;
    if (this.chunks) this.chunks.push(data);
    else if (this.readable) {
      if (!this.readable.push(data)) this.pause();
    } else if (t instanceof Writable) {
      // `ended` waits for the last chunk to be processed, not just buffered by the Writable
      this.lastWrite = new Promise<void>((resolve) => {
        if (!t.write(data, () => resolve())) this.pause();
      });
    } else if (typeof t === 'function') t(data);
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.readable?.push(null);
    this.resume();
    void this.lastWrite.then(this.markEnded);
  }

  private readonly onDrain = () => this.resume();

  private pause(): void {
    this.pausedByUs = true;
    this.ws.pause();
  }

  private resume(): void {
    if (!this.pausedByUs) return;
    this.pausedByUs = false;
    this.ws.resume();
  }
}

function isEnd(data: Buffer): boolean {
  try {
    return (JSON.parse(data.toString('utf8')) as { command?: unknown }).command === 'end';
  } catch {
    return false;
  }
}
