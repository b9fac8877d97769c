import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPebbleError, PathError } from './errors.js';
import { failure } from './testing-fixtures/failure.js';
import { usePebbleDaemon } from './testing-fixtures/use-pebble-daemon.js';

const pebble = usePebbleDaemon();
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pebble-files-test-'));
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

function expectPathError(err: unknown, kind: string, path: string): void {
  expect(err).toBeInstanceOf(PathError);
  expect(err).toMatchObject({ code: 'path', kind, path });
  expect((err as Error).message).toMatch(/^cannot /);
}

describe('push and pull', () => {
  it('round-trips text', async () => {
    const path = join(root, 'hello.txt');
    await pebble.client.push(path, 'héllo wörld\n');
    expect(await readFile(path, 'utf8')).toBe('héllo wörld\n');
    expect(await pebble.client.pullText(path)).toBe('héllo wörld\n');
  });

  it('round-trips random binary bytes from a stream, an async iterable and a Uint8Array', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const a = join(root, 'bin-a');
    const b = join(root, 'bin-b');
    const c = join(root, 'bin-c');
    await pebble.client.push(a, Readable.from([data.subarray(0, 1000), data.subarray(1000)]));
    await pebble.client.push(
      b,
      (async function* () {
        for (let at = 0; at < data.length; at += 65536) yield new Uint8Array(data.subarray(at, at + 65536));
      })(),
    );
    await pebble.client.push(c, new Uint8Array(data));
    for (const p of [a, b, c]) {
      expect((await readFile(p)).equals(data)).toBe(true);
      const chunks: Buffer[] = [];
      for await (const chunk of await pebble.client.pull(p)) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(data)).toBe(true);
    }
    expect((await pebble.client.pullBuffer(c)).equals(data)).toBe(true);
  });

  it('pushes an empty file', async () => {
    const path = join(root, 'empty');
    await pebble.client.push(path, '');
    expect(await pebble.client.pullText(path)).toBe('');
  });

  it('sets permissions from a number or an octal string', async () => {
    await pebble.client.push(join(root, 'p600'), 'x', { permissions: 0o600 });
    await pebble.client.push(join(root, 'p640'), 'x', { permissions: '640' });
    await pebble.client.push(join(root, 'pdefault'), 'x');
    expect((await stat(join(root, 'p600'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(root, 'p640'))).mode & 0o777).toBe(0o640);
    expect((await stat(join(root, 'pdefault'))).mode & 0o777).toBe(0o644);
  });

  it('rejects bad options before sending anything, naming the field', async () => {
    await expect(pebble.client.push(join(root, 'bad'), 'x', { permissions: 0o1777 })).rejects.toThrow(
      /invalid options\.permissions/,
    );
    await expect(pebble.client.push(join(root, 'bad'), 'x', { permissions: '0644' })).rejects.toThrow(/3 octal digits/);
    await expect(pebble.client.push(join(root, 'bad'), 'x', { userId: -1 })).rejects.toThrow(/invalid options\.userId/);
    await expect(pebble.client.push(join(root, 'bad'), 42 as unknown as string)).rejects.toThrow(/source must be/);
  });

  it('sets the owner by name and by id (the daemon runs as root)', async () => {
    const byName = join(root, 'owned-by-name');
    const byId = join(root, 'owned-by-id');
    await pebble.client.push(byName, 'x', { user: 'nobody', group: 'nogroup' });
    await pebble.client.push(byId, 'x', { userId: 65534, groupId: 65534 });
    for (const p of [byName, byId]) {
      const s = await stat(p);
      expect([s.uid, s.gid]).toEqual([65534, 65534]);
    }
    const [info] = await pebble.client.listFiles(byName, { itself: true });
    expect(info).toMatchObject({ user: 'nobody', userId: 65534, groupId: 65534 });
  });

  it('fails with PathError for an unknown user', async () => {
    const path = join(root, 'unknown-user');
    expectPathError(
      await failure(pebble.client.push(path, 'x', { user: 'no-such-user-xyz' })),
      'generic-file-error',
      path,
    );
  });

  it('needs makeDirs for a missing parent, and creates it with makeDirs', async () => {
    const path = join(root, 'deep', 'er', 'file.txt');
    expectPathError(await failure(pebble.client.push(path, 'x')), 'not-found', path);
    await pebble.client.push(path, 'x', { makeDirs: true, userId: 65534, groupId: 65534 });
    const parent = await stat(join(root, 'deep', 'er'));
    expect(parent.isDirectory() && parent.mode & 0o777).toBe(0o755);
    expect(parent.uid).toBe(65534);
  });

  it('escapes quotes and backslashes in the path', async () => {
    const path = join(root, 'we"ird\\name');
    await pebble.client.push(path, 'odd');
    expect(await readFile(path, 'utf8')).toBe('odd');
    expect(await pebble.client.pullText(path)).toBe('odd');
  });

  it('fails with PathError for a relative path', async () => {
    expectPathError(await failure(pebble.client.push('relative.txt', 'x')), 'generic-file-error', 'relative.txt');
  });

  it('rethrows an error of the source unchanged and leaves no file', async () => {
    const path = join(root, 'broken-source');
    const boom = new Error('source broke');
    const source = (async function* () {
      yield Buffer.from('partial');
      throw boom;
    })();
    expect(await failure(pebble.client.push(path, source))).toBe(boom);
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rejects the pull of a missing file with PathError not-found', async () => {
    const path = join(root, 'missing');
    expectPathError(await failure(pebble.client.pull(path)), 'not-found', path);
    expectPathError(await failure(pebble.client.pullText(path)), 'not-found', path);
  });

  it('rejects the pull of a directory with PathError', async () => {
    expectPathError(await failure(pebble.client.pull(root)), 'generic-file-error', root);
  });

  it('stops reading when the stream is destroyed early', async () => {
    const path = join(root, 'big');
    await writeFile(path, randomBytes(8 * 1024 * 1024));
    const stream = await pebble.client.pull(path);
    for await (const _ of stream) break;
    expect(stream.destroyed).toBe(true);
    expect(await pebble.client.pullText(join(root, 'hello.txt'))).toBe('héllo wörld\n');
  });

  it('errors the stream with an aborted error when the signal aborts mid-file', async () => {
    const path = join(root, 'big2');
    await writeFile(path, randomBytes(8 * 1024 * 1024));
    const ac = new AbortController();
    const stream = await pebble.client.pull(path, { signal: ac.signal });
    const err = await (async () => {
      for await (const _ of stream) ac.abort();
    })().catch((e: unknown) => e);
    expect(isPebbleError(err) && err.code).toBe('aborted');
  });
});

