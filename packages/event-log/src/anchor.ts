import { z } from 'zod';
import { EventLogError } from './errors.js';
import { hasErrno, writeFileAtomic, type FileSystem } from './fs-seam.js';
import type { LogPaths } from './layout.js';
import { sealJson, unsealJson } from './sealed-json.js';

const ANCHOR_FORMAT = 'charms.event-log.anchor/1';

const AnchorSchema = z.object({
  format: z.literal(ANCHOR_FORMAT),
  seq: z.number().int().nonnegative(),
  recordHash: z.string().regex(/^[0-9a-f]{64}$/),
});

/** The last record removed by compaction: the first kept record's `prev` must equal `recordHash`. */
export interface Anchor {
  seq: number;
  recordHash: string;
}

/** Reads `anchor.json`; undefined when the log was never compacted. Throws `corrupt-record` if it is damaged. */
export async function readAnchor(fs: FileSystem, paths: LogPaths): Promise<Anchor | undefined> {
  let data: Buffer;
  try {
    data = await fs.readFile(paths.anchor);
  } catch (error) {
    if (hasErrno(error, 'ENOENT')) return undefined;
    throw new EventLogError(
      'io-failed',
      `cannot read ${paths.anchor}: ${String(error)}`,
      { path: paths.anchor },
      { cause: error },
    );
  }
  const sealed = unsealJson(data);
  const parsed = 'value' in sealed ? AnchorSchema.safeParse(sealed.value) : undefined;
  if (parsed === undefined || !parsed.success) {
    const reason = 'reason' in sealed ? sealed.reason : 'unexpected fields';
    throw new EventLogError(
      'corrupt-record',
      `cannot read the compaction anchor ${paths.anchor}: ${reason}; restore it from a backup or remove it`,
      {
        path: paths.anchor,
        reason: 'bad-envelope',
      },
    );
  }
  return { seq: parsed.data.seq, recordHash: parsed.data.recordHash };
}

/** Writes `anchor.json` atomically. */
export async function writeAnchor(fs: FileSystem, paths: LogPaths, anchor: Anchor): Promise<void> {
  await writeFileAtomic(
    fs,
    paths.anchor,
    sealJson({ format: ANCHOR_FORMAT, seq: anchor.seq, recordHash: anchor.recordHash }),
  );
}
