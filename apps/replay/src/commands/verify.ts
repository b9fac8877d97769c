import { openEventLogReader } from '@charms/event-log';
import { fromLogError, ReplayError } from '../errors.js';
import { diffJson } from '../json-diff.js';
import type { Source } from '../source.js';

/** What `verify` found: a sound log, or it throws naming the damage. */
export interface VerifyReport {
  dir: string;
  charm: string;
  segments: number;
  records: number;
  firstSeq: number;
  lastSeq: number;
  /** A partial last record a writer will cut on its next open (not an error). */
  torn: { segment: string; offset: number; bytes: number } | null;
  /** The newest usable snapshot of the charm's projection, checked against a fold from the start. */
  snapshot: { seq: number; file: string } | null;
  /** Snapshots found but not trusted (damaged or from another projection version). */
  rejectedSnapshots: { file: string; reason: string }[];
}

/**
 * Checks every record's hash chain and that it decodes under the charm's schema, then that the
 * fold from the newest snapshot equals the fold from the first record.
 */
export async function verify(source: Source): Promise<VerifyReport> {
  const { charm, dir } = source;
  try {
    const result = await source.reader.verify({ decode: true });
    const fromSnapshot = await source.reader.fold(charm.projection);
    // a reader without the projection folds from the first record only
    const plain = await openEventLogReader({ dir, schema: charm.events });
    const fromStart = await plain.fold(charm.projection.reduce, structuredClone(charm.projection.initial));
    if (fromSnapshot.snapshot !== null) {
      const differences = diffJson(fromStart.state, fromSnapshot.state);
      if (differences.length > 0) {
        const first = differences[0] as { path: string };
        throw new ReplayError(
          'corrupt-snapshot',
          `cannot trust snapshot ${fromSnapshot.snapshot.file}: folding from it disagrees with folding from the start at ${first.path} (${differences.length} difference(s)); delete the snapshot file, the charm writes a new one`,
          { path: dir, file: fromSnapshot.snapshot.file, differences: differences.length },
        );
      }
    }
    return {
      dir,
      charm: charm.name,
      segments: result.segments,
      records: result.records,
      firstSeq: result.firstSeq,
      lastSeq: result.lastSeq,
      torn:
        result.torn === null
          ? null
          : { segment: result.torn.segment, offset: result.torn.offset, bytes: result.torn.bytes },
      snapshot: fromSnapshot.snapshot,
      rejectedSnapshots: fromSnapshot.rejectedSnapshots.map((r) => ({ file: r.file, reason: r.reason })),
    };
  } catch (error) {
    throw fromLogError(error, dir, charm.name);
  }
}
