/** Entry point of `charm-replay`. */
import { runCli } from './cli/program.js';

const write = (stream: NodeJS.WriteStream) => (s: string) => void stream.write(s);

process.exitCode = await runCli(process.argv.slice(2), { out: write(process.stdout), err: write(process.stderr) });
