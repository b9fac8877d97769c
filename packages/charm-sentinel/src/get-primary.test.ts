import { describe, expect, it } from 'vitest';
import { majorityPrimary, primaryResults, type SentinelAnswer } from './get-primary.js';

const answer = (n: number, primary: string | null): SentinelAnswer => ({
  unit: `redis-sentinel-k8s/${n}`,
  address: `127.1.0.${10 + n}`,
  primary,
});

describe('majorityPrimary', () => {
  it('needs more than half of all sentinels, answering or not', () => {
    const a = '127.1.0.1:6379';
    const b = '127.1.0.2:6379';
    expect(majorityPrimary([answer(0, a), answer(1, a), answer(2, b)], 3)).toEqual({ primary: a, votes: 2, needed: 2 });
    expect(majorityPrimary([answer(0, a), answer(1, b), answer(2, null)], 3)).toEqual({
      primary: null,
      votes: 1,
      needed: 2,
    });
    // two of five answered alike: not a majority of the application
    expect(majorityPrimary([answer(0, a), answer(1, a)], 5).primary).toBeNull();
    expect(majorityPrimary([], 1)).toEqual({ primary: null, votes: 0, needed: 1 });
    expect(majorityPrimary([answer(0, a), answer(1, b)], 2).primary).toBeNull();
  });

  it('reports each view and names the primary unit', () => {
    const views = [answer(0, '127.1.0.1:6379'), { ...answer(1, null), error: 'sentinel-unreachable: refused' }];
    const r = primaryResults(views, majorityPrimary(views, 1), (host) =>
      host === '127.1.0.1' ? 'redis-k8s/0' : undefined,
    );
    expect(r).toEqual({
      primary: '127.1.0.1:6379',
      'primary-unit': 'redis-k8s/0',
      votes: '1 of 2 (majority 1)',
      sentinels: {
        '0': { unit: 'redis-sentinel-k8s/0', address: '127.1.0.10', primary: '127.1.0.1:6379' },
        '1': {
          unit: 'redis-sentinel-k8s/1',
          address: '127.1.0.11',
          primary: 'none',
          error: 'sentinel-unreachable: refused',
        },
      },
    });
  });
});
