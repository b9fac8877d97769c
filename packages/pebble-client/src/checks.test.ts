import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PebbleClient } from './client.js';
import { type PebbleDaemon, startPebbleDaemon } from './testing/pebble-daemon.js';
import { waitFor } from './testing-fixtures/wait-for.js';

describe('checks and health on a real Pebble', () => {
  let daemon: PebbleDaemon;
  let client: PebbleClient;
  let http: Server;
  let httpUp = true;
  let dir: string;
  let closedPort: number;

  beforeAll(async () => {
    http = createServer((_req, res) => {
      res.writeHead(httpUp ? 200 : 500);
      res.end(httpUp ? 'ok' : 'down');
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const port = (http.address() as AddressInfo).port;
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    dir = await mkdtemp(join(tmpdir(), 'pebble-core-checks-'));
    await writeFile(join(dir, 'flag'), '');

    daemon = await startPebbleDaemon();
    client = daemon.client();
    const fast = { period: '150ms', threshold: 1 };
    await client.addLayer('checks', {
      checks: {
        web: { override: 'replace', level: 'alive', ...fast, http: { url: `http://127.0.0.1:${port}/health` } },
        port: { override: 'replace', level: 'ready', ...fast, tcp: { port, host: '127.0.0.1' } },
        closed: { override: 'replace', startup: 'disabled', ...fast, tcp: { port: closedPort, host: '127.0.0.1' } },
        file: { override: 'replace', ...fast, exec: { command: `test -f ${join(dir, 'flag')}` } },
        later: { override: 'replace', startup: 'disabled', period: '10s', exec: { command: 'true' } },
      },
    });
    await client.replanServices();
  });

  afterAll(async () => {
    await daemon.stop();
    await new Promise((resolve) => http.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const status = async (name: string) => (await client.getChecks({ names: [name] }))[0]?.status;

  test('http, tcp and exec checks come up; getChecks is sorted and typed; level filters exactly', async () => {
    await waitFor('checks up', async () =>
      (await client.getChecks({ names: ['web', 'port', 'file'] })).every(
        (c) => c.status === 'up' && (c.successes ?? 0) > 0,
      ),
    );
    const all = await client.getChecks();
    expect(all.map((c) => c.name)).toEqual(['closed', 'file', 'later', 'port', 'web']);
    expect(all.find((c) => c.name === 'web')).toMatchObject({
      level: 'alive',
      startup: 'enabled',
      status: 'up',
      failures: 0,
      threshold: 1,
      changeId: expect.any(String),
    });
    expect(all.find((c) => c.name === 'later')).toMatchObject({
      status: 'inactive',
      startup: 'disabled',
      changeId: undefined,
    });
    expect((await client.getChecks({ level: 'ready' })).map((c) => c.name)).toEqual(['port']);
    expect(await client.getHealth()).toBe(true);
  });

  test('http down -> check down, health false (HTTP 502 is not thrown), level and names scope health', async () => {
    httpUp = false;
    try {
      await waitFor('web down', async () => (await status('web')) === 'down');
      expect(await client.getHealth()).toBe(false);
      expect(await client.getHealth({ level: 'alive' })).toBe(false);
      expect(await client.getHealth({ level: 'ready' })).toBe(false);
      expect(await client.getHealth({ names: ['port', 'file'] })).toBe(true);
      const refreshed = await client.refreshCheck('web');
      expect(refreshed.info).toMatchObject({ name: 'web', status: 'down' });
      expect(refreshed.error).toContain('500');
    } finally {
      httpUp = true;
    }
    await waitFor('web up again', async () => (await status('web')) === 'up');
    expect(await client.getHealth()).toBe(true);
  });

  test('exec check goes down when its command fails; refreshCheck runs it now', async () => {
    await rm(join(dir, 'flag'));
    const refreshed = await client.refreshCheck('file');
    expect(refreshed.error).toMatch(/exit status 1/);
    await waitFor('file down', async () => (await status('file')) === 'down');
    await writeFile(join(dir, 'flag'), '');
    expect((await client.refreshCheck('file')).error).toBeUndefined();
    await waitFor('file up', async () => (await status('file')) === 'up');
  });

  test('a tcp check on a closed port goes down once started; start/stop report only changed checks', async () => {
    expect(await status('closed')).toBe('inactive');
    expect(await client.startChecks(['closed', 'web'])).toEqual(['closed']);
    await waitFor('closed down', async () => (await status('closed')) === 'down');
    expect(await client.startChecks(['closed'])).toEqual([]);
    expect(await client.stopChecks(['closed'])).toEqual(['closed']);
    expect(await status('closed')).toBe('inactive');
    expect(await client.stopChecks(['closed'])).toEqual([]);
  });

  test('failure paths: unknown or no check names, unknown refresh, bad levels', async () => {
    await expect(client.startChecks(['ghost'])).rejects.toMatchObject({ code: 'api', statusCode: 400 });
    await expect(client.stopChecks([])).rejects.toMatchObject({ code: 'api', statusCode: 400 });
    await expect(client.refreshCheck('ghost')).rejects.toMatchObject({ code: 'api', statusCode: 404 });
    await expect(client.getChecks({ level: 'bogus' as never })).rejects.toMatchObject({ code: 'api', statusCode: 400 });
    await expect(client.getHealth({ level: 'bogus' as never })).rejects.toMatchObject({ code: 'api', statusCode: 400 });
  });
});
