/**
 * Command line of the Pebble client bench: run it, write the JSON result and the markdown section.
 *
 *   npx tsx bench/pebble-client/cli.ts [--rounds 5] [--smoke] [--out bench/pebble-client]
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { renderMarkdown, runPebbleBench } from './pebble-bench.js';

const BEGIN = '<!-- BEGIN pebble-bench results (written by pebble-bench.ts) -->';
const END = '<!-- END pebble-bench results -->';

const argsSchema = z.object({
  rounds: z.coerce.number().int().min(1).max(50).optional(),
  smoke: z.boolean(),
  out: z.string().min(1),
});

/** `--rounds N`, `--smoke`, `--out DIR` (where results.json and RESULTS.md go; default: this directory). */
export async function runCli(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rounds: { type: 'string' },
      smoke: { type: 'boolean', default: false },
      out: { type: 'string', default: path.dirname(new URL(import.meta.url).pathname) },
    },
  });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    process.stderr.write(
      `pebble-bench: invalid arguments: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}\n`,
    );
    process.exitCode = 2;
    return;
  }
  const { rounds, smoke, out } = parsed.data;
  const result = await runPebbleBench({ rounds, smoke, log: (l) => process.stdout.write(`${l}\n`) });
  const name = smoke ? 'results-smoke' : 'results';
  await writeFile(path.join(out, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  const section = renderMarkdown(result);
  const prettier = await import('prettier');
  const formatted = await prettier.format(section, { parser: 'markdown', ...(await prettier.resolveConfig(out)) });
  if (smoke) {
    process.stdout.write(formatted);
    return;
  }
  const file = path.join(out, 'RESULTS.md');
  const text = await readFile(file, 'utf8').catch(() => `# Pebble client bench\n\n${BEGIN}\n${END}\n`);
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  const next =
    start >= 0 && end > start
      ? `${text.slice(0, start + BEGIN.length)}\n\n${formatted}\n${text.slice(end)}`
      : `${text.trimEnd()}\n\n${BEGIN}\n\n${formatted}\n${END}\n`;
  await writeFile(file, next);
  process.stdout.write(`wrote ${path.join(out, `${name}.json`)} and ${file}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  await runCli(process.argv.slice(2));
