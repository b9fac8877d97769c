import fsp from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { EventLogError } from './errors.js';
import { hasErrno, io, type FileSystem } from './fs-seam.js';

/** Tells whether a pid still names the process that wrote a lock. */
export interface ProcessProbe {
  /** Pid of this process. */
  readonly pid: number;
  /**
   * A string naming one process incarnation (boot id + start time), or null when `pid` does not run.
   * Lets a lock survive pid reuse: a different identity under the same pid means the owner is gone.
   */
  identity(pid: number): Promise<string | null>;
}

let bootId: Promise<string> | undefined;

/** The real probe: /proc start times where available, signal 0 elsewhere. */
export const nodeProcessProbe: ProcessProbe = {
  pid: process.pid,
  async identity(pid) {
    if (!isRunning(pid)) return null;
    try {
      bootId ??= fsp.readFile('/proc/sys/kernel/random/boot_id', 'utf8').then((id) => id.trim());
      const stat = await fsp.readFile(`/proc/${pid}/stat`, 'utf8');
      const startTime = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
      return `${await bootId}:${startTime}`;
    } catch {
      return isRunning(pid) ? 'running' : null;
    }
  },
};

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return hasErrno(error, 'EPERM');
  }
}

const LockContentSchema = z.object({
  pid: z.number().int().positive(),
  identity: z.string().nullable(),
  token: z.string(),
  createdAt: z.string(),
});

/** The content of a lock file. */
export type LockContent = z.infer<typeof LockContentSchema>;

/** A held writer lock. */
export interface HeldLock {
  readonly content: LockContent;
  /** The dead owner whose stale lock was taken over, if any. */
  readonly takenOver: { pid: number } | null;
  /** Removes the lock file if it is still ours. */
  release(): Promise<void>;
}

const ATTEMPTS = 8;

/**
 * Takes the writer lock at `lockPath`: created atomically with our pid (link of a complete file),
 * a live owner's lock refused with `locked`, a dead owner's lock taken over after re-checking it.
 * Nothing of the lock is fsynced: it only excludes live processes, which share the page cache, and
 * after a machine crash every owner is dead, so a lost, empty or torn lock file is taken over.
 */
export async function acquireLock(fs: FileSystem, lockPath: string, probe: ProcessProbe, now: Date): Promise<HeldLock> {
  const content: LockContent = {
    pid: probe.pid,
    identity: await probe.identity(probe.pid),
    token: randomBytes(8).toString('hex'),
    createdAt: now.toISOString(),
  };
  const raw = `${JSON.stringify(content)}\n`;
  const candidate = `${lockPath}.${content.token}.candidate`;
  await io('write lock candidate', candidate, () => writeExclusive(fs, candidate, raw));
  let takenOver: { pid: number } | null = null;
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        await fs.link(candidate, lockPath);
        return { content, takenOver, release: () => releaseLock(fs, lockPath, content.token) };
      } catch (error) {
        if (!hasErrno(error, 'EEXIST'))
          throw new EventLogError(
            'lock-failed',
            `cannot create the lock ${lockPath}: ${String(error)}`,
            { path: lockPath },
            { cause: error },
          );
      }
      const current = await readLockFile(fs, lockPath);
      if (current === undefined) continue;
      if (current.content !== undefined && (await ownerAlive(probe, current.content))) {
        throw new EventLogError(
          'locked',
          `cannot open the event log for writing: process ${current.content.pid} holds ${lockPath}; stop it, or remove the file if that pid is not a writer of this log`,
          { pid: current.content.pid, path: lockPath },
        );
      }
      if (await reap(fs, lockPath, current.raw, content.token)) takenOver = { pid: current.content?.pid ?? 0 };
    }
    throw new EventLogError('lock-failed', `cannot take the lock ${lockPath}: it kept changing under us; retry`, {
      path: lockPath,
    });
  } finally {
    await fs.unlink(candidate).catch(() => undefined);
  }
}

async function writeExclusive(fs: FileSystem, file: string, data: string): Promise<void> {
  const handle = await fs.open(file, 'wx', 0o600);
  try {
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
}

async function readLockFile(
  fs: FileSystem,
  lockPath: string,
): Promise<{ raw: Buffer; content: LockContent | undefined } | undefined> {
  let raw: Buffer;
  try {
    raw = await fs.readFile(lockPath);
  } catch (error) {
    if (hasErrno(error, 'ENOENT')) return undefined;
    throw new EventLogError(
      'lock-failed',
      `cannot read the lock ${lockPath}: ${String(error)}`,
      { path: lockPath },
      { cause: error },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    return { raw, content: undefined };
  }
  const result = LockContentSchema.safeParse(parsed);
  return { raw, content: result.success ? result.data : undefined };
}

async function ownerAlive(probe: ProcessProbe, owner: LockContent): Promise<boolean> {
  const identity = await probe.identity(owner.pid);
  if (identity === null) return false;
  return (
    owner.identity === null || identity === 'running' || owner.identity === 'running' || identity === owner.identity
  );
}

/**
 * Moves a stale lock out of the way, only if it is still the one we judged stale.
 * Returns true when it removed that lock.
 */
async function reap(fs: FileSystem, lockPath: string, staleRaw: Buffer, token: string): Promise<boolean> {
  const aside = `${lockPath}.${token}.reaped`;
  try {
    await fs.rename(lockPath, aside);
  } catch (error) {
    if (hasErrno(error, 'ENOENT')) return false;
    throw new EventLogError(
      'lock-failed',
      `cannot move the stale lock ${lockPath} aside: ${String(error)}`,
      { path: lockPath },
      { cause: error },
    );
  }
  const moved = await fs.readFile(aside).catch(() => Buffer.alloc(0));
  if (moved.equals(staleRaw)) {
    await fs.unlink(aside);
    return true;
  }
  // another process replaced the stale lock meanwhile: put its lock back unless a third one exists
  await fs.link(aside, lockPath).catch(() => undefined);
  await fs.unlink(aside);
  return false;
}

async function releaseLock(fs: FileSystem, lockPath: string, token: string): Promise<void> {
  const current = await readLockFile(fs, lockPath);
  if (current?.content?.token !== token) return;
  await io('remove lock', lockPath, () => fs.unlink(lockPath));
}
