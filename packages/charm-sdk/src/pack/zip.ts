import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';

/** One file of a charm archive. */
export interface ZipEntry {
  name: string;
  data: Uint8Array | string;
  executable?: boolean;
}

/** Every entry gets this mtime, so the same inputs give the same bytes. */
export const FIXED_MTIME = new Date(Date.UTC(1980, 0, 1, 0, 0, 0));

/**
 * Writes a deterministic zip: entries sorted by name, fixed mtimes, modes 0644/0755, deflated.
 * Written to a temp name and renamed, so a reader never sees a partial archive.
 */
export async function writeZip(path: string, entries: readonly ZipEntry[]): Promise<void> {
  const zip = new ZipFile();
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]?.name === sorted[i - 1]?.name)
      throw new Error(`cannot write ${path}: duplicate entry ${sorted[i]?.name}`);
  }
  for (const e of sorted) {
    const data =
      typeof e.data === 'string'
        ? Buffer.from(e.data, 'utf8')
        : Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength);
    zip.addBuffer(data, e.name, { mtime: FIXED_MTIME, mode: e.executable ? 0o100755 : 0o100644, compress: true });
  }
  zip.end();
  const tmp = `${path}.${process.pid}.tmp`;
  await pipeline(zip.outputStream, createWriteStream(tmp));
  await rename(tmp, path);
}
