/**
 * The hook-tool server: a unix-socket endpoint that `jujuc` (tools/bin/jujuc, one symlink per
 * tool name on the hook's PATH) talks to. One JSON line in, one JSON line out per connection;
 * the wire protocol is documented in ./protocol.ts.
 */
import { lstat, unlink } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { ToolRequest, type ToolResult } from '@charms/juju-model';

/** Handles one tool call of a live context. The runtime runs runHookTool on its model here. */
export type ToolHandler = (req: ToolRequest) => ToolResult | Promise<ToolResult>;

/** Options of {@link startHookToolServer}. */
export interface HookToolServerOptions {
  /** Socket path, or `@name` for a Linux abstract socket. */
  socketPath: string;
  /** The handler of a live context id, or undefined (-> `bad request: bad context: <id>`, exit 1). */
  lookup: (contextId: string) => ToolHandler | undefined;
  /** Largest request accepted, in bytes; default 64 MiB. */
  maxRequestBytes?: number;
}

/** A running server. */
export interface HookToolServer {
  readonly socketPath: string;
  close(): Promise<void>;
}

function errorResult(message: string): ToolResult {
  return { stdout: '', stderr: `ERROR ${message}\n`, exitCode: 1 };
}

async function answer(line: string, lookup: HookToolServerOptions['lookup']): Promise<ToolResult> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return errorResult('bad request: malformed JSON');
  }
  const parsed = ToolRequest.safeParse(json);
  if (!parsed.success)
    return errorResult(
      `bad request: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ')}`,
    );
  const handler = lookup(parsed.data.contextId);
  if (!handler) return errorResult(`bad request: bad context: ${parsed.data.contextId}`);
  try {
    return await handler(parsed.data);
  } catch (e) {
    return errorResult(`cannot run ${parsed.data.tool}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function serve(socket: Socket, opts: HookToolServerOptions): void {
  const max = opts.maxRequestBytes ?? 64 * 1024 * 1024;
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  const reply = (r: ToolResult) => {
    done = true;
    socket.end(`${JSON.stringify(r)}\n`);
  };
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    if (done) return;
    const nl = chunk.indexOf(10);
    chunks.push(nl === -1 ? chunk : chunk.subarray(0, nl));
    size += chunk.length;
    if (nl === -1 && size <= max) return;
    if (size > max && nl === -1) return reply(errorResult(`bad request: larger than ${max} bytes`));
    done = true;
    const line = Buffer.concat(chunks).toString('utf8');
    void answer(line, opts.lookup).then((r) => socket.end(`${JSON.stringify(r)}\n`));
  });
  socket.on('end', () => {
    if (!done) reply(errorResult('bad request: connection closed before a complete request'));
  });
}

/** Starts listening; resolves once the socket accepts connections. Replaces a stale socket file. */
export async function startHookToolServer(opts: HookToolServerOptions): Promise<HookToolServer> {
  const abstract = opts.socketPath.startsWith('@');
  const listenPath = abstract ? `\0${opts.socketPath.slice(1)}` : opts.socketPath;
  if (!abstract) {
    const st = await lstat(listenPath).catch(() => null);
    if (st?.isSocket()) await unlink(listenPath);
  }
  const open = new Set<Socket>();
  const server: Server = createServer((s) => {
    open.add(s);
    s.on('close', () => open.delete(s));
    serve(s, opts);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    socketPath: opts.socketPath,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of open) s.destroy();
      await closed;
      if (!abstract) await unlink(listenPath).catch(() => undefined);
    },
  };
}
