import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { quoteArg } from '../sentinel-conf.js';
import { until } from './redis-processes.js';

/** One real sentinel (`redis-server <conf> --sentinel`) on `host:26379`. */
export interface SentinelProcess {
  host: string;
  child: ChildProcess;
  client(): Redis;
  stop(): Promise<void>;
}

/** Starts a sentinel monitoring `master` as `name` (quorum 2), passwords in its config file only. */
export async function startSentinel(
  dir: string,
  host: string,
  master: { name: string; host: string; port: number },
  passwords: { redis: string; sentinel: string },
  timing: { downAfterMs: number; failoverTimeoutMs: number },
): Promise<SentinelProcess> {
  const work = join(dir, `sentinel-${host}`);
  await mkdir(work, { recursive: true });
  const conf = join(work, 'sentinel.conf');
  const lines = [
    `bind ${host}`,
    'port 26379',
    'daemonize no',
    `dir ${quoteArg(work)}`,
    `sentinel announce-ip ${host}`,
    `requirepass ${quoteArg(passwords.sentinel)}`,
    `sentinel monitor ${master.name} ${master.host} ${master.port} 2`,
    `sentinel auth-pass ${master.name} ${quoteArg(passwords.redis)}`,
    `sentinel down-after-milliseconds ${master.name} ${timing.downAfterMs}`,
    `sentinel failover-timeout ${master.name} ${timing.failoverTimeoutMs}`,
  ];
  await writeFile(conf, `${lines.join('\n')}\n`, { mode: 0o600 });
  const child = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
  const sentinel: SentinelProcess = {
    host,
    child,
    client: () => {
      const c = new Redis({
        host,
        port: 26379,
        password: passwords.sentinel,
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        protocol: 2,
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
    `sentinel on ${host} to answer PING`,
    async () => {
      const c = sentinel.client();
      try {
        await c.connect();
        return (await c.ping()) === 'PONG' ? true : undefined;
      } finally {
        c.disconnect();
      }
    },
    10_000,
  );
  return sentinel;
}
