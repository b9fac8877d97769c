import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { defaultSocketPath, PebbleClient } from './client.js';
import { type PebbleDaemon, startPebbleDaemon } from './testing/pebble-daemon.js';

describe('PebbleClient options', () => {
  test.each([
    [{}, /cannot create PebbleClient: invalid options\.socketPath: /],
    [{ socketPath: '' }, /socketPath: must be a non-empty path/],
    [{ socketPath: '/s', timeout: -1 }, /options\.timeout: /],
    [{ socketPath: '/s', retry: { attempts: 0, minDelay: 1, maxDelay: 1 } }, /options\.retry/],
    [{ socketPath: '/s', sockPath: '/x' }, /Unrecognized key.*sockPath/],
  ])('rejects %j with one precise sentence', (options, message) => {
    expect(() => new PebbleClient(options as never)).toThrow(message);
  });

  test('defaultSocketPath follows PEBBLE_SOCKET, then PEBBLE, then the default dir', () => {
    expect(defaultSocketPath({ PEBBLE_SOCKET: '/a.sock', PEBBLE: '/p' })).toBe('/a.sock');
    expect(defaultSocketPath({ PEBBLE: '/p' })).toBe('/p/.pebble.socket');
    expect(defaultSocketPath({})).toBe('/var/lib/pebble/default/.pebble.socket');
  });
});

describe('every method against a missing socket', () => {
  const client = new PebbleClient({ socketPath: '/tmp/pebble-core-missing/.pebble.socket', retry: false });
  const calls: [string, () => Promise<unknown>][] = [
    ['getSystemInfo', () => client.getSystemInfo()],
    ['getHealth', () => client.getHealth()],
    ['getMetrics', () => client.getMetrics()],
    ['getWarnings', () => client.getWarnings()],
    ['ackWarnings', () => client.ackWarnings('2024-01-01T00:00:00Z')],
    ['getChanges', () => client.getChanges()],
    ['getChange', () => client.getChange('1')],
    ['abortChange', () => client.abortChange('1')],
    ['waitChange', () => client.waitChange('1')],
    ['addLayer', () => client.addLayer('l', 'services: {}')],
    ['getPlan', () => client.getPlan()],
    ['getServices', () => client.getServices()],
    ['startServices', () => client.startServices(['a'])],
    ['stopServices', () => client.stopServices(['a'])],
    ['restartServices', () => client.restartServices(['a'])],
    ['replanServices', () => client.replanServices()],
    ['autostartServices', () => client.autostartServices()],
    ['sendSignal', () => client.sendSignal('SIGHUP', ['a'])],
    ['getChecks', () => client.getChecks()],
    ['startChecks', () => client.startChecks(['c'])],
    ['stopChecks', () => client.stopChecks(['c'])],
    ['refreshCheck', () => client.refreshCheck('c')],
    ['notify', () => client.notify('custom', 'example.com/x')],
    ['getNotice', () => client.getNotice('1')],
    ['getNotices', () => client.getNotices()],
    ['waitNotices', () => client.waitNotices({ timeout: 1000 })],
    ['getIdentities', () => client.getIdentities()],
    ['addIdentities', () => client.addIdentities({})],
    ['updateIdentities', () => client.updateIdentities({})],
    ['replaceIdentities', () => client.replaceIdentities({})],
    ['removeIdentities', () => client.removeIdentities(['x'])],
    ['getLogs', () => client.getLogs()],
    ['followLogs', () => client.followLogs().next()],
    ['push', () => client.push('/tmp/x', 'x')],
    ['pullText', () => client.pullText('/tmp/x')],
    ['listFiles', () => client.listFiles('/tmp')],
    ['makeDir', () => client.makeDir('/tmp/x')],
    ['removePath', () => client.removePath('/tmp/x')],
    ['exec', () => client.exec(['true'])],
  ];
  afterAll(() => client.close());

  test.each(calls)('%s rejects with socket-not-found naming the socket', async (_name, call) => {
    await expect(call()).rejects.toMatchObject({
      code: 'socket-not-found',
      path: '/tmp/pebble-core-missing/.pebble.socket',
    });
  });
});

describe('system endpoints on a real Pebble', () => {
  let daemon: PebbleDaemon;
  let client: PebbleClient;
  beforeAll(async () => {
    daemon = await startPebbleDaemon({ args: ['--http', '127.0.0.1:0'] });
    client = daemon.client();
  });
  afterAll(() => daemon.stop());

  test('getSystemInfo gives version, boot id and the http address', async () => {
    const info = await client.getSystemInfo();
    expect(info.version).toMatch(/^v1\.\d+\.\d+/);
    expect(info.bootId).toMatch(/^[0-9a-f-]{36}$/);
    expect(info.httpAddress).toMatch(/^127\.0\.0\.1:/);
    expect(client.socketPath).toBe(daemon.socketPath);
  });

  test('legacy warnings endpoints answer 404 APIError on Pebble >= 1.16', async () => {
    await expect(client.getWarnings()).rejects.toMatchObject({ code: 'api', statusCode: 404 });
    await expect(client.ackWarnings(new Date())).rejects.toMatchObject({ code: 'api', statusCode: 404 });
  });

  test('getChanges with a bad select -> 400 APIError', async () => {
    await expect(client.getChanges({ select: 'bogus' as never })).rejects.toMatchObject({
      code: 'api',
      statusCode: 400,
    });
  });

  test('getMetrics returns OpenMetrics text; getHealth is true with no checks', async () => {
    await client.addLayer('m', { services: { m: { override: 'replace', command: 'sleep 1000' } } });
    await client.startServices(['m']);
    const metrics = await client.getMetrics();
    expect(metrics).toContain('pebble_service_active{service="m"} 1');
    expect(await client.getHealth()).toBe(true);
  });

  test('a closed client fails with a connection error instead of hanging', async () => {
    const other = new PebbleClient({ socketPath: daemon.socketPath });
    await other.getSystemInfo();
    await other.close();
    const started = Date.now();
    await expect(other.getSystemInfo()).rejects.toMatchObject({
      code: 'connection',
      message: expect.stringContaining('the client was closed'),
    });
    expect(Date.now() - started).toBeLessThan(100);
  });
});
