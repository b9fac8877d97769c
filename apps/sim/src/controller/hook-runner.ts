import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import type { HookOutcome, LogEntry, LogLevel } from '../model/api.js';
import { CHARM_VIEW } from '../pods/layout.js';
import type { Pod } from '../pods/pod.js';
import { captureOutput } from './output-capture.js';

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Juju's handler discovery: `<charm>/dispatch` for everything, else `hooks/<name>` or `actions/<name>`.
 * Returns the path inside the charm view, or undefined when there is no handler.
 */
export async function findHandler(
  hostCharmDir: string,
  unit: string,
  dispatchPath: string,
): Promise<string | undefined> {
  const viewDir = CHARM_VIEW.charmDir(unit);
  if (await executable(join(hostCharmDir, 'dispatch'))) return `${viewDir}/dispatch`;
  if (await executable(join(hostCharmDir, dispatchPath))) return `${viewDir}/${dispatchPath}`;
  return undefined;
}

/** What {@link runInPod} needs besides the pod. */
export interface HookRun {
  unit: string;
  /** Hook or action name (logger `unit.<unit>.<name>`). */
  name: string;
  handler: string;
  env: Record<string, string>;
  log: (entry: LogEntry) => void;
}

const SIGNALS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGABRT: 6,
  SIGKILL: 9,
  SIGSEGV: 11,
  SIGPIPE: 13,
  SIGTERM: 15,
};

/**
 * Runs a handler in the pod's charm view with exactly `env`, working directory the charm dir.
 * stdout goes to debug-log at DEBUG and stderr at WARNING, line by line, as Juju does (every line, however
 * long the output). Each stream is decoded with its own streaming decoder, so a character split across
 * chunks stays whole. Both are also returned, for action results (their only reader, see commitHook): each
 * keeps its first DEFAULT_CAPTURE_LIMIT bytes (1 MiB) then TRUNCATED_MARKER, so a hook's memory is bounded
 * by about 1 MiB per stream plus one MAX_LINE partial line. A signal death is exit code 128+n.
 */
export async function runInPod(pod: Pod, run: HookRun): Promise<HookOutcome> {
  const child = pod.exec([run.handler], run.env, CHARM_VIEW.charmDir(run.unit));
  const emit = (level: LogLevel) => (message: string) =>
    run.log({
      time: new Date().toISOString(),
      unit: run.unit,
      hook: run.name,
      level,
      logger: `unit.${run.unit}.${run.name}`,
      message,
    });
  const out = captureOutput(emit('DEBUG'));
  const err = captureOutput(emit('WARNING'));
  child.stdout?.on('data', (d: Buffer) => out.push(d));
  child.stderr?.on('data', (d: Buffer) => err.push(d));
  const exitCode = await new Promise<number>((resolve) => {
    child.once('error', (e) => {
      err.push(`cannot run ${run.handler}: ${e.message}\n`);
      resolve(127);
    });
    child.once('close', (code, signal) => resolve(code ?? 128 + (signal ? (SIGNALS[signal] ?? 9) : 9)));
  });
  return { exitCode, stdout: out.end(), stderr: err.end() };
}
