import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyRedisFailure, openRedis } from './connect.js';

const available = existsSync('/usr/bin/redis-server');
const PASSWORD = 'p "w" #1';

describe('classifyRedisFailure', () => {
  it('tells a refused password, no connection and a failed command apart', () => {
    expect(classifyRedisFailure(new Error('WRONGPASS invalid username-password pair'))).toBe('auth');
    expect(classifyRedisFailure(new Error('NOAUTH Authentication required.'))).toBe('auth');
    expect(classifyRedisFailure(new Error('connect ECONNREFUSED 127.0.0.1:6379'))).toBe('unreachable');
    expect(classifyRedisFailure(new Error('Command timed out'))).toBe('unreachable');
    expect(classifyRedisFailure(new Error("ERR unknown command 'NOPE'"))).toBe('command');
    expect(classifyRedisFailure('READONLY You can not write against a read only replica.')).toBe('command');
  });
});

describe.skipIf(!available)('openRedis against a real redis-server', () => {
  const host = `127.${100 + Math.floor(Math.random() * 100)}.${Math.floor(Math.random() * 250) + 1}.9`;
  let dir: string;
  let server: ChildProcess;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sdk-redis-'));
    const conf = join(dir, 'redis.conf');
    // the password lives in the config file, never in argv
    await writeFile(conf, `bind ${host}\nport 6379\nsave ""\nappendonly no\nrequirepass "p \\"w\\" #1"\n`);
    server = spawn('redis-server', [conf], { cwd: dir, stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const c = await openRedis({ host, port: 6379, password: PASSWORD, timeoutMs: 500 }).catch(() => undefined);
      if (c !== undefined) {
        c.disconnect();
        break;
      }
      if (Date.now() > deadline) throw new Error(`redis-server on ${host} did not answer in 10 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(async () => {
    server?.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('connects with the password and a client name; commands run', async () => {
    const c = await openRedis({ host, port: 6379, password: PASSWORD, connectionName: 'sdk-test' });
    try {
      expect(await c.call('PING')).toBe('PONG');
      expect(await c.call('CLIENT', 'GETNAME')).toBe('sdk-test');
    } finally {
      c.disconnect();
    }
  });

  it('rejects a wrong password as auth and a closed port as unreachable, leaving no connection open', async () => {
    const wrong = await openRedis({ host, port: 6379, password: 'nope' }).catch((e: unknown) => e);
    expect(classifyRedisFailure(wrong)).toBe('auth');
    const closed = await openRedis({ host, port: 6380, timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(classifyRedisFailure(closed)).toBe('unreachable');
    const c = await openRedis({ host, port: 6379, password: PASSWORD });
    try {
      expect(
        String(await c.call('CLIENT', 'LIST'))
          .trim()
          .split('\n'),
      ).toHaveLength(1);
    } finally {
      c.disconnect();
    }
  });
});
