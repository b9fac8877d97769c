import { writeFile } from 'node:fs/promises';
import { Command, CommanderError } from 'commander';
import { z } from 'zod';
import { timeline } from '../commands/timeline.js';
import { verify } from '../commands/verify.js';
import { parseOverrides, whatIf } from '../commands/what-if.js';
import { why } from '../commands/why.js';
import { isReplayError, ReplayError } from '../errors.js';
import { diffJson } from '../json-diff.js';
import { renderHtml } from '../render/html.js';
import { changeLines, renderTimeline, renderValue, renderVerify, renderWhatIf, renderWhy } from '../render/text.js';
import { stepAt } from '../replay.js';
import { openSource, type Source } from '../source.js';

/** Where the program writes; injectable for tests. */
export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
}

interface SourceFlags {
  unit?: string;
  model?: string;
  charm?: string;
  json?: boolean;
}

const Seq = z.coerce.number({ error: 'must be a number' }).int('must be a whole number').positive('must be 1 or more');

/** A seq from the command line (zod at the boundary), or a usage error naming the flag. */
export function parseSeq(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const parsed = Seq.safeParse(text);
  if (!parsed.success)
    throw new ReplayError(
      'usage',
      `cannot read ${flag} "${text}": ${parsed.error.issues[0]?.message ?? 'invalid'}; give a record's seq (see charm-replay timeline)`,
    );
  return parsed.data;
}

function sourceCommand(program: Command, name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .option('--unit <unit>', 'a unit of a charm-sim model (e.g. redis-k8s/0) instead of [log]')
    .option('--model <dir>', 'the charm-sim model directory for --unit', '.charm-sim')
    .option('--charm <name>', 'the charm that wrote the log (default: from metadata.yaml or the records)')
    .option('--json', 'print JSON for tools instead of text');
}

function open(log: string | undefined, flags: SourceFlags): Promise<Source> {
  return openSource({ path: log, unit: flags.unit, model: flags.model, charm: flags.charm });
}

/** Builds the `charm-replay` program. */
export function buildProgram(io: CliIO): Command {
  const print = (flags: SourceFlags, value: unknown, text: () => string) =>
    io.out(flags.json === true ? `${JSON.stringify(value, null, 2)}\n` : text());
  const program = new Command('charm-replay')
    .description(
      "Replays a redis-k8s or redis-sentinel-k8s unit's event log: what happened, what the charm derived and planned, and why.",
    )
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  sourceCommand(program, 'timeline', 'every record, one line each, with the areas of the desired state it changed')
    .argument('[log]', 'the log directory, or a charm directory holding .event-log/')
    .option('--from <seq>', 'first record to list')
    .option('--to <seq>', 'last record to replay')
    .action(async (log: string | undefined, flags: SourceFlags & { from?: string; to?: string }) => {
      const entries = await timeline(await open(log, flags), {
        fromSeq: parseSeq(flags.from, '--from'),
        toSeq: parseSeq(flags.to, '--to'),
      });
      print(flags, entries, () => renderTimeline(entries));
    });

  sourceCommand(program, 'state', 'the derived state after a record (the end of the log by default)')
    .argument('[log]')
    .option('--at <seq>', 'the record')
    .action(async (log: string | undefined, flags: SourceFlags & { at?: string }) => {
      const step = await stepAt(await open(log, flags), parseSeq(flags.at, '--at'));
      print(flags, { seq: step.event.seq, state: step.state }, () =>
        renderValue(`state after seq ${step.event.seq}`, step.state),
      );
    });

  sourceCommand(program, 'plan', 'the desired state (layers, files, relation data, status) planned after a record')
    .argument('[log]')
    .option('--at <seq>', 'the record')
    .action(async (log: string | undefined, flags: SourceFlags & { at?: string }) => {
      const step = await stepAt(await open(log, flags), parseSeq(flags.at, '--at'));
      print(flags, { seq: step.event.seq, desired: step.desired }, () =>
        renderValue(`desired state after seq ${step.event.seq}`, step.desired),
      );
    });

  sourceCommand(program, 'why', 'which record changed an area of the desired state, and what in the state caused it')
    .argument('<question>', 'restart, relation, status, primary or files')
    .argument('[log]')
    .option('--at <seq>', 'ask as of this record')
    .option('--all', 'every change, not just the latest')
    .action(async (question: string, log: string | undefined, flags: SourceFlags & { at?: string; all?: boolean }) => {
      const answer = await why(await open(log, flags), question, parseSeq(flags.at, '--at'));
      print(flags, answer, () => renderWhy(answer, flags.all === true));
    });

  sourceCommand(program, 'diff', 'how the state and the desired state differ between two records')
    .argument('[log]')
    .requiredOption('--from <seq>', 'the earlier record')
    .requiredOption('--to <seq>', 'the later record')
    .action(async (log: string | undefined, flags: SourceFlags & { from: string; to: string }) => {
      const source = await open(log, flags);
      const a = await stepAt(source, parseSeq(flags.from, '--from'));
      const b = await stepAt(source, parseSeq(flags.to, '--to'));
      const result = {
        from: a.event.seq,
        to: b.event.seq,
        state: diffJson(a.state, b.state),
        desired: diffJson(a.desired, b.desired),
      };
      print(flags, result, () =>
        [
          `from seq ${result.from} to seq ${result.to}:`,
          '  state:',
          ...changeLines(result.state, '    ', 200),
          '  desired state:',
          ...changeLines(result.desired, '    ', 200),
          '',
        ].join('\n'),
      );
    });

  sourceCommand(program, 'what-if', 'replays the log with config options changed and shows where the plan would differ')
    .argument('[log]')
    .requiredOption('--config <k=v>', 'an option to override (repeatable)', (v: string, prev: string[] = []) => [
      ...prev,
      v,
    ])
    .action(async (log: string | undefined, flags: SourceFlags & { config: string[] }) => {
      const source = await open(log, flags);
      const answer = await whatIf(source, parseOverrides(source.charm, flags.config));
      print(flags, answer, () => renderWhatIf(answer));
    });

  sourceCommand(
    program,
    'verify',
    "checks the hash chain, every record's payload, and the snapshot against a fold from the start",
  )
    .argument('[log]')
    .action(async (log: string | undefined, flags: SourceFlags) => {
      const report = await verify(await open(log, flags));
      print(flags, report, () => renderVerify(report));
    });

  sourceCommand(program, 'html', 'writes a self-contained HTML timeline to read in a browser')
    .argument('[log]')
    .option('-o, --output <file>', 'where to write it', 'charm-replay.html')
    .action(async (log: string | undefined, flags: SourceFlags & { output: string }) => {
      const source = await open(log, flags);
      const entries = await timeline(source, { diffs: true });
      const html = renderHtml({
        charm: source.charm.name,
        dir: source.dir,
        generatedAt: new Date().toISOString(),
        entries,
      });
      await writeFile(flags.output, html).catch((e: unknown) => {
        throw new ReplayError('io-failed', `cannot write ${flags.output}: ${(e as Error).message}`, {
          path: flags.output,
        });
      });
      io.out(`wrote ${flags.output} (${entries.length} records, ${Math.ceil(html.length / 1024)} KiB)\n`);
    });

  return program;
}

/** Runs the program on `argv` (user arguments only); returns the exit code (0 ok, 1 failure, 2 usage). */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (isReplayError(error)) {
      io.err(`charm-replay: ${error.message}\n`);
      return error.code === 'usage' ? 2 : 1;
    }
    io.err(
      `charm-replay: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}
