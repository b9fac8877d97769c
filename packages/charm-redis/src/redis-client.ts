import { Redis } from 'ioredis';
import { RedisCharmError } from './errors.js';

/** Where and how to reach one redis-server. */
export interface RedisEndpoint {
  host: string;
  port: number;
  password: string;
  /** TLS with this CA (the chain is verified; pod addresses are rarely in certificates, so names are not). */
  tls?: { ca: string } | undefined;
}

/** One open connection. */
export interface RedisSession {
  /** Runs one command; rejects with a {@link RedisCharmError} (`redis-command`). */
  command(name: string, ...args: string[]): Promise<unknown>;
  close(): Promise<void>;
}

/** The seam through which the charm talks to redis-server (tests and replay may substitute it). */
export type RedisConnector = (endpoint: RedisEndpoint, options?: { timeoutMs?: number }) => Promise<RedisSession>;

function why(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The real connector: one ioredis client per session, no reconnects, no offline queue. */
export const ioredisConnector: RedisConnector = async (endpoint, options = {}) => {
  const timeout = options.timeoutMs ?? 3000;
  const where = `${endpoint.host}:${endpoint.port}`;
  const client = new Redis({
    host: endpoint.host,
    port: endpoint.port,
    password: endpoint.password,
    ...(endpoint.tls === undefined ? {} : { tls: { ca: endpoint.tls.ca, checkServerIdentity: () => undefined } }),
    protocol: 2,
    lazyConnect: true,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeout,
    commandTimeout: timeout,
  });
  // failures surface through connect() and command promises
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (e) {
    client.disconnect();
    throw new RedisCharmError('redis-unreachable', `cannot connect to redis-server at ${where}: ${why(e)}`, {
      host: endpoint.host,
      port: endpoint.port,
    });
  }
  return {
    async command(name, ...args) {
      try {
        return await client.call(name, ...args);
      } catch (e) {
        throw new RedisCharmError(
          'redis-command',
          `cannot run ${name.toUpperCase()} on redis-server at ${where}: ${why(e)}`,
          { host: endpoint.host, port: endpoint.port, command: name },
        );
      }
    },
    close() {
      client.disconnect();
      return Promise.resolve();
    },
  };
};
