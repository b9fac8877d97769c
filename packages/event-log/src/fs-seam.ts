import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ioError } from './errors.js';
import { TMP_SUFFIX } from './layout.js';

/** An open file, as `node:fs/promises` returns it. */
export type FileHandle = fsp.FileHandle;

/** The filesystem calls the log makes; inject another implementation to add faults in tests. */
export interface FileSystem {
  open(file: string, flags: string, mode?: number): Promise<FileHandle>;
  readdir(dir: string): Promise<string[]>;
  mkdir(dir: string, options: { recursive: true }): Promise<unknown>;
  rename(from: string, to: string): Promise<void>;
  link(existing: string, created: string): Promise<void>;
  unlink(file: string): Promise<void>;
  readFile(file: string): Promise<Buffer>;
  stat(file: string): Promise<{ size: number }>;
}

/** The real filesystem. */
export const nodeFileSystem: FileSystem = {
  open: (file, flags, mode) => fsp.open(file, flags, mode),
  readdir: (dir) => fsp.readdir(dir),
  mkdir: (dir, options) => fsp.mkdir(dir, options),
  rename: (from, to) => fsp.rename(from, to),
  link: (existing, created) => fsp.link(existing, created),
  unlink: (file) => fsp.unlink(file),
  readFile: (file) => fsp.readFile(file),
  stat: (file) => fsp.stat(file),
};

/** True when `error` is a Node system error with errno code `code`. */
export function hasErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** Runs an fs call, turning a failure into an `io-failed` EventLogError. */
export async function io<T>(operation: string, file: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw ioError(operation, file, error);
  }
}

/** Flushes a directory entry change (create, rename, unlink) to disk. */
export async function syncDir(fs: FileSystem, dir: string): Promise<void> {
  await io('sync directory', dir, async () => {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  });
}

/** Directory entries, or an empty list when the directory does not exist. */
export async function readdirOrEmpty(fs: FileSystem, dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (error) {
    if (hasErrno(error, 'ENOENT')) return [];
    throw ioError('list', dir, error);
  }
}

/** Writes `data` to a unique temporary file beside `file` and fsyncs it; returns the temporary path. */
export async function writeTempFile(fs: FileSystem, file: string, data: Buffer | string): Promise<string> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}${TMP_SUFFIX}`;
  await io('write', tmp, async () => {
    const handle = await fs.open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  });
  return tmp;
}

/** Replaces `file` atomically: temporary file, fsync, rename, fsync of the directory. */
export async function writeFileAtomic(fs: FileSystem, file: string, data: Buffer | string): Promise<void> {
  const tmp = await writeTempFile(fs, file, data);
  await io('rename', tmp, () => fs.rename(tmp, file));
  await syncDir(fs, path.dirname(file));
}

/** Removes leftover temporary files of interrupted atomic writes in `dir`; returns their names. */
export async function removeTempFiles(fs: FileSystem, dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdirOrEmpty(fs, dir)) {
    if (!name.endsWith(TMP_SUFFIX)) continue;
    await io('remove', path.join(dir, name), () => fs.unlink(path.join(dir, name)));
    removed.push(name);
  }
  return removed;
}
