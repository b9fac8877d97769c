import { Writable, type Readable } from 'node:stream';
import { z } from 'zod';
import { waitChange, type Change } from './changes.js';
import { AbortError, ChangeError, ExecError, ProtocolError, TimeoutError } from './errors.js';
import { OutputSink, type ExecOutput } from './exec-output.js';
import { bytesOf, type ByteSource } from './multipart-writer.js';
import { signalName } from './signals.js';
import type { Transport } from './transport.js';
import { send, terminate, WebSocket } from './websocket.js';

/** What an exec reads: a value or stream (sent, then EOF), or `'pipe'` for a writable `process.stdin`. */
export type ExecInput = ByteSource | 'pipe';

/** The websockets of one exec; `stderr` is null when stderr is combined into stdio. */
export interface ExecSockets {
  control: WebSocket;
  stdio: WebSocket;
  stderr: WebSocket | null;
}

/** What `wait()` gives for a command that exited 0. Output not captured (streamed or combined) is ''. */
export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The subset of exec options the process needs after the request (see `ExecOptions`). */
export interface ExecProcessOptions {
  timeout?: number | undefined;
  stdin?: ExecInput | undefined;
  stdout?: ExecOutput | undefined;
  stderr?: ExecOutput | undefined;
  encoding?: BufferEncoding | undefined;
  signal?: AbortSignal | undefined;
}

const END = JSON.stringify({ command: 'end' });
/** Extra time over the exec timeout for Pebble to report the change. */
const WAIT_MARGIN = 10_000;
/** Bound for output to finish arriving after the change is ready (re-armed while a reader holds it paused). */
const DRAIN_TIMEOUT = 5_000;
/** Largest websocket frame sent for stdin. */
const FRAME = 1024 * 1024;
const exitCodeSchema = z.number().int();

/**
 * A command running under Pebble. Call `wait()` for its outcome; every socket, listener and timer is
 * released before `wait()` settles. Pebble kills the process if the control socket drops, so an
 * abort (the exec's `signal`) kills it too.
 */
export class ExecProcess {
  readonly changeId: string;
  readonly taskId: string;
  readonly command: readonly string[];
  /** Writable stdin when the exec used `stdin: 'pipe'` (end it to send EOF), else null. */
  readonly stdin: Writable | null = null;
  /** Readable stdout when the exec used `stdout: 'pipe'`, else null. */
  readonly stdout: Readable | null;
  /** Readable stderr when the exec used `stderr: 'pipe'` (and did not combine it), else null. */
  readonly stderr: Readable | null;
  private readonly sockets: ExecSockets;
  private readonly out: OutputSink;
  private readonly err: OutputSink | null;
  private readonly internal = new AbortController();
  private readonly result: Promise<ExecResult>;
  private readonly onAbort: () => void;
  private closing = false;

  constructor(
    private readonly t: Transport,
    init: {
      changeId: string;
      taskId: string;
      command: readonly string[];
      sockets: ExecSockets;
      options: ExecProcessOptions;
    },
  ) {
    this.changeId = init.changeId;
    this.taskId = init.taskId;
    this.command = init.command;
    this.sockets = init.sockets;
    const o = init.options;
    this.out = new OutputSink(this.sockets.stdio, o.stdout ?? 'capture');
    this.err = this.sockets.stderr ? new OutputSink(this.sockets.stderr, o.stderr ?? 'capture') : null;
    this.stdout = this.out.readable;
    this.stderr = this.err?.readable ?? null;
    this.sockets.control.resume();
    const stdio = this.sockets.stdio;
    if (o.stdin === 'pipe') {
      this.stdin = new Writable({
        write: (chunk: Buffer, _enc, cb) =>
          void (this.closing
            ? cb()
            : send(stdio, chunk, true).then(
                () => cb(),
                () => cb(),
              )),
        final: (cb) =>
          void (this.closing
            ? cb()
            : send(stdio, END, false).then(
                () => cb(),
                () => cb(),
              )),
      });
    } else if (o.stdin === undefined) {
      send(stdio, END, false).catch(() => undefined);
    } else {
      void this.pump(o.stdin, o.encoding ?? 'utf8');
    }
    this.onAbort = () =>
      this.internal.abort(
        new AbortError(
          { message: `cannot run ${this.name}: aborted by the caller; the process was killed` },
          { cause: o.signal?.reason },
        ),
      );
    if (o.signal?.aborted) this.onAbort();
    else o.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.result = this.run(o, o.signal);
    this.result.catch(() => undefined); // settled by wait(); never an unhandled rejection
  }

