import { spawn } from 'node:child_process';
import { HookToolError, type HookToolErrorCode } from '../errors.js';
import { secretsIn } from '../logging/secret-registry.js';

/** What a hook tool printed and how it exited. */
export interface HookToolResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Set when stdout passed this many bytes: the tool was killed and its output dropped. */
  overLimit?: number;
}

/** Options for one hook tool call. */
export interface HookToolCall {
  /** Written to the tool's stdin, then stdin is closed. */
  stdin?: string;
  /**
   * Let argv carry registered secret values. Only {@link actionSet} sets it, for result keys an
   * action exists to reveal (Juju's action-set takes no file or stdin form).
   */
  allowSecretsInArgv?: boolean;
}

/**
 * The one seam through which the kit runs hook tools. The real one spawns the executable found on
 * PATH (no shell); tests substitute a fake backed by in-memory state.
 */
export interface HookToolRunner {
  /** Runs `tool args...`; resolves with any exit code, rejects only when the tool cannot start. */
  run(tool: string, args: readonly string[], call?: HookToolCall): Promise<HookToolResult>;
}

/** Options of {@link execFileRunner}. */
export interface ExecFileRunnerOptions {
  /** Environment of the tools (defaults to this process's, which carries JUJU_CONTEXT_ID). */
  env?: NodeJS.ProcessEnv;
  /** Directory holding the tools; by default they are looked up on PATH. */
  toolsDir?: string;
  /** Kill a tool that runs longer than this many milliseconds (default 10 minutes). */
  timeoutMs?: number;
  /** Kill a tool whose stdout passes this many bytes (default {@link MAX_OUTPUT_BYTES}). */
  maxOutputBytes?: number;
}

/**
 * The most a hook tool may print: a related app writes what it likes into its bags, and one
 * relation-get of a bag holding a huge value must not take the hook's memory with it.
 */
export const MAX_OUTPUT_BYTES = 64 << 20;

/** The real runner: spawns each tool without a shell, feeding stdin when given. */
export function execFileRunner(options: ExecFileRunnerOptions = {}): HookToolRunner {
  return {
    run(tool, args, call = {}) {
      const file = options.toolsDir ? `${options.toolsDir}/${tool}` : tool;
      return new Promise((resolve, reject) => {
        const child = spawn(file, args, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
        // our own unref'd timer: spawn's `timeout` keeps the process alive after a failed spawn
        const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
        timer.unref();
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        const limit = options.maxOutputBytes ?? MAX_OUTPUT_BYTES;
        let outBytes = 0;
        child.stdout.on('data', (b: Buffer) => {
          outBytes += b.length;
          if (outBytes <= limit) out.push(b);
          else if (!child.killed) {
            out.length = 0;
            child.kill('SIGKILL');
          }
        });
        child.stderr.on('data', (b: Buffer) => err.push(b));
        child.stdin.on('error', () => undefined);
        child.on('error', (cause) => {
          clearTimeout(timer);
          reject(cause);
        });
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          if (outBytes > limit) {
            resolve({ stdout: '', stderr: '', exitCode: code ?? 128, overLimit: limit });
            return;
          }
          resolve({
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: Buffer.concat(err).toString('utf8') + (signal ? `killed by ${signal}` : ''),
            exitCode: code ?? 128,
          });
        });
        child.stdin.end(call.stdin ?? '');
      });
    },
  };
}

/**
 * Runs a tool through `runner` and returns its stdout, or throws a classified {@link HookToolError}.
 * Refuses to start a tool whose argv carries a registered secret value.
 */
export async function runTool(
  runner: HookToolRunner,
  tool: string,
  args: readonly string[],
  call?: HookToolCall,
): Promise<string> {
  const argv = [tool, ...args];
  if (call?.allowSecretsInArgv !== true && secretsIn(argv.join('\0'))) {
    throw new HookToolError(
      'secret-in-argv',
      `cannot run ${tool}: an argument carries a secret value; pass it through a file or stdin`,
      {
        argv: argv.map(() => '[REDACTED]'),
        exitCode: null,
        stderr: '',
      },
    );
  }
  let result: HookToolResult;
  try {
    result = await runner.run(tool, args, call);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new HookToolError(
      'spawn-failed',
      `cannot run ${tool}: ${why} (is it on PATH? hook tools exist only while Juju runs a hook)`,
      { argv, exitCode: null, stderr: '' },
      { cause },
    );
  }
  if (result.overLimit !== undefined) {
    throw new HookToolError(
      'output-too-large',
      `cannot run ${tool}: its output passed ${result.overLimit} bytes and was dropped (a relation bag that large is refused)`,
      { argv, exitCode: null, stderr: '' },
    );
  }
  if (result.exitCode !== 0) {
    const text = result.stderr.trim().replace(/^ERROR\s+/, '');
    throw new HookToolError(
      classify(tool, result.exitCode, result.stderr),
      `cannot run ${tool}: ${text || `exit code ${result.exitCode}`}`,
      {
        argv,
        exitCode: result.exitCode,
        stderr: result.stderr,
      },
    );
  }
  return result.stdout;
}

/** Maps a failed tool's exit code and stderr to a stable code (the substrings ops matches on). */
export function classify(tool: string, exitCode: number, stderr: string): HookToolErrorCode {
  const s = stderr.toLowerCase();
  if (s.includes('juju_context_id not set') || s.includes('bad context')) return 'no-context';
  if (
    s.includes('relation not found') ||
    (tool.startsWith('relation-') && s.includes('invalid value') && s.includes('-r'))
  )
    return 'relation-not-found';
  if (s.includes('not the leader') || s.includes('not leader') || s.includes('cannot write relation settings'))
    return 'not-leader';
  if (s.includes('permission denied') || s.includes('access denied') || s.includes('unauthorized'))
    return 'permission-denied';
  if (s.includes('not found') || s.includes('could not download resource')) return 'not-found';
  if (exitCode === 2) return 'usage';
  return 'unknown';
}

/** Parses a tool's JSON stdout, turning bad output into an `invalid-output` error. */
export function parseJsonOutput<T>(tool: string, argv: readonly string[], stdout: string, parse: (v: unknown) => T): T {
  try {
    const text = stdout.trim();
    return parse(text === '' ? null : JSON.parse(text));
  } catch (cause) {
    const why = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new HookToolError(
      'invalid-output',
      `cannot parse the output of ${tool}: ${why}`,
      { argv: [tool, ...argv], exitCode: 0, stderr: '' },
      { cause },
    );
  }
}
