import { describe, expect, it } from 'vitest';
import { unitAddress } from './unit-address.js';

describe('unitAddress', () => {
  it('prefers the published address, then ingress-address, then private-address', () => {
    const all = { address: '10.0.0.1', 'ingress-address': '10.0.0.2', 'private-address': '10.0.0.3' };
    expect(unitAddress(all)).toBe('10.0.0.1');
    expect(unitAddress({ ...all, address: '' })).toBe('10.0.0.2');
    expect(unitAddress({ 'private-address': '10.0.0.3', 'ingress-address': ' ' })).toBe('10.0.0.3');
  });

  it('is null for a bag without any address', () => {
    expect(unitAddress({})).toBeNull();
    expect(unitAddress({ 'egress-subnets': '10.0.0.0/24' })).toBeNull();
  });
});
