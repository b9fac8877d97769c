/**
 * The three clients of the Pebble bench, each a worker process that runs one task and prints one
 * JSON result: ours (this repo's client bundled by esbuild, run by plain node), Pebble's Go client
 * (bench/pebble-go, built by its setup.sh) and ops.pebble (Python ops 3.9.0 from tools/python).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type WorkerResult, workerResultSchema } from './worker-result.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');
const WORK = path.join(HERE, 'work');
const GO_DIR = path.join(ROOT, 'bench/pebble-go');
const PYTHON_LIB = path.join(ROOT, 'tools/python/lib');

export type CompetitorId = 'ours' | 'go' | 'ops';

/** One client under test: how to start its worker. */
export interface Competitor {
  id: CompetitorId;
  label: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** One task for a worker: its name and arguments (`--task` is added). */
export interface Task {
  task: 'seq' | 'conc' | 'push' | 'pull';
  args: Record<string, string | number>;
}

const run = promisify(execFile);

/** Build the Go worker and bundle ours; check that Python ops is installed. */
export async function prepareCompetitors(): Promise<Competitor[]> {
  await run('bash', [path.join(GO_DIR, 'setup.sh')], { timeout: 600_000 });
  const { build } = await import('esbuild');
  const outfile = path.join(WORK, 'worker.mjs');
  await build({
    entryPoints: [path.join(HERE, 'worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    minify: true,
    logLevel: 'warning',
  });
  if (!existsSync(path.join(PYTHON_LIB, 'ops')))
    throw new Error(`cannot run the ops side: ops is not installed in ${PYTHON_LIB}; run npm run setup`);
  const env = { ...process.env };
  delete env['NODE_OPTIONS'];
  return [
    {
      id: 'ours',
      label: `@charms/pebble-client (node ${process.version})`,
      command: process.execPath,
      args: [outfile],
      env,
    },
    { id: 'go', label: 'Pebble Go client v1.32.1', command: path.join(GO_DIR, 'work/pebble-go'), args: [], env },
    {
      id: 'ops',
      label: 'ops.pebble (ops 3.9.0)',
      command: 'python3',
      args: [path.join(HERE, 'ops_worker.py')],
      env: { ...env, PYTHONPATH: PYTHON_LIB },
    },
  ];
}

/** Run one task in a fresh worker process of `c`; rejects with its stderr when it fails or exceeds `timeoutMs`. */
export function runWorker(c: Competitor, socket: string, task: Task, timeoutMs: number): Promise<WorkerResult> {
  const argv = [...c.args, '--socket', socket, '--task', task.task];
  for (const [k, v] of Object.entries(task.args)) argv.push(`--${k}`, String(v));
  return new Promise((resolve, reject) => {
    const child = spawn(c.command, argv, { env: c.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-8192)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start the ${c.id} worker (${c.command}): ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const what = `${c.id} ${task.task} ${JSON.stringify(task.args)}`;
      if (code !== 0)
        return reject(new Error(`${what}: worker ${signal ? `killed by ${signal}` : `exited ${code}`}: ${err.trim()}`));
      let json: unknown;
      try {
        json = JSON.parse(out);
      } catch {
        return reject(new Error(`${what}: worker printed no JSON result: ${out.slice(0, 200)}`));
      }
      const parsed = workerResultSchema.safeParse(json);
      if (!parsed.success) return reject(new Error(`${what}: bad worker result: ${parsed.error.issues[0]?.message}`));
      resolve(parsed.data);
    });
  });
}
