import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from './testing-fixtures/failure.js';
import { usePebbleDaemon } from './testing-fixtures/use-pebble-daemon.js';

// Streaming behaviour of push and pull against a real Pebble: backpressure, cancellation mid-transfer.
const pebble = usePebbleDaemon();
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pebble-files-stream-'));
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

const CHUNK = 64 * 1024;
const block = randomBytes(CHUNK);

/** Bytes in the files of `dir`: Pebble writes a push into a temp file there, then renames it. */
async function bytesIn(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name)).catch(() => ({ size: 0 }))).size;
  return total;
}

describe('push streams with backpressure', () => {
  it('pulls the source only as fast as Pebble writes it (a large push is never buffered whole)', async () => {
    const dir = join(root, 'backpressure');
    await mkdir(dir);
    const total = 64 * 1024 * 1024;
    let yielded = 0;
    let ahead = 0; // most bytes the source was ahead of what Pebble had written
    const source = (async function* () {
      for (; yielded < total; yielded += CHUNK) {
        if (yielded % (1024 * 1024) === 0) ahead = Math.max(ahead, yielded - (await bytesIn(dir)));
        yield block;
      }
    })();
    await pebble.client.push(join(dir, 'big'), source, { timeout: 0 });
    expect((await stat(join(dir, 'big'))).size).toBe(total);
    // socket buffers on both sides plus Pebble's reads hold a few MiB; without backpressure this is ~64 MiB
    expect(ahead).toBeLessThan(16 * 1024 * 1024);
  });

  it('pushes a file stream and a byte-mode stream that pushes synchronously, byte for byte', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const src = join(root, 'source-file');
    await writeFile(src, data);
    const file = createReadStream(src);
    await pebble.client.push(join(root, 'from-file'), file);
    expect(file.readableHighWaterMark).toBeGreaterThanOrEqual(1024 * 1024); // asked for wide reads
    expect((await readFile(join(root, 'from-file'))).equals(data)).toBe(true);
    let at = 0;
    const sync = new Readable({
      read() {
        this.push(at < data.length ? data.subarray(at, (at += 100_000)) : null);
      },
    });
    await pebble.client.push(join(root, 'from-sync'), sync);
    expect((await readFile(join(root, 'from-sync'))).equals(data)).toBe(true);
  });

  it('stops mid-upload with an aborted error when the signal aborts, and leaves no file', async () => {
    const path = join(root, 'aborted-push');
    const ac = new AbortController();
    const source = (async function* () {
      for (let i = 0; i < 4096; i++) {
        if (i === 64) ac.abort();
        yield block;
      }
    })();
    const err = await failure(pebble.client.push(path, source, { signal: ac.signal, timeout: 0 }));
    expect(err).toMatchObject({ code: 'aborted' });
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await pebble.client.getSystemInfo()).version).toBeTruthy();
  });

  it('fails a push whose source stalls with a timeout error (the timeout covers the upload)', async () => {
    const path = join(root, 'stalled-push');
    let release: () => void = () => undefined;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    const source = (async function* () {
      yield block;
      await stalled;
    })();
    try {
      expect(await failure(pebble.client.push(path, source, { timeout: 100 }))).toMatchObject({ code: 'timeout' });
    } finally {
      release();
    }
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('pull streams', () => {
  it('delivers a large file intact and the client stays usable for the next call', async () => {
    const path = join(root, 'pull-big');
    const data = Buffer.concat(Array.from({ length: 160 }, (_, i) => Buffer.alloc(CHUNK, i)));
    await pebble.client.push(path, data);
    expect((await pebble.client.pullBuffer(path)).equals(data)).toBe(true);
    expect((await readFile(path)).equals(data)).toBe(true);
    expect((await pebble.client.getSystemInfo()).version).toBeTruthy();
  });

  it('stops with an aborted error when the signal aborts before the answer arrives', async () => {
    const ac = new AbortController();
    ac.abort();
    const err = await failure(pebble.client.pull(join(root, 'pull-big'), { signal: ac.signal }));
    expect(err).toMatchObject({ code: 'aborted' });
  });
});
