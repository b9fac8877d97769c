import path from 'node:path';
import { isEventLogError } from './errors.js';
import { EventLog } from './event-log.js';
import { io, nodeFileSystem, removeTempFiles, syncDir } from './fs-seam.js';
import { logPaths } from './layout.js';
import { acquireLock, nodeProcessProbe } from './lock.js';
import { parseOptions } from './reader.js';
import type { EventDefinitions } from './schema.js';
import { WriterOptionsSchema, type EventLogOptions, type LogReport, type RecoveryReport } from './writer-options.js';

/**
 * Opens (creating if needed) a log for writing: takes the lock, removes leftovers of interrupted
 * atomic writes, verifies the newest segment and cuts a torn tail. Mid-file corruption throws
 * `corrupt-record` unless `allowDamaged` is set.
 */
export async function openEventLog<const D extends EventDefinitions, T = unknown>(
  options: EventLogOptions<D, T>,
): Promise<EventLog<D, T>> {
  const { dir, chunkSize, snapshotEvery, keepSnapshots, maxSegmentBytes, allowDamaged, verifyOnOpen } = options;
  const fields = { dir, chunkSize, snapshotEvery, keepSnapshots, maxSegmentBytes, allowDamaged, verifyOnOpen };
  const parsed = parseOptions(WriterOptionsSchema, fields, 'open the event log');
  const fs = options.fs ?? nodeFileSystem;
  const clock = options.clock ?? (() => new Date());
  const report = options.onReport ?? (() => undefined);
  const root = path.resolve(parsed.dir);
  const paths = logPaths(root);
  // mkdir -p names the first directory it made, undefined when all existed
  const made = await io('create the log directory', root, () => fs.mkdir(root, { recursive: true }));
  const lock = await acquireLock(fs, paths.lock, options.processProbe ?? nodeProcessProbe, clock());
  let log: EventLog<D, T> | undefined;
  try {
    const removedTempFiles = [...(await removeTempFiles(fs, root)), ...(await removeTempFiles(fs, paths.snapshots))];
    const recovery: RecoveryReport = { tornTail: null, lockTakenOver: lock.takenOver, removedTempFiles, damage: null };
    log = new EventLog(
      options.schema,
      { ...parsed, dir: root, projection: options.projection },
      { fs, clock, report },
      lock,
      recovery,
    );
    await log.start();
    // the log's own entry in its parent, synced until a record depends on it (a hook that made the
    // directory may have died before syncing it); a log with records skips it
    if (made !== undefined || log.lastSeq === 0) await syncDir(fs, path.dirname(root));
    if (log.damage === null && parsed.verifyOnOpen === 'all')
      await log.verify({ decode: false }).catch(rethrowUnlessCorrupt);
    if (log.damage !== null && !parsed.allowDamaged) throw log.damage;
    recovery.damage = log.damage;
    emitRecovery(recovery, report);
    return log;
  } catch (error) {
    await (log?.close() ?? lock.release()).catch(() => undefined);
    throw error;
  }
}

function rethrowUnlessCorrupt(error: unknown): void {
  if (!isEventLogError(error, 'corrupt-record')) throw error;
}

function emitRecovery(recovery: RecoveryReport, report: (report: LogReport) => void): void {
  const torn = recovery.tornTail;
  if (torn !== null) {
    report({
      kind: 'torn-tail-cut',
      message: `cut ${torn.bytes} torn bytes from ${torn.segment} at line ${torn.line} (${torn.reason})`,
      details: { ...torn },
    });
  }
  if (recovery.lockTakenOver !== null) {
    report({
      kind: 'lock-taken-over',
      message: `took over the stale lock of dead process ${recovery.lockTakenOver.pid}`,
      details: { ...recovery.lockTakenOver },
    });
  }
  if (recovery.removedTempFiles.length > 0) {
    report({
      kind: 'temp-files-removed',
      message: `removed ${recovery.removedTempFiles.length} leftover temporary files`,
      details: { files: recovery.removedTempFiles },
    });
  }
}
