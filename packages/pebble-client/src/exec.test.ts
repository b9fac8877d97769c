import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PebbleClient } from './client.js';
import { APIError, ChangeError, ExecError, isPebbleError, TimeoutError } from './errors.js';
import { failure } from './testing-fixtures/failure.js';
import { usePebbleDaemon } from './testing-fixtures/use-pebble-daemon.js';

const pebble = usePebbleDaemon();
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pebble-exec-test-'));
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function run(command: string[], options: Parameters<PebbleClient['exec']>[1] = {}) {
  return (await pebble.client.exec(command, options)).wait();
}

describe('exec', () => {
  it('captures stdout and stderr of a successful command', async () => {
    expect(await run(['/bin/sh', '-c', 'echo out; echo err >&2'])).toEqual({
      exitCode: 0,
      stdout: 'out\n',
      stderr: 'err\n',
    });
  });

  it('throws ExecError with the exit code and output on a non-zero exit', async () => {
    const err = await failure(run(['/bin/sh', '-c', 'echo partial; echo oops >&2; exit 3']));
    expect(err).toBeInstanceOf(ExecError);
    expect(err).toMatchObject({
      code: 'exec-failed',
      exitCode: 3,
      stdout: 'partial\n',
      stderr: 'oops\n',
      command: ['/bin/sh', '-c', 'echo partial; echo oops >&2; exit 3'],
    });
    expect((err as Error).message).toMatch(/^cannot run "\/bin\/sh": exited with code 3/);
  });

  it('feeds stdin from a string, a Readable and an async iterable, then EOF', async () => {
    expect((await run(['cat'], { stdin: 'from a string\n' })).stdout).toBe('from a string\n');
    expect((await run(['cat'], { stdin: Readable.from([Buffer.from('a'), Buffer.from('b')]) })).stdout).toBe('ab');
    const gen = (async function* () {
      yield new TextEncoder().encode('x');
      yield new TextEncoder().encode('y');
    })();
    expect((await run(['cat'], { stdin: gen })).stdout).toBe('xy');
    // No stdin at all still sends EOF: cat ends instead of hanging.
    expect((await run(['cat'])).stdout).toBe('');
  });

  it('passes binary bytes through stdin and stdout unchanged', async () => {
    const data = randomBytes(2 * 1024 * 1024 + 3);
    const chunks: Buffer[] = [];
    await run(['cat'], { stdin: data, stdout: (c) => chunks.push(Buffer.from(c)) });
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
  });

  it('streams stdout while the process runs, with stdin as a pipe', async () => {
    const proc = await pebble.client.exec(['/bin/sh', '-c', 'echo one; read line; echo "got $line"'], {
      stdin: 'pipe',
      stdout: 'pipe',
    });
    const out = proc.stdout;
    const input = proc.stdin;
    if (!out || !input) throw new Error('expected stdout and stdin pipes');
    const it = out[Symbol.asyncIterator]();
    const first = (await it.next()).value as Buffer;
    expect(first.toString()).toBe('one\n'); // arrived before we sent any input
    input.end('two\n');
    let rest = '';
    for (let r = await it.next(); !r.done; r = await it.next()) rest += (r.value as Buffer).toString();
    expect(rest).toBe('got two\n');
    expect(await proc.wait()).toEqual({ exitCode: 0, stdout: '', stderr: '' });
  });

  it('writes output to a Writable and stderr to a callback', async () => {
    const sink = new PassThrough();
    const got: Buffer[] = [];
    sink.on('data', (c: Buffer) => got.push(c));
    const errs: string[] = [];
    const result = await run(['/bin/sh', '-c', 'echo to-writable; echo to-callback >&2'], {
      stdout: sink,
      stderr: (c) => errs.push(c.toString()),
    });
    expect(Buffer.concat(got).toString()).toBe('to-writable\n');
    expect(errs.join('')).toBe('to-callback\n');
    expect(result).toEqual({ exitCode: 0, stdout: '', stderr: '' });
  });

  it('respects backpressure of a slow Writable', async () => {
    let written = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _e, cb) {
        written += chunk.length;
        setImmediate(cb);
      },
    });
    await run(['head', '-c', String(4 * 1024 * 1024), '/dev/zero'], { stdout: slow });
    expect(written).toBe(4 * 1024 * 1024);
  });

  it('combines stderr into stdout', async () => {
    const result = await run(['/bin/sh', '-c', 'echo out; echo err >&2'], { combineStderr: true });
    expect(result.stdout.split('\n').sort()).toEqual(['', 'err', 'out']);
    expect(result.stderr).toBe('');
    const err = await failure(run(['/bin/sh', '-c', 'echo err >&2; exit 1'], { combineStderr: true }));
    expect(err).toMatchObject({ exitCode: 1, stdout: 'err\n', stderr: null });
  });

  it('sets environment and working dir', async () => {
    const result = await run(['/bin/sh', '-c', 'echo "$GREETING"; pwd'], {
      environment: { GREETING: 'hi there' },
      workingDir: root,
    });
    expect(result.stdout).toBe(`hi there\n${root}\n`);
  });

  it('runs as another user', async () => {
    expect((await run(['id', '-u'], { user: 'nobody', workingDir: '/' })).stdout).toBe('65534\n');
    expect((await run(['id', '-g'], { userId: 65534, groupId: 65534, workingDir: '/' })).stdout).toBe('65534\n');
  });

  it('uses a service context for environment and working dir', async () => {
    await pebble.client.addLayer('exec-ctx', {
      services: {
        ctx: { override: 'replace', command: 'sleep 1000', environment: { FROM_SERVICE: 'yes' }, 'working-dir': root },
      },
    });
    expect((await run(['/bin/sh', '-c', 'echo $FROM_SERVICE; pwd'], { serviceContext: 'ctx' })).stdout).toBe(
      `yes\n${root}\n`,
    );
    expect(await failure(run(['true'], { serviceContext: 'no-such-service' }))).toBeInstanceOf(APIError);
  });

  it('fails with APIError 500 for a missing working dir', async () => {
    const err = await failure(pebble.client.exec(['ls'], { workingDir: '/no/such/dir' }));
    expect(err).toBeInstanceOf(APIError);
    expect(err).toMatchObject({ statusCode: 500 });
    expect((err as Error).message).toMatch(/working directory "\/no\/such\/dir" does not exist/);
  });

  it('fails with APIError 400 for a command that does not exist', async () => {
    const err = await failure(pebble.client.exec(['no-such-command-xyz']));
    expect(err).toMatchObject({ code: 'api', statusCode: 400 });
    expect((err as Error).message).toMatch(/cannot find executable "no-such-command-xyz"/);
  });

  it('rejects bad input before asking Pebble', async () => {
    await expect(pebble.client.exec([])).rejects.toThrow(/invalid command/);
    await expect(pebble.client.exec(['ls'], { timeout: -1 })).rejects.toThrow(/invalid options\.timeout/);
    await expect(pebble.client.exec(['ls'], { stdout: 'nope' as 'pipe' })).rejects.toThrow(/invalid options\.stdout/);
  });

  it('throws TimeoutError (cause: ChangeError) when the exec timeout kills the process', async () => {
    const started = Date.now();
    const err = await failure(run(['sleep', '30'], { timeout: 300 }));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ code: 'timeout', timeout: 300 });
    expect((err as Error).cause).toBeInstanceOf(ChangeError);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('sends a signal through the control socket', async () => {
    const proc = await pebble.client.exec(['sleep', '30']);
    expect(await proc.sendSignal('SIGTERM')).toBe(true);
    const err = await failure(proc.wait());
    expect(err).toMatchObject({ code: 'exec-failed', exitCode: 143 });
    expect(await proc.sendSignal('TERM')).toBe(false);
  });

  it('kills the process when the signal aborts, and rejects with aborted', async () => {
    const ac = new AbortController();
    const proc = await pebble.client.exec(['sleep', '30'], { signal: ac.signal, stdout: 'pipe' });
    ac.abort();
    const err = await failure(proc.wait());
    expect(isPebbleError(err) && err.code).toBe('aborted');
    const change = await pebble.client.waitChange(proc.changeId, { timeout: 10_000 });
    expect(change.ready).toBe(true);
    expect(change.tasks[0]?.data['exit-code']).not.toBe(0);
    expect(proc.stdout?.destroyed).toBe(true);
  });

  it('rethrows an error of the stdin source unchanged and stops the process', async () => {
    const boom = new Error('stdin broke');
    const source = (async function* () {
      yield Buffer.from('some');
      throw boom;
    })();
    const proc = await pebble.client.exec(['cat'], { stdin: source });
    expect(await failure(proc.wait())).toBe(boom);
    expect((await pebble.client.waitChange(proc.changeId, { timeout: 10_000 })).ready).toBe(true);
  });
});
