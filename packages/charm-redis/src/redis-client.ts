import { classifyRedisFailure, openRedis } from '@charms/charm-sdk/redis';
import type { Redis } from 'ioredis';
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

/** The real connector: one ioredis client per session (the sdk's hook-style connection). */
export const ioredisConnector: RedisConnector = async (endpoint, options = {}) => {
  const where = `${endpoint.host}:${endpoint.port}`;
  let client: Redis;
  try {
    client = await openRedis({ ...endpoint, timeoutMs: options.timeoutMs });
  } catch (e) {
    const details = { host: endpoint.host, port: endpoint.port };
    throw classifyRedisFailure(e) === 'auth'
      ? new RedisCharmError(
          'redis-auth-failed',
          `cannot authenticate to redis-server at ${where}: it refused the admin password from the secret`,
          details,
        )
      : new RedisCharmError('redis-unreachable', `cannot connect to redis-server at ${where}: ${why(e)}`, details);
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
