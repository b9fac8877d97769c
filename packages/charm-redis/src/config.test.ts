import { parseConfig } from '@charms/charm-sdk';
import { describe, expect, it } from 'vitest';
import { memoryBytes, RedisConfig } from './config.js';
import { DEFAULT_CONFIG } from './testing-fixtures/states.js';

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
});
