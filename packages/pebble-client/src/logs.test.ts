import type { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PebbleClient } from './client.js';
import type { LogEntry } from './logs.js';
import { type PebbleDaemon, startPebbleDaemon } from './testing/pebble-daemon.js';
import { waitFor } from './testing-fixtures/wait-for.js';

const number = (e: LogEntry) => Number(e.message.replace('line ', ''));

describe('logs on a real Pebble', () => {
  let daemon: PebbleDaemon;
  let client: PebbleClient;
  const running = () => (client.transport.dispatcher as Agent).stats['http://localhost']?.running ?? 0;

  beforeAll(async () => {
    daemon = await startPebbleDaemon();
    client = daemon.client();
    await client.addLayer('logs', {
      services: {
        printer: {
          override: 'replace',
          command: `/bin/sh -c 'i=0; while true; do i=$((i+1)); echo line $i; sleep 0.02; done'`,
        },
        once: { override: 'replace', command: `/bin/sh -c 'echo alpha; echo beta >&2; echo gamma; exec sleep 1000'` },
      },
    });
    await client.startServices(['printer', 'once']);
  });
  afterAll(() => daemon.stop());

  test('getLogs returns parsed entries: all buffered with n=-1, the last N with n, 30 by default', async () => {
    const once = await client.getLogs({ services: ['once'], n: -1 });
    expect(once.map((e) => e.message)).toEqual(['alpha', 'beta', 'gamma']);
    expect(once[0]).toMatchObject({ service: 'once', time: expect.stringMatching(/^\d{4}-/) });

    await waitFor(
      '40 printer lines',
      async () => (await client.getLogs({ services: ['printer'], n: -1 })).length >= 40,
    );
    const five = await client.getLogs({ services: ['printer'], n: 5 });
    expect(five).toHaveLength(5);
    expect(five.map(number)).toEqual([0, 1, 2, 3, 4].map((i) => number(five[0] as LogEntry) + i));
    expect(await client.getLogs({ services: ['printer'] })).toHaveLength(30);
    const both = await client.getLogs({ n: -1 });
    expect(new Set(both.map((e) => e.service))).toEqual(new Set(['printer', 'once']));
  });

  test('followLogs streams new lines in order and closes its request when the loop breaks', async () => {
    const seen: LogEntry[] = [];
    let openWhileFollowing = 0;
    for await (const entry of client.followLogs({ services: ['printer'] })) {
      seen.push(entry);
      if (seen.length === 1) openWhileFollowing = running();
      if (seen.length === 5) break;
    }
    expect(seen.map(number)).toEqual([0, 1, 2, 3, 4].map((i) => number(seen[0] as LogEntry) + i));
    expect(openWhileFollowing).toBe(1);
    await waitFor('follow request closed', () => running() === 0);
  });

  test('followLogs with n gives the backlog first; aborting ends the loop with an aborted error and closes it', async () => {
    const controller = new AbortController();
    const seen: LogEntry[] = [];
    const loop = (async () => {
      for await (const entry of client.followLogs({ services: ['once'], n: 2, signal: controller.signal })) {
        seen.push(entry);
        if (seen.length === 2) controller.abort();
      }
    })();
    await expect(loop).rejects.toMatchObject({ code: 'aborted' });
    expect(seen.map((e) => e.message)).toEqual(['beta', 'gamma']);
    await waitFor('follow request closed', () => running() === 0);
  });

  test('bad parameters are 400 APIErrors, from getLogs and from the first step of followLogs', async () => {
    await expect(client.getLogs({ n: -5 })).rejects.toMatchObject({
      code: 'api',
      statusCode: 400,
      message: expect.stringContaining('n must be'),
    });
    await expect(client.followLogs({ n: -5 }).next()).rejects.toMatchObject({ code: 'api', statusCode: 400 });
    expect(await client.getLogs({ services: ['never-started'] })).toEqual([]);
  });
});
