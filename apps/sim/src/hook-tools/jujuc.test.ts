/**
 * End to end: the real Go jujuc binary, symlinked under tool names, talking to the real
 * hook-tool server over a unix socket, with the model's runHookTool as the handler.
 */
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HookContext, type ToolResult, toolNames, runHookTool } from '@charms/juju-model';
import { deployApp } from '../model/deploy.js';
import { redisLike, Sim } from '../model/testing-fixtures/sim.js';
import { startHookToolServer, type HookToolServer } from './server.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../../../..');

/** tools/bin/jujuc, built by the one build script (the nx target @charms/sim:jujuc) when its Go sources changed. */
async function jujucBinary(): Promise<string> {
  await run('bash', [join(root, 'scripts/build-jujuc.sh')], { timeout: 300_000 });
  return join(root, 'tools/bin/jujuc');
}

let dir: string;
let toolsDir: string;
let server: HookToolServer;
let abstractServer: HookToolServer;
let sim: Sim;
let ctx: HookContext;
const contexts = new Map<string, HookContext>();

function handler(id: string) {
  const c = contexts.get(id);
  if (!c) return undefined;
  return (req: Parameters<typeof runHookTool>[2]): ToolResult => {
    const r = runHookTool(sim.model, c, req);
    sim.apply(r);
    return r.result;
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sim-model-jujuc-'));
  const bin = await jujucBinary();
  toolsDir = join(dir, 'tools');
  await run('mkdir', ['-p', toolsDir]);
  for (const name of [...toolNames, 'no-such-tool']) await symlink(bin, join(toolsDir, name));
  sim = new Sim();
  sim.apply(deployApp(sim.model, { charm: redisLike(), units: 2 }));
  sim.settle();
  ctx = sim.open('redis/0').ctx;
  contexts.set(ctx.id, ctx);
  server = await startHookToolServer({ socketPath: join(dir, 'agent.socket'), lookup: handler });
  abstractServer = await startHookToolServer({ socketPath: `@sim-model-test-${process.pid}`, lookup: handler });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await abstractServer?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Ran {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Runs a tool by name from the tools dir, with the hook env (overridable) and optional stdin. */
function tool(
  name: string,
  args: string[],
  opts: { env?: Record<string, string | undefined>; stdin?: string; keepStdinOpen?: boolean } = {},
): Promise<Ran> {
  const env: Record<string, string> = {
    PATH: `${toolsDir}:/usr/bin:/bin`,
    JUJU_CONTEXT_ID: ctx.id,
    JUJU_AGENT_SOCKET_ADDRESS: server.socketPath,
    JUJU_AGENT_SOCKET_NETWORK: 'unix',
  };
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return new Promise((resolvePromise, reject) => {
    const child = spawn(join(toolsDir, name), args, { env, cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ stdout, stderr, code }));
    if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
    else if (!opts.keepStdinOpen) child.stdin.end();
  });
}

describe('jujuc over a real unix socket', () => {
  it("fails with Juju's texts when the context or socket is missing or stale", async () => {
    expect(await tool('is-leader', [], { env: { JUJU_CONTEXT_ID: undefined } })).toEqual({
      stdout: '',
      stderr: 'ERROR JUJU_CONTEXT_ID not set\n',
      code: 1,
    });
    expect(await tool('is-leader', [], { env: { JUJU_AGENT_SOCKET_ADDRESS: undefined } })).toEqual({
      stdout: '',
      stderr: 'ERROR JUJU_AGENT_SOCKET_ADDRESS not set\n',
      code: 1,
    });
    expect(await tool('is-leader', [], { env: { JUJU_CONTEXT_ID: 'redis/0-install-1' } })).toEqual({
      stdout: '',
      stderr: 'ERROR bad request: bad context: redis/0-install-1\n',
      code: 1,
    });
    expect(await tool('no-such-tool', [])).toEqual({
      stdout: '',
      stderr: 'ERROR bad request: bad command: no-such-tool\n',
      code: 1,
    });
    const gone = await tool('is-leader', [], { env: { JUJU_AGENT_SOCKET_ADDRESS: join(dir, 'missing.socket') } });
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^ERROR cannot connect to the hook-tool server/);
  });

  it('passes argv, prints stdout and returns exit codes (0, 1, 2)', async () => {
    expect(await tool('is-leader', ['--format=json'])).toEqual({ stdout: 'true\n', stderr: '', code: 0 });
    expect(await tool('config-get', ['port', '--format', 'json'])).toEqual({ stdout: '6379\n', stderr: '', code: 0 });
    expect(await tool('status-set', ['bogus'])).toEqual({
      stdout: '',
      stderr: 'ERROR invalid status "bogus", expected one of [maintenance blocked waiting active]\n',
      code: 2,
    });
    expect(await tool('action-get', [])).toEqual({ stdout: '', stderr: 'ERROR not running an action\n', code: 1 });
    expect(await tool('resource-get', ['redis-image'])).toEqual({
      stdout: '/var/lib/juju/agents/unit-redis-0/resources/redis-image/content.yaml',
      stderr: '',
      code: 0,
    });
  });

  it('sends stdin for --file - and the hook sees its pending relation data', async () => {
    expect(
      await tool('relation-set', ['-r', 'redis-peers:0', '--file', '-'], {
        stdin: '{"role": "primary", "port": "6379"}',
      }),
    ).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(await tool('relation-get', ['--format=json', '-r', 'redis-peers:0', 'role', 'redis/0'])).toEqual({
      stdout: '"primary"\n',
      stderr: '',
      code: 0,
    });
    expect(ctx.pending.relations['0']?.unit).toEqual({ role: 'primary', port: '6379' });
  });

  it('never reads an inherited stdin unless asked: a tool returns while stdin stays open', async () => {
    expect(await tool('is-leader', [], { keepStdinOpen: true })).toEqual({ stdout: 'True\n', stderr: '', code: 0 });
  });

  it("reads key#file= and --file paths in the hook's own filesystem", async () => {
    await writeFile(join(dir, 'pw.txt'), 's3cret');
    const added = await tool('secret-add', ['--owner', 'unit', 'password#file=pw.txt']);
    expect(added.code).toBe(0);
    const id = added.stdout.trim();
    expect(await tool('secret-get', [id, 'password'])).toEqual({ stdout: 's3cret\n', stderr: '', code: 0 });
    await writeFile(join(dir, 'state.yaml'), 'a: "1"\n');
    expect((await tool('state-set', ['--file', 'state.yaml'])).code).toBe(0);
    expect(await tool('state-get', ['a'])).toEqual({ stdout: '1\n', stderr: '', code: 0 });
  });

  it("writes -o/--output files in the hook's own cwd and prints --help on stdout", async () => {
    expect(await tool('config-get', ['--format=json', '-o', 'config.json'])).toEqual({
      stdout: '',
      stderr: '',
      code: 0,
    });
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe('{"enable-tls":false,"port":6379}\n');
    expect(await tool('is-leader', ['--output', 'missing-dir/x'])).toEqual({
      stdout: '',
      stderr: `ERROR open missing-dir/x: no such file or directory\n`,
      code: 1,
    });
    const help = await tool('storage-get', ['--help']);
    expect(help).toMatchObject({ stderr: '', code: 0 });
    expect(help.stdout).toMatch(/^Usage: storage-get \[options\] \[<key>\]\n\nSummary:\n/);
  });

  it('works over a Linux abstract socket (@name)', async () => {
    expect(
      await tool('is-leader', ['--format=json'], { env: { JUJU_AGENT_SOCKET_ADDRESS: abstractServer.socketPath } }),
    ).toEqual({ stdout: 'true\n', stderr: '', code: 0 });
  });

  it('answers malformed requests with a bad request error instead of hanging', async () => {
    const { createConnection } = await import('node:net');
    const reply = await new Promise<string>((resolveReply) => {
      const s = createConnection(server.socketPath, () => s.write('{"tool": 3}\n'));
      let data = '';
      s.on('data', (d) => (data += d.toString()));
      s.on('close', () => resolveReply(data));
    });
    expect(JSON.parse(reply)).toMatchObject({ exitCode: 1, stderr: expect.stringMatching(/^ERROR bad request: /) });
  });
});
