import type { RedisConnector, RedisEndpoint, RedisSession } from './redis-client.js';

/** What {@link rotateLive} did to a running redis-server. */
export type RotationOutcome = 'applied' | 'already-applied' | 'not-running';

async function open(connect: RedisConnector, endpoint: RedisEndpoint): Promise<RedisSession | undefined> {
  let session: RedisSession | undefined;
  try {
    session = await connect(endpoint, { timeoutMs: 3000 });
    // AUTH failures surface on the first command
    await session.command('ping');
    return session;
  } catch {
    await session?.close();
    return undefined;
  }
}

/**
 * Moves a running redis-server from `previous` to `next` (requirepass and masterauth) with CONFIG
 * SET: no restart, and connections already authenticated (replicas, sentinels, clients) stay up.
 * Reaching it with `next` means an earlier hook already did this.
 */
export async function rotateLive(
  connect: RedisConnector,
  endpoint: Omit<RedisEndpoint, 'password'>,
  previous: string,
  next: string,
): Promise<RotationOutcome> {
  const old = await open(connect, { ...endpoint, password: previous });
  if (old === undefined) {
    const fresh = await open(connect, { ...endpoint, password: next });
    await fresh?.close();
    return fresh === undefined ? 'not-running' : 'already-applied';
  }
  try {
    // masterauth first: a replica that reconnects meanwhile offers the password its primary will have
    await old.command('config', 'set', 'masterauth', next, 'requirepass', next);
    return 'applied';
  } finally {
    await old.close();
  }
}
