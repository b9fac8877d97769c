/**
 * Wire protocol between the `jujuc` client (apps/sim/jujuc/main.go) and the hook-tool server.
 *
 * One request per connection, each a single line of JSON terminated by `\n`:
 *   client -> server  {"contextId":"redis/0-install-123","tool":"relation-get","args":["-r","1"],
 *                      "cwd":"/var/lib/juju/agents/unit-redis-0/charm","stdin":"...","files":{"/tmp/x":"..."}}
 *   server -> client  {"stdout":"...","stderr":"...","exitCode":0,"outputPath":"out.json"}
 * `stdin` is present only when args contain `--file -` (or `--file=-`); `files` carries the
 * contents of files named by `--file <path>` and `key#file=<path>` args, read by the client
 * in the hook's own filesystem view (paths exactly as given, relative to cwd unresolved).
 * `outputPath` (only with `-o/--output`) asks the client to write `stdout` to that file (relative to
 * its cwd, created or truncated) instead of printing it, as juju/cmd's Output does.
 * All strings are UTF-8. The server closes the connection after writing the response.
 */
import { z } from 'zod';

/** A hook-tool invocation as the client sends it. */
export const ToolRequest = z.object({
  contextId: z.string(),
  tool: z.string().min(1),
  args: z.array(z.string()),
  cwd: z.string(),
  stdin: z.string().optional(),
  files: z.record(z.string(), z.string()).optional(),
});
export type ToolRequest = z.infer<typeof ToolRequest>;

/** What the client prints and exits with. */
export const ToolResult = z.object({
  stdout: z.string(),
  stderr: z.string(),
  exitCode: z.number().int(),
  outputPath: z.string().optional(),
});
export type ToolResult = z.infer<typeof ToolResult>;

/**
 * The paths whose contents a client sends in {@link ToolRequest.files}: the values of `--file <path>`
 * (`--file=<path>`) other than `-`, and of `key#file=<path>` args, in order, up to a `--`.
 */
export function requestFilePaths(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') break;
    const path = a === '--file' ? args[++i] : a.startsWith('--file=') ? a.slice('--file='.length) : undefined;
    if (path !== undefined && path !== '-') out.push(path);
    const m = /^[^=]*#file=(.+)$/s.exec(a);
    if (m?.[1] !== undefined) out.push(m[1]);
  }
  return out;
}
