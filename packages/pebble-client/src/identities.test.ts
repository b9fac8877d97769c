import { describe, expect, test } from 'vitest';
import { usePebbleDaemon } from './testing-fixtures/use-pebble-daemon.js';

// sha512-crypt of "test" (openssl passwd -6 -salt abcdefgh test): a hash, not a secret.
const HASH = '$6$abcdefgh$3rj1vTLX64btReFsM4MQ22otcD40l7vbtw7qCyr0dxc4kxNmgx53xVM8gWiLYbCqTHTbXFaVFU7ZT28pnvdyu0';

describe('identities on a real Pebble', () => {
  const pebble = usePebbleDaemon();

  test('add, get (secrets masked), update, replace (null removes) and remove', async () => {
    expect(await pebble.client.getIdentities()).toEqual({});
    await pebble.client.addIdentities({
      alice: { access: 'read', local: { userId: 1000 } },
      scraper: { access: 'metrics', basic: { password: HASH } },
    });
    expect(await pebble.client.getIdentities()).toEqual({
      alice: { access: 'read', local: { userId: 1000 } },
      scraper: { access: 'metrics', basic: { password: '*****' } },
    });
    await pebble.client.updateIdentities({ alice: { access: 'admin', local: { userId: 1000 } } });
    expect((await pebble.client.getIdentities())['alice']?.access).toBe('admin');
    await pebble.client.replaceIdentities({ alice: null, bob: { access: 'read', local: { userId: 1001 } } });
    expect(Object.keys(await pebble.client.getIdentities()).sort()).toEqual(['bob', 'scraper']);
    await pebble.client.removeIdentities(['bob', 'scraper']);
    expect(await pebble.client.getIdentities()).toEqual({});
  });

  test('failure paths are 400 APIErrors: adding an existing name, updating or removing a missing one, no user id', async () => {
    await pebble.client.addIdentities({ carol: { access: 'read', local: { userId: 1002 } } });
    await expect(
      pebble.client.addIdentities({ carol: { access: 'read', local: { userId: 1002 } } }),
    ).rejects.toMatchObject({ code: 'api', statusCode: 400 });
    await expect(
      pebble.client.updateIdentities({ nobody: { access: 'read', local: { userId: 5 } } }),
    ).rejects.toMatchObject({ code: 'api', statusCode: 400 });
    await expect(pebble.client.removeIdentities(['nobody'])).rejects.toMatchObject({ code: 'api', statusCode: 400 });
    await expect(
      pebble.client.addIdentities({ dave: { access: 'bogus', local: { userId: 7 } } }),
    ).rejects.toMatchObject({ code: 'api', statusCode: 400 });
  });
});
