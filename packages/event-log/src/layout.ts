import path from 'node:path';

/** Name of the writer's lock file inside the log directory. */
export const LOCK_FILE = 'LOCK';
/** Name of the compaction anchor file inside the log directory. */
export const ANCHOR_FILE = 'anchor.json';
/** Directory (inside the log directory) holding snapshot files. */
export const SNAPSHOT_DIR = 'snapshots';
/** Directory (inside the log directory) receiving archived segments. */
export const ARCHIVE_DIR = 'archive';
/** Suffix of files being written atomically; leftovers are removed on open. */
export const TMP_SUFFIX = '.tmp';

const SEGMENT_RE = /^segment-(\d{12})\.jsonl$/;
const SNAPSHOT_RE = /^([a-z0-9][a-z0-9-]*)-(\d{12})\.json$/;
const SEQ_DIGITS = 12;

/** A segment file: its name and the seq of its first record. */
export interface SegmentInfo {
  name: string;
  firstSeq: number;
}

function pad(seq: number): string {
  return String(seq).padStart(SEQ_DIGITS, '0');
}

/** File name of the segment whose first record has `firstSeq`. */
export function segmentName(firstSeq: number): string {
  return `segment-${pad(firstSeq)}.jsonl`;
}

/** Parses a segment file name; undefined for any other file. */
export function parseSegmentName(name: string): SegmentInfo | undefined {
  const m = SEGMENT_RE.exec(name);
  return m?.[1] === undefined ? undefined : { name, firstSeq: Number(m[1]) };
}

/** The segments among `names`, oldest first. */
export function sortSegments(names: readonly string[]): SegmentInfo[] {
  const segments: SegmentInfo[] = [];
  for (const name of names) {
    const info = parseSegmentName(name);
    if (info !== undefined) segments.push(info);
  }
  return segments.sort((a, b) => a.firstSeq - b.firstSeq);
}

/** File name of a snapshot of `projection` taken at `seq`. */
export function snapshotName(projection: string, seq: number): string {
  return `${projection}-${pad(seq)}.json`;
}

/** Parses a snapshot file name; undefined for any other file. */
export function parseSnapshotName(name: string): { name: string; projection: string; seq: number } | undefined {
  const m = SNAPSHOT_RE.exec(name);
  if (m?.[1] === undefined || m[2] === undefined) return undefined;
  return { name, projection: m[1], seq: Number(m[2]) };
}

/** True when `name` is a valid projection name (it becomes part of file names). */
export function isProjectionName(name: string): boolean {
  return /^[a-z0-9][a-z0-9-]{0,63}$/.test(name);
}

/** Suffix for files moved aside by repair, e.g. `.damaged-20260101T000000000Z`. */
export function damagedSuffix(now: Date): string {
  return `.damaged-${now.toISOString().replace(/[-:.]/g, '')}`;
}

/** Absolute paths of the well-known files of a log directory. */
export function logPaths(dir: string) {
  return {
    dir,
    lock: path.join(dir, LOCK_FILE),
    anchor: path.join(dir, ANCHOR_FILE),
    snapshots: path.join(dir, SNAPSHOT_DIR),
    archive: path.join(dir, ARCHIVE_DIR),
    segment: (name: string) => path.join(dir, name),
    snapshot: (name: string) => path.join(dir, SNAPSHOT_DIR, name),
  };
}

/** The well-known paths of one log directory. */
export type LogPaths = ReturnType<typeof logPaths>;
