import { afterAll, beforeAll } from 'vitest';
import type { PebbleClient } from '../client.js';
import { type PebbleDaemon, type PebbleDaemonOptions, startPebbleDaemon } from '../testing/pebble-daemon.js';

/** A real Pebble for the enclosing describe block (or file): started before its tests, stopped after them. */
export function usePebbleDaemon(options: PebbleDaemonOptions = {}): {
  readonly daemon: PebbleDaemon;
  readonly client: PebbleClient;
} {
  let daemon: PebbleDaemon | undefined;
  let client: PebbleClient | undefined;
  beforeAll(async () => {
    daemon = await startPebbleDaemon(options);
    client = daemon.client();
  });
  afterAll(async () => {
    await daemon?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('cannot use the Pebble daemon outside a test: it starts in beforeAll');
    return value;
  };
  return {
    get daemon() {
      return started(daemon);
    },
    get client() {
      return started(client);
    },
  };
}
