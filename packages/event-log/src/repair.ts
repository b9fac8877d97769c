import path from 'node:path';
import { io, readdirOrEmpty, syncDir, writeTempFile, type FileSystem } from './fs-seam.js';
import { damagedSuffix, parseSnapshotName, type SegmentInfo } from './layout.js';
import type { LogContext } from './log-scan.js';

/** Where the first damage of a log is. */
export interface DamageLocation {
  segment: string;
  offset: number;
  /** Seq the damaged record should have had: every record from it on is moved aside. */
  seq: number;
}

/**
 * Moves everything from the damage on aside, never deleting: later segments are renamed to
 * `<name>.damaged-<time>`, the damaged segment is kept whole under that name (hard link) and replaced
 * by a copy of its good prefix, and snapshots at or past the damage are renamed the same way.
 * Returns the names of the files moved aside.
 */
export async function moveDamageAside(
  ctx: LogContext,
  segments: readonly SegmentInfo[],
  damage: DamageLocation,
  now: Date,
): Promise<string[]> {
  const { fs, paths } = ctx;
  const suffix = damagedSuffix(now);
  const index = segments.findIndex((s) => s.name === damage.segment);
  const moved: string[] = [];
  for (const later of segments.slice(index + 1).reverse()) {
    await io('move aside', paths.segment(later.name), () =>
      fs.rename(paths.segment(later.name), paths.segment(later.name + suffix)),
    );
    moved.push(later.name + suffix);
  }
  if (index !== -1) {
    const file = paths.segment(damage.segment);
    if (damage.offset === 0) {
      await io('move aside', file, () => fs.rename(file, file + suffix));
    } else {
      await io('keep a copy of', file, () => fs.link(file, file + suffix));
      const prefix = await readPrefix(fs, file, damage.offset);
      const tmp = await writeTempFile(fs, file, prefix);
      await io('replace', file, () => fs.rename(tmp, file));
    }
    moved.push(damage.segment + suffix);
  }
  await syncDir(fs, paths.dir);
  for (const entry of await readdirOrEmpty(fs, paths.snapshots)) {
    const snapshot = parseSnapshotName(entry);
    if (snapshot === undefined || snapshot.seq < damage.seq) continue;
    await io('move aside', paths.snapshot(entry), () =>
      fs.rename(paths.snapshot(entry), paths.snapshot(entry + suffix)),
    );
    moved.push(path.join(path.basename(paths.snapshots), entry + suffix));
  }
  if (moved.some((name) => name.includes('/'))) await syncDir(fs, paths.snapshots);
  return moved;
}

async function readPrefix(fs: FileSystem, file: string, length: number): Promise<Buffer> {
  return io('read', file, async () => {
    const handle = await fs.open(file, 'r');
    try {
      const buf = Buffer.alloc(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(buf, filled, length - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buf.subarray(0, filled);
    } finally {
      await handle.close();
    }
  });
}
