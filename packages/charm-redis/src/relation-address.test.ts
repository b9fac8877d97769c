import { describe, expect, it } from 'vitest';
import { addressProblem, endpoint, quoted, validAddress } from './relation-address.js';

describe('relation addresses', () => {
  it('keeps IP literals and host names', () => {
    for (const a of ['127.1.0.2', '::1', 'fe80::1', 'redis-k8s-0.redis-k8s-endpoints.sim.svc.cluster.local'])
      expect(validAddress(a)).toBe(a);
  });

  it('refuses newlines, spaces, quotes, ports, JSON, empty, null and over-long values', () => {
    for (const a of ['not an ip', '127.0.0.1\nslaveof 127.0.0.1 1', '"x"', '127.0.0.1:6379', '["127.0.0.1"', ''])
      expect(validAddress(a)).toBeNull();
    expect(validAddress(null)).toBeNull();
    expect(validAddress(undefined)).toBeNull();
    expect(validAddress(`${'a'.repeat(63)}.`.repeat(5))).toBeNull();
    expect(validAddress('A'.repeat(1 << 20))).toBeNull();
  });

  it('names the problem with the value shortened', () => {
    expect(addressProblem('127.1.0.2')).toBe('');
    expect(addressProblem('x\ny')).toBe('"x\\ny" must be an IP address or a host name');
    expect(addressProblem('A'.repeat(1 << 20))).toBe(
      `"${'A'.repeat(64)}"... (1048576 chars) must be at most 253 characters`,
    );
    expect(quoted('a"b')).toBe('"a\\"b"');
  });

  it('builds host:port only from a usable host and port', () => {
    expect(endpoint('127.2.0.1', 26379)).toBe('127.2.0.1:26379');
    expect(endpoint('127.2.0.1', 0)).toBeNull();
    expect(endpoint('127.2.0.1', 70000)).toBeNull();
    expect(endpoint('127.2.0.1 x', 26379)).toBeNull();
  });
});
