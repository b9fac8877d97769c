/** Reading `.charm` zips: named text files, and safe extraction keeping modes and symlinks. */
import { mkdir, chmod, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { JujuModelError } from '@charms/juju-model';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The contents of the named top-level files present in the zip. */
export async function readZipFiles(path: string, names: readonly string[]): Promise<Map<string, string>> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false }).catch((e: Error) => {
    throw new JujuModelError('bad-charm', `cannot read charm ${path}: not a valid .charm (zip) file: ${e.message}`, {
      path,
    });
  });
  const out = new Map<string, string>();
  try {
    for await (const entry of zip.eachEntry()) {
      if (!names.includes(entry.fileName)) continue;
      out.set(entry.fileName, (await readAll(await zip.openReadStreamPromise(entry))).toString('utf8'));
    }
  } catch (e) {
    throw new JujuModelError('bad-charm', `cannot read charm ${path}: ${e instanceof Error ? e.message : String(e)}`, {
      path,
    });
  } finally {
    zip.close();
  }
  return out;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** Unpacks a `.charm` zip into `dest`: unix modes kept, dispatch and hooks/* made executable, symlinks recreated. */
export async function extractCharm(path: string, dest: string): Promise<void> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false }).catch((e: Error) => {
    throw new JujuModelError('bad-charm', `cannot extract charm ${path}: not a valid .charm (zip) file: ${e.message}`, {
      path,
    });
  });
  try {
    await extractEntries(zip, path, dest);
  } catch (e) {
    if (e instanceof JujuModelError) throw e;
    throw new JujuModelError(
      'bad-charm',
      `cannot extract charm ${path}: ${e instanceof Error ? e.message : String(e)}`,
      { path },
    );
  } finally {
    zip.close();
  }
}

async function extractEntries(zip: yauzl.ZipFile, path: string, dest: string): Promise<void> {
  await mkdir(dest, { recursive: true });
  for await (const entry of zip.eachEntry()) {
    const rel = normalize(entry.fileName);
    if (rel.startsWith('..') || rel.startsWith(sep))
      throw new JujuModelError(
        'bad-charm',
        `cannot extract charm ${path}: entry "${entry.fileName}" leaves the charm directory`,
        { path },
      );
    const target = join(dest, rel);
    if (entry.fileName.endsWith('/')) {
      await mkdir(target, { recursive: true });
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    const mode = (entry.externalFileAttributes >>> 16) & 0xffff;
    const data = await readAll(await zip.openReadStreamPromise(entry));
    if ((mode & S_IFMT) === S_IFLNK) {
      await symlink(data.toString('utf8'), target);
      continue;
    }
    const exec = rel === 'dispatch' || rel.startsWith(`hooks${sep}`);
    await writeFile(target, data);
    await chmod(target, (mode & 0o777 || 0o644) | (exec ? 0o755 : 0));
  }
}
