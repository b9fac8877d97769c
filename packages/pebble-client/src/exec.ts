import { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import { getChange } from './changes.js';
import { msToGoDuration } from './duration.js';
import { ChangeError, isPebbleError } from './errors.js';
import { ExecProcess, type ExecInput, type ExecSockets } from './exec-process.js';
import type { ExecOutput } from './exec-output.js';
import { describeZodError } from './request.js';
import type { Transport } from './transport.js';
import { connectWebSocket, terminate, type WebSocket } from './websocket.js';

export interface ExecOptions {
  /** Extra environment; overrides the daemon's (and the service context's) values. */
  environment?: Record<string, string> | undefined;
  /** Working directory (default: the user's home, or `/`). A missing one fails at once. */
  workingDir?: string | undefined;
  /** Deadline in milliseconds after which Pebble kills the process; `wait()` then throws TimeoutError. */
  timeout?: number | undefined;
  userId?: number | undefined;
  user?: string | undefined;
  groupId?: number | undefined;
  group?: string | undefined;
  /** Run with this service's environment, user, group and working dir (request fields still win). */
  serviceContext?: string | undefined;
  /**
   * Input: a value or stream sent then closed, or `'pipe'` for a writable `process.stdin`. Default: none (EOF at once).
   */
  stdin?: ExecInput | undefined;
  /** Default `'capture'`. */
  stdout?: ExecOutput | undefined;
  /** Default `'capture'`; ignored with `combineStderr`. */
  stderr?: ExecOutput | undefined;
  /** Merge stderr into stdout (one stream, as a terminal would show it). */
  combineStderr?: boolean | undefined;
  /** Encoding of captured output and of string input (default utf8). */
  encoding?: BufferEncoding | undefined;
  /** Aborting kills the process and makes `wait()` reject with an `aborted` error. */
  signal?: AbortSignal | undefined;
  /** Bound for connecting each websocket, in milliseconds (default 5000, Pebble's own window). */
  connectTimeout?: number | undefined;
}

const id = z
  .int()
  .min(0)
  .max(2 ** 32 - 2);
const output = z.union([
  z.literal('capture'),
  z.literal('pipe'),
  z.instanceof(Writable),
  z.custom<(c: Buffer) => void>((v) => typeof v === 'function', 'must be a function'),
]);
const input = z.union([
  z.literal('pipe'),
  z.string(),
  z.instanceof(Uint8Array),
  z.instanceof(Readable),
  z.custom<AsyncIterable<Uint8Array>>(
    (v) => typeof v === 'object' && v !== null && Symbol.asyncIterator in v,
    'must be a string, Uint8Array, Readable, AsyncIterable or "pipe"',
  ),
]);
const optionsSchema = z
  .object({
    environment: z.record(z.string(), z.string()).optional(),
    workingDir: z.string().min(1).optional(),
    timeout: z.number().positive().finite().optional(),
    userId: id.optional(),
    user: z.string().min(1).optional(),
    groupId: id.optional(),
    group: z.string().min(1).optional(),
    serviceContext: z.string().min(1).optional(),
    stdin: input.optional(),
    stdout: output.optional(),
    stderr: output.optional(),
    combineStderr: z.boolean().optional(),
    encoding: z
      .string()
      .refine((e) => Buffer.isEncoding(e), 'must be a Node.js buffer encoding such as "utf8"')
      .optional(),
    signal: z.instanceof(AbortSignal).optional(),
    connectTimeout: z.number().positive().finite().optional(),
  })
  .strict();
const commandSchema = z.array(z.string()).min(1, 'must name the program to run');

const execResultSchema = z.looseObject({ 'task-id': z.string() });

/**
 * Run a command through `POST /v1/exec` and connect its websockets (control, stdio, stderr) over the
 * unix socket, each within `connectTimeout`. Resolves once the process is attached; then use
 * `wait()` for its exit code and output. All sockets and timers are released when `wait()` settles,
 * whether the command succeeded, failed, timed out or was aborted.
 * @throws {APIError} when Pebble refuses the command (executable not found: 400; missing working dir: 500).
 */
export async function exec(t: Transport, command: readonly string[], options: ExecOptions = {}): Promise<ExecProcess> {
  const cmd = commandSchema.safeParse(command);
  if (!cmd.success) throw new TypeError(`cannot exec: invalid command: ${describeZodError(cmd.error)}`);
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success)
    throw new TypeError(
      `cannot exec ${JSON.stringify(cmd.data[0])}: invalid options.${describeZodError(parsed.error)}`,
    );
  const o = parsed.data as ExecOptions;
  const split = !o.combineStderr;
  const body = {
    command: cmd.data,
    'service-context': o.serviceContext,
    environment: o.environment,
    'working-dir': o.workingDir,
    timeout: o.timeout === undefined ? undefined : msToGoDuration(o.timeout),
    'user-id': o.userId,
    user: o.user,
    'group-id': o.groupId,
    group: o.group,
    'split-stderr': split,
  };
  const { change, result } = await t.asyncResult('POST', '/v1/exec', {
    body,
    schema: execResultSchema,
    signal: o.signal,
  });
  const taskId = result['task-id'];
  const connectTimeout = o.connectTimeout ?? 5000;
  const opened: WebSocket[] = [];
  const open = async (name: string) => {
    const ws = await connectWebSocket(t.socketPath, `/v1/tasks/${encodeURIComponent(taskId)}/websocket/${name}`, {
      timeout: connectTimeout,
      signal: o.signal,
    });
    opened.push(ws);
    return ws;
  };
  let sockets: ExecSockets;
  try {
    sockets = {
      control: await open('control'),
      stdio: await open('stdio'),
      stderr: split ? await open('stderr') : null,
    };
  } catch (err) {
    await Promise.all(opened.map(terminate));
    throw await explainConnectFailure(t, change, err);
  }
  return new ExecProcess(t, { changeId: change, taskId, command: cmd.data, sockets, options: o });
}

/** If the change already failed, its error says more than the websocket's (as ops does). */
async function explainConnectFailure(t: Transport, changeId: string, err: unknown): Promise<unknown> {
  if (isPebbleError(err) && err.code === 'aborted') return err;
  try {
    const change = await getChange(t, changeId, { timeout: 2000 });
    if (change.err) return new ChangeError({ err: change.err, change }, { cause: err });
  } catch {
    // keep the connect error
  }
  return err;
}
