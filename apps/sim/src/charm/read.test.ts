import { createWriteStream } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractCharm, readCharm } from './read.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sim-model-charm-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const metadata = `name: redis-k8s
summary: Redis
containers:
  redis:
    resource: redis-image
    mounts: [{storage: database, location: /var/lib/redis}]
resources:
  redis-image: {type: oci-image, upstream-source: redis:7}
  cert-file: {type: file, filename: redis.crt}
storage:
  database: {type: filesystem, location: /var/lib/redis}
peers:
  redis-peers: {interface: redis-peers}
provides:
  redis: {interface: redis}
`;

async function charmDir(name: string, files: Record<string, string>): Promise<string> {
  const d = join(dir, name);
  await mkdir(d, { recursive: true });
  for (const [f, text] of Object.entries(files)) await writeFile(join(d, f), text);
  return d;
}

async function charmZip(name: string, entries: { path: string; data: string; mode?: number }[]): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addBuffer(Buffer.from(e.data), e.path, { mode: e.mode ?? 0o100644 });
  zip.end();
  const out = join(dir, `${name}.charm`);
  await pipeline(zip.outputStream, createWriteStream(out));
  return out;
}

describe('readCharm', () => {
  it('reads a charm directory: metadata, config and actions', async () => {
    const d = await charmDir('plain', {
      'metadata.yaml': metadata,
      'config.yaml': 'options:\n  enable-tls: {type: boolean, default: false}\n',
      'actions.yaml': 'get-password:\n  params: {user: {type: string}}\n',
    });
    const charm = await readCharm(d);
    expect(charm.meta.name).toBe('redis-k8s');
    expect(charm.meta.containers?.redis?.mounts).toEqual([{ storage: 'database', location: '/var/lib/redis' }]);
    expect(charm.config).toEqual({ 'enable-tls': { type: 'boolean', default: false } });
    expect(Object.keys(charm.actions)).toEqual(['get-password']);
    expect(charm.source).toBe(d);
  });

  it('reads a unified charmcraft.yaml when there is no metadata.yaml', async () => {
    const d = await charmDir('unified', {
      'charmcraft.yaml': `${metadata}type: charm\nbase: ubuntu@22.04\nparts: {charm: {plugin: nil}}\nconfig:\n  options:\n    port: {type: int, default: 6379}\nactions:\n  ping: {}\n`,
    });
    const charm = await readCharm(d);
    expect(charm.config.port).toEqual({ type: 'int', default: 6379 });
    expect(Object.keys(charm.actions)).toEqual(['ping']);
    expect(charm.meta).not.toHaveProperty('parts');
    expect(charm.meta).not.toHaveProperty('config');
  });

  it('reads a .charm zip and extracts it with modes and symlinks kept', async () => {
    const z = await charmZip('packed', [
      { path: 'metadata.yaml', data: metadata },
      { path: 'manifest.yaml', data: 'bases: [{name: ubuntu, channel: "22.04"}]\n' },
      { path: 'dispatch', data: '#!/bin/sh\nexec ./src/charm.py\n', mode: 0o100755 },
      { path: 'hooks/install', data: '../dispatch', mode: 0o120777 },
      { path: 'src/charm.py', data: 'print(1)\n', mode: 0o100644 },
    ]);
    const charm = await readCharm(z);
    expect(charm.meta.name).toBe('redis-k8s');
    expect(charm.manifest?.bases?.[0]).toEqual({ name: 'ubuntu', channel: '22.04' });
    const out = join(dir, 'extracted');
    await extractCharm(z, out);
    expect((await stat(join(out, 'dispatch'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(out, 'src/charm.py'))).mode & 0o777).toBe(0o644);
    expect((await lstat(join(out, 'hooks/install'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(out, 'hooks/install'))).toBe('../dispatch');
    expect(await readFile(join(out, 'src/charm.py'), 'utf8')).toBe('print(1)\n');
  });

  it('refuses zip entries that escape the charm directory', async () => {
    const z = await charmZip('evil', [
      { path: 'metadata.yaml', data: metadata },
      { path: 'a/xx/xx/escape', data: 'x' },
    ]);
    const bytes = await readFile(z);
    await writeFile(z, Buffer.from(bytes.toString('latin1').replaceAll('a/xx/xx/escape', 'a/../../escape'), 'latin1'));
    await expect(extractCharm(z, join(dir, 'evil-out'))).rejects.toMatchObject({
      code: 'bad-charm',
      message: expect.stringMatching(/relative path|leaves the charm directory/),
    });
    await expect(stat(join(dir, 'escape'))).rejects.toThrow();
  });

  it('explains what is wrong, and where', async () => {
    await expect(readCharm(join(dir, 'nope'))).rejects.toMatchObject({
      code: 'bad-charm',
      message: expect.stringContaining('no such file or directory'),
    });
    await expect(readCharm(await charmDir('empty', {}))).rejects.toThrow(/no metadata.yaml/);
    await expect(readCharm(await charmDir('badyaml', { 'metadata.yaml': 'name: x\n  bad: [\n' }))).rejects.toThrow(
      /metadata.yaml: invalid YAML at line \d/,
    );
    await expect(
      readCharm(
        await charmDir('badtype', {
          'metadata.yaml': 'name: x\n',
          'config.yaml': 'options:\n  port: {type: number}\n',
        }),
      ),
    ).rejects.toThrow(/config.yaml: options.port.type: .*Fix the file and deploy again/);
    await expect(readCharm(await charmDir('badname', { 'metadata.yaml': 'name: Redis\n' }))).rejects.toThrow(
      /metadata.yaml: name: must be lowercase/,
    );
    await expect(
      readCharm(
        await charmDir('badmount', { 'metadata.yaml': 'name: x\ncontainers:\n  c: {mounts: [{storage: data}]}\n' }),
      ),
    ).rejects.toThrow(
      /metadata.yaml: containers.c.mounts\[0\].storage: names "data", which is not declared under "storage"/,
    );
    await expect(
      readCharm(await charmZip('notzip', []).then(async (p) => (await writeFile(p, 'not a zip'), p))),
    ).rejects.toThrow(/not a valid .charm \(zip\) file/);
  });
});
