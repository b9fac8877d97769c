import { build } from 'esbuild';
import { CharmError } from '../errors.js';

/** Makes `require` available to CommonJS dependencies inside the ESM bundle. */
export const REQUIRE_BANNER = "import { createRequire as __charmCreateRequire } from 'node:module'; const require = __charmCreateRequire(import.meta.url);";

/** Options of {@link bundleCharm}. */
export interface BundleOptions {
  /** The charm's entry module. */
  entry: string;
  /** Paths in the bundle are relative to this directory, so output does not depend on where the repo lives. */
  workingDir: string;
}

/**
 * One ESM file with every dependency inlined (platform node, target node20), deterministic for
 * the same sources.
 * @throws {CharmError} `pack` listing esbuild's errors.
 */
export async function bundleCharm(options: BundleOptions): Promise<Uint8Array> {
  try {
    const result = await build({
      entryPoints: [options.entry],
      absWorkingDir: options.workingDir,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      conditions: ['@charms/source'],
      mainFields: ['module', 'main'],
      banner: { js: REQUIRE_BANNER },
      minify: true,
      keepNames: true,
      legalComments: 'none',
      charset: 'utf8',
      write: false,
      logLevel: 'silent',
    });
    const [file] = result.outputFiles;
    if (file === undefined) throw new Error('esbuild produced no output');
    return file.contents;
  } catch (e) {
    const errors = (e as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors;
    const detail = errors?.map((x) => (x.location ? `${x.location.file}:${x.location.line}: ${x.text}` : x.text)).join('; ') ?? (e as Error).message;
    throw new CharmError('pack', `cannot bundle ${options.entry}: ${detail}`, { entry: options.entry }, { cause: e });
  }
}
