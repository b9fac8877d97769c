import { spawn } from 'node:child_process';
import { access, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { until } from '../testing/index.js';
import { redisServerCommand, redisServerCommandAfter } from './server-command.js';

describe('redisServerCommand', () => {
  it('wraps redis-server in sh with umask 077 and execs it (signals reach redis-server)', () => {
    expect(redisServerCommand('/etc/redis/redis.conf')).toBe(
      "/bin/sh -c 'umask 077 && exec redis-server /etc/redis/redis.conf'",
    );
    expect(redisServerCommand('/etc/s.conf', '--sentinel')).toContain('redis-server /etc/s.conf --sentinel');
  });

  it('runs shell commands before redis-server in the same shell, and refuses a quote in them', () => {
    expect(redisServerCommandAfter('echo hi >&2;', '/etc/r.conf', '--port', '7')).toBe(
      "/bin/sh -c 'umask 077 && echo hi >&2; exec redis-server /etc/r.conf --port 7'",
    );
    expect(() => redisServerCommandAfter("echo 'x'", '/etc/r.conf')).toThrow(/holds a quote/);
  });

  it('refuses an argument that would need quoting', () => {
    expect(() => redisServerCommand("/etc/x'; rm -rf /")).toThrow(/needs quoting/);
    expect(() => redisServerCommand('/etc/a b.conf')).toThrow(/needs quoting/);
  });

  it('a real redis-server started by it keeps its config 0600 across CONFIG REWRITE', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'redis-umask-'));
    const conf = join(dir, 'redis.conf');
    const sock = join(dir, 'redis.sock');
    await writeFile(conf, `port 0\nunixsocket ${sock}\nrequirepass s3cret-s3cret-s3cret\ndir ${dir}\n`, {
      mode: 0o600,
    });
    // as Pebble does: the command split shell-style, so sh gets the quoted part as one argument
    const inner = redisServerCommand(conf).slice("/bin/sh -c '".length, -1);
    const child = spawn('/bin/sh', ['-c', inner], { stdio: 'ignore' });
    const redis = new Redis({ path: sock, password: 's3cret-s3cret-s3cret', lazyConnect: true });
    try {
      await until(
        'redis-server on its socket',
        () =>
          access(sock).then(
            () => true,
            () => undefined,
          ),
        10_000,
        50,
      );
      await redis.connect();
      expect(await redis.call('CONFIG', 'REWRITE')).toBe('OK');
      expect((await stat(conf)).mode & 0o777).toBe(0o600);
    } finally {
      redis.disconnect();
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
