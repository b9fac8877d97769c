import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { CharmError } from '../errors.js';

/** Makes `require` available to CommonJS dependencies inside the ESM bundle. */
export const REQUIRE_BANNER =
  "import { createRequire as __charmCreateRequire } from 'node:module'; const require = __charmCreateRequire(import.meta.url);";

/** Options of {@link bundleCharm}. */
export interface BundleOptions {
  /** The charm's entry module. */
  entry: string;
  /** Paths in the bundle are relative to this directory, so output does not depend on where the repo lives. */
  workingDir: string;
  /** Apply the hook-latency substitutions of {@link fastStartPlugin} (default true). */
  fastStart?: boolean;
  /** `esm` (default): the bundle dispatch runs; `cjs`: the script a startup snapshot is built from. */
  format?: 'esm' | 'cjs';
}

const here = (name: string) => {
  const ts = fileURLToPath(new URL(`${name}.ts`, import.meta.url));
  return existsSync(ts) ? ts : fileURLToPath(new URL(`${name}.js`, import.meta.url));
};

/**
 * Substitutions that keep a dispatch fast without changing behaviour: `@charms/pebble-client`
 * gets a node:http stand-in for undici's Agent (its only use of undici) and loads ws on first use,
 * and pino skips the caller lookup that only transports need.
 */
export function fastStartPlugin(): Plugin {
  return {
    name: 'charm-fast-start',
    setup(b) {
      const fromPebble = (importer: string) => /pebble-client[\\/]/.test(importer);
      b.onResolve({ filter: /^undici$/ }, (args) =>
        fromPebble(args.importer) ? { path: here('./shims/undici-agent') } : undefined,
      );
      b.onResolve({ filter: /^ws$/ }, (args) =>
        fromPebble(args.importer) ? { path: here('./shims/lazy-ws') } : undefined,
      );
      b.onLoad({ filter: /[\\/]pino[\\/]lib[\\/]caller\.js$/ }, () => ({
        contents: 'module.exports = function getCallers() { return []; };',
        loader: 'js',
      }));
    },
  };
}

/**
 * One file with every dependency inlined (platform node, target node20), deterministic for the
 * same sources: ESM by default, or CommonJS for building a startup snapshot.
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
      format: options.format ?? 'esm',
      conditions: ['@charms/source'],
      mainFields: ['module', 'main'],
      ...(options.format === 'cjs' ? {} : { banner: { js: REQUIRE_BANNER } }),
      minify: true,
      keepNames: true,
      legalComments: 'none',
      // ASCII (non-ASCII escaped): V8 keeps a one-byte source string, half the heap of a two-byte one
      charset: 'ascii',
      write: false,
      logLevel: 'silent',
      plugins: options.fastStart === false ? [] : [fastStartPlugin()],
    });
    const [file] = result.outputFiles;
    if (file === undefined) throw new Error('esbuild produced no output');
    return file.contents;
  } catch (e) {
    const errors = (e as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors;
    const detail =
      errors?.map((x) => (x.location ? `${x.location.file}:${x.location.line}: ${x.text}` : x.text)).join('; ') ??
      (e as Error).message;
    throw new CharmError('pack', `cannot bundle ${options.entry}: ${detail}`, { entry: options.entry }, { cause: e });
  }
}
