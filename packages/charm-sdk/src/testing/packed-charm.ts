/**
 * The .charm an end-to-end test deploys. Under an nx target that depends on the charm's `pack` (the charms'
 * `test` and `e2e` targets and the apps' `test`, which set `CHARMS_PACKED_BY_NX=1`), that is the archive `pack`
 * wrote to `<charmDir>/dist`, so the test deploys what nx built and cached. Run any other way (vitest
 * directly, as `npm run test:all` does), the test packs the charm itself.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CharmError } from '../errors.js';
import { readCharmDocs } from '../pack/charm-files.js';
import { charmFileName, packCharm } from '../pack/pack.js';

/** The variable the nx targets set when every charm a test deploys was packed by its `pack` target first. */
export const PACKED_BY_NX_ENV = 'CHARMS_PACKED_BY_NX';

/**
 * The path of the .charm of `charmDir` to deploy: nx's `pack` output when `env` has {@link PACKED_BY_NX_ENV}=1,
 * else a fresh pack into `outDir`. Throws a {@link CharmError} `pack` when nx should have packed it and did not.
 */
export async function charmToDeploy(
  charmDir: string,
  outDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  if (env[PACKED_BY_NX_ENV] !== '1') return (await packCharm({ charmDir, outDir })).path;
  const path = join(charmDir, 'dist', charmFileName(await readCharmDocs(charmDir)));
  if (!existsSync(path))
    throw new CharmError(
      'pack',
      `${PACKED_BY_NX_ENV}=1 but ${path} does not exist: run the test through an nx target that depends on ` +
        `pack (npx nx test <project>), or unset ${PACKED_BY_NX_ENV} so the test packs the charm itself`,
      { charmDir, path },
    );
  return path;
}
