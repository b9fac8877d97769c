/**
 * The hook-tool server: a unix-socket endpoint that `jujuc` (tools/bin/jujuc, one symlink per
 * tool name on the hook's PATH) talks to. Wire protocol: see ./protocol.ts.
 */
import type { ToolRequest, ToolResult } from './protocol.js';

/** Handles one tool call of a live context. The runtime runs runHookTool on its model here. */
export type ToolHandler = (req: ToolRequest) => ToolResult | Promise<ToolResult>;

/** Options of {@link startHookToolServer}. */
export interface HookToolServerOptions {
  /** Socket path, or `@name` for a Linux abstract socket. */
  socketPath: string;
  /** The handler of a live context id, or undefined (-> `bad request: bad context: <id>`, exit 1). */
  lookup: (contextId: string) => ToolHandler | undefined;
}

/** A running server. */
export interface HookToolServer {
  readonly socketPath: string;
  close(): Promise<void>;
}

/** Starts listening; resolves once the socket accepts connections. */
export async function startHookToolServer(_opts: HookToolServerOptions): Promise<HookToolServer> {
  throw new Error('not implemented');
}
