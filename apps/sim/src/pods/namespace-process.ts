import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { JujuModelError } from '@charms/juju-model';
import { renderMountScript, type ViewPlan } from './mount-script.js';

/** A running view: `unshare` on the host and the view's PID 1 inside its PID namespace. */
export interface ViewProcess {
  /** Host pid of `unshare` (our child). */
  unsharePid: number;
  /** Host pid of the view's PID 1. */
  pid1: number;
  /** Kernel start time of PID 1 (clock ticks), to tell a recycled pid apart. */
  pid1Start: number;
  /** Resolves with the exit code (or signal) when `unshare` ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const UNSHARE = ['--mount', '--uts', '--pid', '--fork', '--propagation', 'private', '--kill-child'];

/** Start time (field 22 of /proc/<pid>/stat) or undefined when the pid is gone. */
export async function processStartTime(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]);
  } catch {
    return undefined;
  }
}

async function readChildren(pid: number): Promise<number[]> {
  try {
    const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return text.trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function commOf(pid: number): Promise<string | undefined> {
  try {
    return (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

async function tail(path: string, lines = 8): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Options for {@link startView}. */
export interface StartViewOptions {
  plan: ViewPlan;
  env: Record<string, string>;
  /** Console log of the view (stdout and stderr of the mount script and of PID 1); `start.sh` is written beside it. */
  logFile: string;
  /** The `comm` of PID 1 once it has exec'd (mounts are complete by then). */
  readyComm: string;
  timeoutMs?: number;
  /** Label for error messages, e.g. `pod redis-0 container redis`. */
  label: string;
  /** Network namespace to start in (`/proc/<pid>/ns/net` of the pod's holder); the host's otherwise. */
  netns?: string;
}

/**
 * Starts a view in new mount, UTS and PID namespaces (inside `netns` when given) and resolves once its
 * PID 1 runs `readyComm`, i.e. every mount is in place. The process is detached from our process group
 * so terminal signals do not reach pods; `--kill-child` ends the namespace if `unshare` itself is killed.
 */
export async function startView(opts: StartViewOptions): Promise<ViewProcess> {
  const script = join(dirname(opts.logFile), 'start.sh');
  await writeFile(script, renderMountScript(opts.plan), { mode: 0o700 });
  const fd = openSync(opts.logFile, 'a');
  let child: ChildProcess;
  try {
    const argv = ['unshare', ...UNSHARE, '/bin/sh', script];
    // nsenter with only --net execs unshare in place, so the child is still unshare
    if (opts.netns !== undefined) argv.unshift('nsenter', `--net=${opts.netns}`);
    const [file = 'unshare', ...args] = argv;
    child = spawn(file, args, {
      stdio: ['ignore', fd, fd],
      env: opts.env,
      detached: true,
    });
  } finally {
    closeSync(fd);
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: 127, signal: null }));
  });
  let done: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void exited.then((r) => (done = r));
  const unsharePid = child.pid;
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  while (unsharePid !== undefined && done === undefined && Date.now() < deadline) {
    const [pid1] = await readChildren(unsharePid);
    if (pid1 !== undefined && (await commOf(pid1)) === opts.readyComm) {
      const pid1Start = await processStartTime(pid1);
      if (pid1Start !== undefined) return { unsharePid, pid1, pid1Start, exited };
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  if (unsharePid !== undefined && done === undefined) process.kill(unsharePid, 'SIGKILL');
  const why = done
    ? `its setup exited with ${done.code ?? done.signal}`
    : `it was not up after ${opts.timeoutMs ?? 15_000} ms`;
  const log = await tail(opts.logFile);
  throw new JujuModelError(
    'pod-failed',
    `cannot start ${opts.label}: ${why}${log ? `; last console lines (${opts.logFile}):\n${log}` : ''}`,
    { log: opts.logFile },
  );
}

/** SIGKILLs a view's PID 1 if it is still the same process (start time matches); ends its whole namespace. */
export async function killView(pid1: number, pid1Start: number): Promise<boolean> {
  if ((await processStartTime(pid1)) !== pid1Start) return false;
  try {
    process.kill(pid1, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

/** Resolves once `pid` has gone (or is a zombie), bounded by `timeoutMs`. */
export async function waitGone(pid: number, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return true;
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return false;
}
