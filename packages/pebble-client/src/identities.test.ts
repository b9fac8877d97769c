import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PebbleClient } from './client.js';
import { type PebbleDaemon, startPebbleDaemon } from './testing/pebble-daemon.js';

// sha512-crypt of "test" (openssl passwd -6 -salt abcdefgh test): a hash, not a secret.
const HASH = '$6$abcdefgh$3rj1vTLX64btReFsM4MQ22otcD40l7vbtw7qCyr0dxc4kxNmgx53xVM8gWiLYbCqTHTbXFaVFU7ZT28pnvdyu0';

describe('identities on a real Pebble', () => {
  let daemon: PebbleDaemon;
  let client: PebbleClient;
  beforeAll(async () => {
    daemon = await startPebbleDaemon();
    client = daemon.client();
  });
  afterAll(() => daemon.stop());

  test('add, get (secrets masked), update, replace (null removes) and remove', async () => {
    expect(await client.getIdentities()).toEqual({});
    await client.addIdentities({ alice: { access: 'read', local: { userId: 1000 } }, scraper: { access: 'metrics', basic: { password: HASH } } });
    expect(await client.getIdentities()).toEqual({
      alice: { access: 'read', local: { userId: 1000 } },
      scraper: { access: 'metrics', basic: { password: '*****' } },
    });
    await client.updateIdentities({ alice: { access: 'admin', local: { userId: 1000 } } });
    expect((await client.getIdentities())['alice']?.access).toBe('admin');
    await client.replaceIdentities({ alice: null, bob: { access: 'read', local: { userId: 1001 } } });
    expect(Object.keys(await client.getIdentities()).sort()).toEqual(['bob', 'scraper']);
    await client.removeIdentities(['bob', 'scraper']);
    expect(await client.getIdentities()).toEqual({});
  });

  test('failure paths are 400 APIErrors: adding an existing name, updating or removing a missing one, no user id', async () => {
    await client.addIdentities({ carol: { access: 'read', local: { userId: 1002 } } });
    await expect(client.addIdentities({ carol: { access: 'read', local: { userId: 1002 } } })).rejects.toMatchObject({ code: 'api', statusCode: 400 });
    await expect(client.updateIdentities({ nobody: { access: 'read', local: { userId: 5 } } })).rejects.toMatchObject({ code: 'api', statusCode: 400 });
    await expect(client.removeIdentities(['nobody'])).rejects.toMatchObject({ code: 'api', statusCode: 400 });
    await expect(client.addIdentities({ dave: { access: 'bogus', local: { userId: 7 } } })).rejects.toMatchObject({ code: 'api', statusCode: 400 });
  });
});
