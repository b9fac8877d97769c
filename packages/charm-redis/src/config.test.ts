import { parseConfig } from '@charms/charm-sdk';
import { describe, expect, it } from 'vitest';
import { effectiveMinReplicas, memoryBytes, RedisConfig } from './config.js';
import { DEFAULT_CONFIG } from './testing/states.js';

describe('config', () => {
  it('converts memory sizes the way redis-server does', () => {
    expect(memoryBytes('0')).toBe(0);
    expect(memoryBytes('100')).toBe(100);
    expect(memoryBytes('1k')).toBe(1000);
    expect(memoryBytes('1kb')).toBe(1024);
    expect(memoryBytes('256MB')).toBe(256 * 1024 * 1024);
    expect(memoryBytes('2g')).toBe(2e9);
    expect(() => memoryBytes('lots')).toThrow(RangeError);
  });

  it('names the option and the accepted values of a bad setting', () => {
    const bad = parseConfig(RedisConfig, { ...DEFAULT_CONFIG, maxmemory: '12 parsecs' });
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.problems[0]).toEqual({
        option: 'maxmemory',
        message: 'must be a size such as 0 (no limit), 268435456, 256mb or 2gb (got "12 parsecs")',
      });
    const policy = parseConfig(RedisConfig, { ...DEFAULT_CONFIG, 'maxmemory-policy': 'lru' });
    expect(policy.ok ? '' : policy.problems[0]?.message).toContain('must be one of noeviction, allkeys-lru');
  });

  it('refuses every bad persistence and min-replicas value with the option named', () => {
    const problem = (option: string, value: unknown) => {
      const r = parseConfig(RedisConfig, { ...DEFAULT_CONFIG, [option]: value });
      return r.ok ? undefined : r.problems[0];
    };
    const pairs = 'must be pairs of "<seconds> <changes>" separated by spaces';
    expect(problem('appendonly', 'yes')?.message).toMatch(/^must be true or false/);
    expect(problem('appendfsync', 'sometimes')?.message).toBe('must be one of always, everysec, no (got "sometimes")');
    for (const save of [
      '60',
      '60 1 300',
      '0 1',
      'sixty 1',
      '60 1\nreplicaof 10.0.0.1 6379',
      '60 1 # x',
      '"60 1"',
      '-1 5',
    ])
      expect([save, problem('save', save)?.message.slice(0, pairs.length)]).toEqual([save, pairs]);
    expect(problem('min-replicas-to-write', -1)).toMatchObject({
      option: 'min-replicas-to-write',
      message: expect.stringMatching(/^must be a whole number of replicas from 0 to 100/),
    });
    expect(problem('min-replicas-to-write', 1.5)?.option).toBe('min-replicas-to-write');
    expect(problem('min-replicas-to-write', '1')?.option).toBe('min-replicas-to-write');
    expect(problem('min-replicas-max-lag', 0)?.message).toMatch(/^must be a whole number of seconds from 1 to 3600/);
    expect(problem('min-replicas-max-lag', 3601)?.option).toBe('min-replicas-max-lag');
  });

  it('normalises save and defaults options an older event log never recorded', () => {
    const r = parseConfig(RedisConfig, { ...DEFAULT_CONFIG, save: '  3600 1\t300  100 ' });
    expect(r.ok && r.config.save).toBe('3600 1 300 100');
    const empty = parseConfig(RedisConfig, { ...DEFAULT_CONFIG, save: '' });
    expect(empty.ok && empty.config.save).toBe('');
    const old = parseConfig(RedisConfig, {
      'enable-tls': false,
      maxmemory: '0',
      'maxmemory-policy': 'noeviction',
      loglevel: 'notice',
    });
    expect(old.ok && old.config).toMatchObject({
      appendonly: true,
      appendfsync: 'everysec',
      save: '3600 1 300 100 60 10000',
      'min-replicas-to-write': 0,
      'min-replicas-max-lag': 10,
    });
  });

  it('relaxes min-replicas-to-write below 3 units and to the replicas there are', () => {
    const parsed = parseConfig(RedisConfig, {
      ...DEFAULT_CONFIG,
      'min-replicas-to-write': 3,
      'min-replicas-max-lag': 7,
    });
    if (!parsed.ok) throw new Error('config should parse');
    expect(effectiveMinReplicas(parsed.config, 1)).toEqual({
      toWrite: 0,
      maxLag: 7,
      relaxed: 'min-replicas-to-write 3 relaxed to 0 below 3 units (1 now)',
    });
    expect(effectiveMinReplicas(parsed.config, 3)).toEqual({
      toWrite: 2,
      maxLag: 7,
      relaxed: 'min-replicas-to-write 3 relaxed to 2: only 2 replicas',
    });
    expect(effectiveMinReplicas(parsed.config, 4)).toEqual({ toWrite: 3, maxLag: 7, relaxed: null });
    expect(effectiveMinReplicas({ ...parsed.config, 'min-replicas-to-write': 0 }, 1).relaxed).toBeNull();
  });
});
