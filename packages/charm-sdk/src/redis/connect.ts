import type { Redis } from 'ioredis';

/** Where and how a hook reaches one redis-server or sentinel. */
export interface RedisTarget {
  host: string;
  port: number;
  /** Sent on the socket only (AUTH), never in arguments or logs. */
  password?: string | undefined;
  /** TLS with this CA: the chain is verified, names are not (pod addresses are rarely in certificates). */
  tls?: { ca: string } | undefined;
  /** CLIENT SETNAME, so CLIENT LIST shows who is connected. */
  connectionName?: string | undefined;
  /** Connect and per-command timeout (default 3000 ms). */
  timeoutMs?: number | undefined;
}

/** Why a call to redis failed, for the caller's own error family. */
export type RedisFailureKind = 'auth' | 'unreachable' | 'command';

const AUTH = /WRONGPASS|NOAUTH|invalid password|invalid username-password/i;
const UNREACHABLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|EADDRNOTAVAIL|connect|Connection is closed|Stream isn't writeable|timed out/i;

/** Classifies an ioredis or socket error (pure): a refused password, no connection, or a failed command. */
export function classifyRedisFailure(e: unknown): RedisFailureKind {
  const message = e instanceof Error ? e.message : String(e);
  if (AUTH.test(message)) return 'auth';
  if (UNREACHABLE.test(message)) return 'unreachable';
  return 'command';
}

/**
 * Opens one ioredis connection the way a hook wants it: RESP2, no reconnects, no offline queue, no
 * retries, bounded by the timeout. Rejects with ioredis' error (the connection closed) when it
 * cannot connect or authenticate: classify it with {@link classifyRedisFailure}. ioredis is loaded
 * on first use, so hooks that never talk to redis do not pay for it.
 */
export async function openRedis(target: RedisTarget): Promise<Redis> {
  const timeout = target.timeoutMs ?? 3000;
  const { Redis } = await import('ioredis');
  const client = new Redis({
    host: target.host,
    port: target.port,
    ...(target.password === undefined ? {} : { password: target.password }),
    ...(target.connectionName === undefined ? {} : { connectionName: target.connectionName }),
    ...(target.tls === undefined ? {} : { tls: { ca: target.tls.ca, checkServerIdentity: () => undefined } }),
    protocol: 2,
    lazyConnect: true,
    connectTimeout: timeout,
    commandTimeout: timeout,
    enableReadyCheck: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // failures surface through connect() and the command promises; a refused AUTH only as an event
  let refused: Error | undefined;
  client.on('error', (e: Error) => {
    if (AUTH.test(e.message)) refused = e;
  });
  try {
    await client.connect();
  } catch (e) {
    client.disconnect();
    // connect() itself rejects with "Connection is closed." when the password was refused
    throw refused ?? e;
  }
  return client;
}
