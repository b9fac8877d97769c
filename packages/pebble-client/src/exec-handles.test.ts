import { readdirSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PebbleClient } from './client.js';
import { isPebbleError } from './errors.js';
import { startPebbleDaemon, type PebbleDaemon } from './testing/index.js';

let daemon: PebbleDaemon;

beforeAll(async () => {
  daemon = await startPebbleDaemon();
});

afterAll(async () => {
  await daemon?.stop();
});

interface Snapshot {
  resources: Record<string, number>;
  fds: number;
  sockets: number;
}

function snapshot(): Snapshot {
  const resources: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) resources[r] = (resources[r] ?? 0) + 1;
  let fds = 0;
  let sockets = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const link = readlinkSync(`/proc/self/fd/${fd}`);
      fds++;
      if (link.startsWith('socket:')) sockets++;
    } catch {
      // the fd of the directory listing itself is gone by now
    }
  }
  return { resources, fds, sockets };
}

/**
 * Run `scenario` with a fresh client, close the client, and check that the process has exactly the
 * handles, fds and sockets it had before: nothing the exec opened survives it.
 */
async function expectNoLeak(scenario: (client: PebbleClient) => Promise<void>): Promise<void> {
  const before = snapshot();
  const client = new PebbleClient({ socketPath: daemon.socketPath });
  await scenario(client);
  await client.close();
  expectSameAs(before);
}

/**
 * Handles, fds and sockets must match exactly; timers must not grow (a timer of undici's shared clock
 * from an earlier test may expire meanwhile, so equality would be flaky there).
 */
function expectSameAs(before: Snapshot): void {
  const after = snapshot();
  const { Timeout: timersAfter = 0, ...restAfter } = after.resources;
  const { Timeout: timersBefore = 0, ...restBefore } = before.resources;
  expect({ ...after, resources: restAfter }).toEqual({ ...before, resources: restBefore });
  expect(timersAfter).toBeLessThanOrEqual(timersBefore);
}

async function outcome(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'ok',
    (err: unknown) => (isPebbleError(err) ? err.code : `other: ${String(err)}`),
  );
}

describe('exec leaves nothing open', () => {
  it('counts the sockets an exec opens (control for the checks below)', async () => {
    const before = snapshot();
    const client = new PebbleClient({ socketPath: daemon.socketPath });
    const proc = await client.exec(['sleep', '30']);
    expect(snapshot().sockets).toBeGreaterThanOrEqual(before.sockets + 3);
    await proc.sendSignal('SIGKILL');
    expect(await outcome(proc.wait())).toBe('exec-failed');
    await client.close();
    expectSameAs(before);
  });

  it('after success', async () => {
    await expectNoLeak(async (client) => {
      const proc = await client.exec(['/bin/sh', '-c', 'cat; echo err >&2'], { stdin: 'hello' });
      expect(await proc.wait()).toEqual({ exitCode: 0, stdout: 'hello', stderr: 'err\n' });
    });
  });

  it('after a non-zero exit', async () => {
    await expectNoLeak(async (client) => {
      expect(await outcome((await client.exec(['/bin/sh', '-c', 'exit 7'])).wait())).toBe('exec-failed');
    });
  });

  it('after the exec timeout', async () => {
    await expectNoLeak(async (client) => {
      expect(
        await outcome((await client.exec(['sleep', '30'], { timeout: 200, stdin: 'pipe', stdout: 'pipe' })).wait()),
      ).toBe('timeout');
    });
  });

  it('after an abort while running, with unread pipes', async () => {
    await expectNoLeak(async (client) => {
      const ac = new AbortController();
      const proc = await client.exec(['/bin/sh', '-c', 'yes | head -c 10000000; sleep 30'], {
        signal: ac.signal,
        stdin: 'pipe',
        stdout: 'pipe',
        stderr: 'pipe',
      });
      proc.stdin?.write('unused');
      ac.abort();
      expect(await outcome(proc.wait())).toBe('aborted');
    });
  });

  it('after an abort before the process is attached (during the request or the websocket connects)', async () => {
    await expectNoLeak(async (client) => {
      const ac = new AbortController();
      const pending = client.exec(['sleep', '30'], { signal: ac.signal });
      setImmediate(() => ac.abort());
      const result = await outcome(pending.then((p) => p.wait()));
      expect(result).toBe('aborted');
    });
  });

  it('after a refused command', async () => {
    await expectNoLeak(async (client) => {
      expect(await outcome(client.exec(['no-such-command-xyz']))).toBe('api');
    });
  });

  it('after a websocket that cannot connect (already connected by someone else)', async () => {
    await expectNoLeak(async (client) => {
      const proc = await client.exec(['sleep', '30'], { timeout: 5_000 });
      const { connectWebSocket } = await import('./websocket.js');
      const err = await connectWebSocket(daemon.socketPath, `/v1/tasks/${proc.taskId}/websocket/stdio`, {
        timeout: 2000,
      }).then(
        () => 'connected',
        (e: unknown) => (isPebbleError(e) ? `${e.code} ${(e as { statusCode?: number }).statusCode}` : String(e)),
      );
      expect(err).toBe('api 500');
      await proc.sendSignal('SIGKILL');
      expect(await outcome(proc.wait())).toBe('exec-failed');
    });
  });
});
