import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CharmError } from '../errors.js';
import { charmToDeploy, PACKED_BY_NX_ENV } from './packed-charm.js';

const EXAMPLE = fileURLToPath(new URL('../testing-fixtures/example-charm', import.meta.url));
const NX = { [PACKED_BY_NX_ENV]: '1' };

describe('charmToDeploy under an nx target that packed the charm', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sdk-packed-charm-'));
    await cp(EXAMPLE, join(dir, 'charm'), { recursive: true, filter: (src) => !src.includes('/dist') });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("returns pack's output in <charmDir>/dist, named as packCharm names it, without packing again", async () => {
    const charmDir = join(dir, 'charm');
    await mkdir(join(charmDir, 'dist'));
    const archive = join(charmDir, 'dist', 'example-k8s_ubuntu@22.04-amd64.charm');
    await writeFile(archive, 'packed by nx');
    const outDir = join(dir, 'out');
    expect(await charmToDeploy(charmDir, outDir, NX)).toBe(archive);
    expect(existsSync(outDir)).toBe(false); // a fresh pack would have written it
  });

  it('refuses, naming the missing archive and the fix, when pack did not run', async () => {
    const err = await charmToDeploy(join(dir, 'charm'), join(dir, 'out'), NX).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CharmError);
    expect(err).toMatchObject({ code: 'pack' });
    expect((err as Error).message).toContain(join(dir, 'charm', 'dist', 'example-k8s_ubuntu@22.04-amd64.charm'));
    expect((err as Error).message).toContain('npx nx test');
  });
});
