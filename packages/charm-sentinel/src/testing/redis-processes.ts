import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { quoteArg } from '../sentinel-conf.js';

/** Polls `probe` until it returns a value other than undefined; fails after `timeoutMs` naming `what`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs}ms waiting for ${what}${last === undefined ? '' : ` (last error: ${(last as Error).message})`}`,
      );
    await sleep(intervalMs);
  }
}

/** A random 127.x.y. prefix so parallel test runs on one machine never share an address. */
export function loopbackPrefix(): string {
  const r = () => Math.floor(Math.random() * 250) + 1;
  return `127.${100 + Math.floor(Math.random() * 100)}.${r()}.`;
}

/** One real redis-server bound to a loopback address, password in its config file only. */
export interface RedisProcess {
  host: string;
  port: number;
  child: ChildProcess;
  client(): Redis;
  stop(): Promise<void>;
}

/** TLS material for {@link startRedis}: file paths, and the CA's PEM for the test's own client. */
export interface RedisTls {
  cert: string;
  key: string;
  ca: string;
  caPem: string;
}

/**
 * Starts redis-server on `host:6379` (a replica of `replicaOf` when given) and waits until it answers.
 * With `tls` it serves TLS only on 6379 and replicates over TLS, as redis-k8s does with enable-tls.
 */
export async function startRedis(
  dir: string,
  host: string,
  password: string,
  replicaOf?: { host: string; port: number },
  tls?: RedisTls,
): Promise<RedisProcess> {
  const conf = join(dir, `redis-${host}.conf`);
  const lines = [
    `bind ${host}`,
    ...(tls === undefined
      ? ['port 6379']
      : [
          'port 0',
          'tls-port 6379',
          `tls-cert-file ${quoteArg(tls.cert)}`,
          `tls-key-file ${quoteArg(tls.key)}`,
          `tls-ca-cert-file ${quoteArg(tls.ca)}`,
          'tls-auth-clients optional',
          'tls-replication yes',
        ]),
    'daemonize no',
    `dir ${quoteArg(dir)}`,
    `dbfilename dump-${host}.rdb`,
    'save ""',
    'appendonly no',
    `requirepass ${quoteArg(password)}`,
    `masterauth ${quoteArg(password)}`,
    `replica-announce-ip ${host}`,
    ...(replicaOf === undefined ? [] : [`replicaof ${replicaOf.host} ${replicaOf.port}`]),
  ];
  await writeFile(conf, `${lines.join('\n')}\n`, { mode: 0o600 });
  const child = spawn('redis-server', [conf], { stdio: 'ignore' });
  const process: RedisProcess = {
    host,
    port: 6379,
    child,
    client: () => {
      const c = new Redis({
        host,
        port: 6379,
        password,
        lazyConnect: true,
        maxRetriesPerRequest: 1,
        retryStrategy: () => null,
        protocol: 2,
        ...(tls === undefined ? {} : { tls: { ca: tls.caPem, checkServerIdentity: () => undefined } }),
      });
      c.on('error', () => undefined);
      return c;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
  await until(
    `redis-server on ${host} to answer PING`,
    async () => {
      const c = process.client();
      try {
        await c.connect();
        return (await c.ping()) === 'PONG' ? true : undefined;
      } finally {
        c.disconnect();
      }
    },
    10_000,
  );
  return process;
}

/** Waits until `replica` reports its link to the master up. */
export async function waitReplicaLinked(replica: RedisProcess): Promise<void> {
  await until(
    `${replica.host} to finish syncing`,
    async () => {
      const c = replica.client();
      try {
        await c.connect();
        return /master_link_status:up/.test(await c.info('replication')) ? true : undefined;
      } finally {
        c.disconnect();
      }
    },
    15_000,
  );
}
