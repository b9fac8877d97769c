/**
 * Entry point of `charm-sim` (the CLI) and of its controller daemon (`charm-sim __controller`, started
 * by the CLI on first use; never run by hand).
 */
import { CommanderError } from 'commander';
import { JujuModelError } from './model/api.js';
import { buildProgram } from './cli/program.js';
import { runDaemon } from './controller/daemon.js';
import { Settings } from './controller/settings.js';

const write = (stream: NodeJS.WriteStream) => (s: string) => void stream.write(s);

async function main(argv: string[]): Promise<void> {
  if (argv[2] === '__controller') {
    const dir = argv[argv.indexOf('--model-dir') + 1];
    const settings = argv.includes('--settings')
      ? (JSON.parse(argv[argv.indexOf('--settings') + 1] ?? '{}') as unknown)
      : {};
    if (!dir) throw new JujuModelError('bad-argument', 'cannot start the controller: --model-dir is required');
    await runDaemon(dir, Settings.partial().parse(settings));
    return;
  }
  const program = buildProgram({ out: write(process.stdout), err: write(process.stderr) });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    throw error;
  }
}

// `charm-sim debug-log | head`: a closed pipe ends the output quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv).catch((error: unknown) => {
  const message =
    error instanceof JujuModelError ? error.message : error instanceof Error ? error.message : String(error);
  process.stderr.write(`ERROR ${message.startsWith('cannot') ? message : `cannot run charm-sim: ${message}`}\n`);
  if (error instanceof Error && !(error instanceof JujuModelError) && process.env['CHARM_SIM_DEBUG'])
    process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
});