  /**
   * Wait for the process to finish and return its exit code and captured output.
   * @throws {ExecError} non-zero exit (with captured output); {@link TimeoutError} when the exec timeout
   * killed it (cause: the ChangeError); {@link ChangeError} when Pebble could not run it;
   * {@link AbortError} when the signal aborted. An error raised by a stdin source is rethrown unchanged.
   */
  wait(): Promise<ExecResult> {
    return this.result;
  }

  /**
   * Send a signal (`'SIGTERM'`, `'TERM'` or a number) to the process through the control socket.
   * Resolves false when the process has already finished.
   */
  async sendSignal(signal: string | number): Promise<boolean> {
    let name = signalName(signal).toUpperCase();
    if (!name.startsWith('SIG')) name = `SIG${name}`;
    if (this.closing || this.sockets.control.readyState !== WebSocket.OPEN) return false;
    return send(this.sockets.control, JSON.stringify({ command: 'signal', signal: { name } }), false).then(
      () => true,
      () => false,
    );
  }

  private get name(): string {
    return JSON.stringify(this.command[0] ?? '');
  }

  private async run(o: ExecProcessOptions, signal: AbortSignal | undefined): Promise<ExecResult> {
    let failure: unknown;
    try {
      const change = await waitChange(this.t, this.changeId, {
        signal: this.internal.signal,
        timeout: o.timeout ? o.timeout + WAIT_MARGIN : 0,
      });
      await this.drained();
      return this.outcome(change, o);
    } catch (err) {
      failure = this.internal.signal.aborted ? this.internal.signal.reason : err;
      throw failure;
    } finally {
      signal?.removeEventListener('abort', this.onAbort);
      await this.teardown(failure);
    }
  }

  private async drained(): Promise<void> {
    const sinks = [this.out, this.err].filter((s): s is OutputSink => s !== null);
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const bounded = new Promise<void>((resolve) => {
      const arm = () => (timer = setTimeout(() => (sinks.some((s) => s.paused) ? arm() : resolve()), DRAIN_TIMEOUT));
      arm();
      onAbort = () => resolve();
      this.internal.signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([Promise.all(sinks.map((s) => s.ended)), bounded]);
    } finally {
      clearTimeout(timer);
      if (onAbort) this.internal.signal.removeEventListener('abort', onAbort);
    }
    if (this.internal.signal.aborted) throw this.internal.signal.reason;
  }

  private outcome(change: Change, o: ExecProcessOptions): ExecResult {
    if (change.err) {
      const changeError = new ChangeError({ err: change.err, change });
      if (o.timeout !== undefined && /timed out after/.test(change.err)) {
        throw new TimeoutError(
          { message: `cannot run ${this.name}: timed out after ${o.timeout}ms; Pebble killed it`, timeout: o.timeout },
          { cause: changeError },
        );
      }
      throw changeError;
    }
    const code = exitCodeSchema.safeParse(change.tasks[0]?.data['exit-code']);
    if (!code.success)
      throw new ProtocolError({
        message: `cannot read the exit code of ${this.name}: change ${change.id} has no integer tasks[0].data["exit-code"]`,
      });
    const encoding = o.encoding ?? 'utf8';
    const stdout = this.out.text(encoding);
    const stderr = this.err?.text(encoding) ?? '';
    if (code.data !== 0) {
      throw new ExecError({
        command: [...this.command],
        exitCode: code.data,
        stdout: this.out.captured ? stdout : null,
        stderr: this.err?.captured ? stderr : null,
      });
    }
    return { exitCode: 0, stdout, stderr };
  }

  private async pump(source: ByteSource, encoding: BufferEncoding): Promise<void> {
    const chunks = bytesOf(source, encoding);
    try {
      for (;;) {
        let next: IteratorResult<Buffer>;
        try {
          next = await chunks.next();
        } catch (sourceError) {
          // The caller's input failed: stop the process and report that error as it is.
          if (!this.closing) this.internal.abort(sourceError);
          return;
        }
        if (next.done || this.closing) break;
        for (let at = 0; at < next.value.length && !this.closing; at += FRAME)
          await send(this.sockets.stdio, next.value.subarray(at, at + FRAME), true);
      }
      if (!this.closing) await send(this.sockets.stdio, END, false);
    } catch {
      // The socket went away: the process is gone, and wait() reports how it ended.
    } finally {
      await chunks.return(undefined).catch(() => undefined);
    }
  }

  private async teardown(failure: unknown): Promise<void> {
    this.closing = true;
    // Control first: if the process still runs, the dropped control socket makes Pebble SIGKILL it.
    await terminate(this.sockets.control);
    this.out.close(failure !== undefined);
    this.err?.close(failure !== undefined);
    await Promise.all([
      terminate(this.sockets.stdio),
      this.sockets.stderr ? terminate(this.sockets.stderr) : undefined,
    ]);
    if (this.stdin && !this.stdin.destroyed) this.stdin.destroy();
  }
}
