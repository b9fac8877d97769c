import { describe, expect, it } from 'vitest';
import { decideEmptyStart, type PeerHolding } from './empty-guard.js';

const spec = { dataDir: '/var/lib/redis', via: 'sentinel' as const };
const peer = (unit: string, keys: number | null): PeerHolding => ({ unit, keys, role: keys === null ? null : 'slave' });

describe('decideEmptyStart', () => {
  it('starts a server that is running already or has persistence files', () => {
    expect(decideEmptyStart({ running: true, dataFiles: 0, peers: [peer('redis-k8s/1', 9)] }, spec)).toEqual({
      start: true,
    });
    expect(decideEmptyStart({ running: false, dataFiles: 2, peers: [peer('redis-k8s/1', 9)] }, spec)).toEqual({
      start: true,
    });
  });

  it('starts an empty primary when no other unit holds a key (first deploy) or none answers', () => {
    expect(
      decideEmptyStart(
        { running: false, dataFiles: 0, peers: [peer('redis-k8s/1', 0), peer('redis-k8s/2', null)] },
        spec,
      ),
    ).toEqual({ start: true });
  });

  it('holds an empty primary while a unit holds keys, naming the largest holder; waiting with sentinel', () => {
    const d = decideEmptyStart(
      { running: false, dataFiles: 0, peers: [peer('redis-k8s/1', 5), peer('redis-k8s/2', 70)] },
      spec,
    );
    expect(d).toEqual({
      start: false,
      status: {
        status: 'waiting',
        message:
          'not starting an empty primary: /var/lib/redis holds no RDB or AOF while redis-k8s/2 holds 70 keys; waiting for sentinel to promote a replica',
      },
    });
  });

  it('blocks without sentinel and says what the operator can do', () => {
    const d = decideEmptyStart(
      { running: false, dataFiles: 0, peers: [peer('redis-k8s/1', 5)] },
      { ...spec, via: 'charm' },
    );
    expect(d.start).toBe(false);
    if (!d.start) {
      expect(d.status.status).toBe('blocked');
      expect(d.status.message).toMatch(/restore this unit's storage, or remove the unit/);
    }
  });
});
