import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBuffer, type Entry } from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPackCli } from './cli.js';
import { dispatchScript, packCharm } from './pack.js';
import { NODE_RUNTIME } from './node-runtime.js';
import { FIXED_MTIME } from './zip.js';

const EXAMPLE = new URL('../testing-fixtures/example-charm', import.meta.url).pathname;
const ROOT = new URL('../../../..', import.meta.url).pathname;
let cacheDir: string;
const scratch: string[] = [];
const temp = async (prefix: string) => {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
};
afterAll(async () => {
  await Promise.all(scratch.map((d) => rm(d, { recursive: true, force: true })));
});

/** Entries of a zip: name, unix mode, mtime and content. */
function unzip(buf: Buffer): Promise<{ name: string; mode: number; mtime: Date; data: Buffer }[]> {
  return new Promise((ok, fail) => {
    fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err) return fail(err);
      const out: { name: string; mode: number; mtime: Date; data: Buffer }[] = [];
      zip.on('entry', (e: Entry) => {
        zip.openReadStream(e, (err2, stream) => {
          if (err2) return fail(err2);
          const chunks: Buffer[] = [];
          stream
            .on('data', (c: Buffer) => chunks.push(c))
            .on('end', () => {
              out.push({
                name: e.fileName,
                mode: (e.externalFileAttributes >>> 16) & 0o7777,
                mtime: e.getLastModDate(),
                data: Buffer.concat(chunks),
              });
              zip.readEntry();
            });
        });
      });
      zip.on('end', () => ok(out)).on('error', fail);
      zip.readEntry();
    });
  });
}

beforeAll(async () => {
  // a stand-in runtime in the cache keeps this test offline and fast; e2e tests use the real one
  cacheDir = await temp('pack-cache-');
  await mkdir(join(cacheDir, `${NODE_RUNTIME.package}-${NODE_RUNTIME.version}`));
  await writeFile(join(cacheDir, `${NODE_RUNTIME.package}-${NODE_RUNTIME.version}`, 'node'), '#!/bin/sh\nexit 0\n');
});

describe('packCharm', () => {
  it('produces a deterministic zip with every file Juju and the runtime need', async () => {
    const a = await packCharm({ charmDir: EXAMPLE, outDir: await temp('pack-a-'), cacheDir, workspaceRoot: ROOT });
    const b = await packCharm({ charmDir: EXAMPLE, outDir: await temp('pack-b-'), cacheDir, workspaceRoot: ROOT });
    expect(a.name).toBe('example-k8s_ubuntu@22.04-amd64.charm');
    expect(a.sha256).toBe(b.sha256);
    expect(await readFile(a.path)).toEqual(await readFile(b.path));
    const entries = await unzip(await readFile(a.path));
    expect(entries.map((e) => e.name)).toEqual([
      'LICENSE',
      'README.md',
      'actions.yaml',
      'charmcraft.yaml',
      'config.yaml',
      'dispatch',
      'dist/charm.cjs',
      'dist/charm.mjs',
      'icon.svg',
      'manifest.yaml',
      'metadata.yaml',
      'node/bin/node',
    ]);
    const byName = Object.fromEntries(entries.map((e) => [e.name, e]));
    // all ASCII: V8 then holds each bundle's source as a one-byte string (half the snapshot heap)
    for (const bundle of ['dist/charm.cjs', 'dist/charm.mjs'])
      expect(
        byName[bundle]?.data.some((byte) => byte > 0x7f),
        bundle,
      ).toBe(false);
    expect(byName['dispatch']?.mode).toBe(0o755);
    expect(byName['node/bin/node']?.mode).toBe(0o755);
    expect(byName['metadata.yaml']?.mode).toBe(0o644);
    expect(entries.every((e) => e.mtime.getTime() === FIXED_MTIME.getTime() || e.mtime.getFullYear() === 1980)).toBe(
      true,
    );
    const hash = createHash('sha256')
      .update(byName['dist/charm.cjs']?.data ?? '')
      .digest('hex')
      .slice(0, 16);
    expect(byName['dispatch']?.data.toString()).toBe(dispatchScript(hash));
    expect(byName['metadata.yaml']?.data.toString()).toContain('name: example-k8s');
    expect(byName['config.yaml']?.data.toString()).toContain('port:');
    expect(byName['actions.yaml']?.data.toString()).toContain('greet:');
    expect(byName['manifest.yaml']?.data.toString()).toContain('channel: "22.04"');
    const bundle = byName['dist/charm.mjs']?.data.toString() ?? '';
    expect(bundle.startsWith("import { createRequire as __charmCreateRequire } from 'node:module'")).toBe(true);
    expect(bundle).not.toMatch(/from\s*["'](zod|pino|yaml|undici|@charms\/[a-z-]+)["']/);
  });

  it('fails with a precise message for invalid metadata', async () => {
    const dir = await temp('bad-charm-');
    await cp(EXAMPLE, dir, { recursive: true, filter: (s) => !s.includes('/dist') });
    const yaml = (await readFile(join(dir, 'charmcraft.yaml'), 'utf8')).replace(
      '    resource: workload-image\n',
      '    resource: workload-image\n    bases: [{name: ubuntu, channel: "22.04"}]\n',
    );
    await writeFile(join(dir, 'charmcraft.yaml'), yaml);
    await expect(packCharm({ charmDir: dir, cacheDir, workspaceRoot: ROOT })).rejects.toThrow(
      'cannot use charmcraft.yaml: containers.workload: has both "resource" and "bases" (give exactly one: "resource: <oci-image resource>" or "bases: [...]")',
    );
    await rm(join(dir, 'icon.svg'));
    await writeFile(join(dir, 'charmcraft.yaml'), yaml.replace('    bases: [{name: ubuntu, channel: "22.04"}]\n', ''));
    await expect(packCharm({ charmDir: dir, cacheDir, workspaceRoot: ROOT })).rejects.toThrow(
      /icon\.svg is missing \(add a 100x100 SVG icon\)/,
    );
  });

  it('runs as a CLI: usage errors exit 2, failures exit 1 with the message', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const sink = (a: string[]) => ({ write: (s: string) => a.push(s) });
    expect(await runPackCli(['--bogus'], sink(out), sink(err))).toBe(2);
    expect(err.join('')).toContain('usage: charm-pack');
    expect(await runPackCli(['--charm-dir', '/nonexistent'], sink(out), sink(err))).toBe(1);
    expect(err.join('')).toContain(
      'charm-pack: cannot pack /nonexistent: it has neither charmcraft.yaml nor metadata.yaml',
    );
  });
});