describe('listFiles', () => {
  let dir: string;
  beforeAll(async () => {
    dir = join(root, 'list');
    await mkdir(join(dir, 'sub'), { recursive: true });
    await writeFile(join(dir, 'a.conf'), '12345');
    await writeFile(join(dir, 'b.conf'), '');
    await writeFile(join(dir, 'c.txt'), '');
  });

  it('lists entries with typed fields', async () => {
    const entries = await pebble.client.listFiles(dir);
    expect(entries.map((e) => e.name).sort()).toEqual(['a.conf', 'b.conf', 'c.txt', 'sub']);
    const a = entries.find((e) => e.name === 'a.conf');
    expect(a).toMatchObject({
      path: join(dir, 'a.conf'),
      type: 'file',
      size: 5,
      permissions: 0o644,
      user: 'root',
      userId: 0,
      groupId: 0,
    });
    expect(Number.isNaN(Date.parse(a?.lastModified ?? ''))).toBe(false);
    const sub = entries.find((e) => e.name === 'sub');
    expect(sub).toMatchObject({ type: 'directory', size: undefined });
  });

  it('filters by pattern', async () => {
    const entries = await pebble.client.listFiles(dir, { pattern: '*.conf' });
    expect(entries.map((e) => e.name).sort()).toEqual(['a.conf', 'b.conf']);
  });

  it('describes the directory itself', async () => {
    const entries = await pebble.client.listFiles(dir, { itself: true });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ path: dir, type: 'directory' });
  });

  it('returns [] for an empty directory', async () => {
    await mkdir(join(root, 'empty-dir'));
    expect(await pebble.client.listFiles(join(root, 'empty-dir'))).toEqual([]);
  });

  it('throws PathError not-found for a missing path, with the APIError as cause', async () => {
    const path = join(root, 'nope');
    const err = await failure(pebble.client.listFiles(path));
    expectPathError(err, 'not-found', path);
    expect((err as Error).cause).toMatchObject({ code: 'api', statusCode: 404 });
  });

  it('keeps APIError for a relative path', async () => {
    expect(await failure(pebble.client.listFiles('rel'))).toMatchObject({ code: 'api', statusCode: 400 });
  });
});

describe('makeDir', () => {
  it('creates a directory with permissions and owner', async () => {
    const path = join(root, 'made');
    await pebble.client.makeDir(path, { permissions: 0o700, user: 'nobody' });
    const s = await stat(path);
    expect(s.isDirectory()).toBe(true);
    expect(s.mode & 0o777).toBe(0o700);
    expect(s.uid).toBe(65534);
  });

  it('fails for an existing directory without makeParents and accepts it with', async () => {
    const path = join(root, 'made');
    expectPathError(await failure(pebble.client.makeDir(path)), 'generic-file-error', path);
    await pebble.client.makeDir(path, { makeParents: true });
  });

  it('needs makeParents for missing parents', async () => {
    const path = join(root, 'x1', 'x2', 'x3');
    expectPathError(await failure(pebble.client.makeDir(path)), 'not-found', path);
    await pebble.client.makeDir(path, { makeParents: true });
    expect((await stat(path)).isDirectory()).toBe(true);
  });
});

describe('removePath', () => {
  it('removes a file and an empty directory', async () => {
    await writeFile(join(root, 'rm-me'), 'x');
    await mkdir(join(root, 'rm-dir'));
    await pebble.client.removePath(join(root, 'rm-me'));
    await pebble.client.removePath(join(root, 'rm-dir'));
    await expect(stat(join(root, 'rm-me'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat(join(root, 'rm-dir'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a non-empty directory without recursive, removes it with', async () => {
    const dir = join(root, 'full');
    await mkdir(join(dir, 'inner'), { recursive: true });
    await writeFile(join(dir, 'inner', 'f'), 'x');
    expectPathError(await failure(pebble.client.removePath(dir)), 'generic-file-error', dir);
    await pebble.client.removePath(dir, { recursive: true });
    await expect(stat(dir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('fails not-found for a missing path, unless recursive', async () => {
    const path = join(root, 'never-there');
    expectPathError(await failure(pebble.client.removePath(path)), 'not-found', path);
    await pebble.client.removePath(path, { recursive: true });
  });
});
