import { describe, expect, test } from 'vitest';
import { SHORT_CONNECTIONS } from './transport.js';
import { usePebbleDaemon } from './testing-fixtures/use-pebble-daemon.js';

describe('connections on a real Pebble', () => {
  const pebble = usePebbleDaemon();

  test('more long-polls than short-call connections do not hold up short calls', async () => {
    const stop = new AbortController();
    let settled = 0;
    const polls = Array.from({ length: SHORT_CONNECTIONS + 2 }, (_, i) =>
      pebble.client
        .waitNotices({ keys: [`example.com/never/${i}`], timeout: 60_000, signal: stop.signal })
        .catch((err: unknown) => err)
        .finally(() => settled++),
    );
    try {
      // every poll is parked in Pebble; short calls still get a connection
      const infos = await Promise.all(
        Array.from({ length: 2 * SHORT_CONNECTIONS }, () => pebble.client.getSystemInfo()),
      );
      expect(infos).toHaveLength(2 * SHORT_CONNECTIONS);
      expect(settled).toBe(0);
    } finally {
      stop.abort();
    }
    const outcomes = await Promise.all(polls);
    expect(outcomes.every((o) => o instanceof Error && 'code' in o && o.code === 'aborted')).toBe(true);
  });

  test('64 concurrent callers share the client and each gets its own answer', async () => {
    const names = await Promise.all(
      Array.from({ length: 64 }, async (_, i) => {
        const id = await pebble.client.notify('custom', `example.com/concurrent/${i}`);
        return (await pebble.client.getNotice(id)).key;
      }),
    );
    expect(names).toEqual(Array.from({ length: 64 }, (_, i) => `example.com/concurrent/${i}`));
  });
});
