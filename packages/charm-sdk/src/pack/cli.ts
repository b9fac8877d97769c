import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CharmError } from '../errors.js';
import { packCharm } from './pack.js';

type Sink = { write(text: string): unknown };

const USAGE = 'usage: charm-pack [--charm-dir <dir>] [--out <dir>] [--entry <file>]';

/** `charm-pack`: packs the charm in the current (or given) directory; prints the archive path. */
export async function runPackCli(
  argv: string[],
  out: Sink = process.stdout,
  err: Sink = process.stderr,
): Promise<number> {
  let values: { 'charm-dir'?: string; out?: string; entry?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'charm-dir': { type: 'string' },
        out: { type: 'string' },
        entry: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    err.write(`charm-pack: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    out.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const result = await packCharm({
      charmDir: values['charm-dir'] ?? process.cwd(),
      ...(values.out === undefined ? {} : { outDir: values.out }),
      ...(values.entry === undefined ? {} : { entry: values.entry }),
    });
    out.write(`${result.path}\nsha256 ${result.sha256}\n`);
    return 0;
  } catch (e) {
    err.write(`charm-pack: ${e instanceof CharmError ? e.message : String((e as Error).stack ?? e)}\n`);
    return 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await runPackCli(process.argv.slice(2));
}
