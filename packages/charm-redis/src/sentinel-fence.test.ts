import { describe, expect, it } from 'vitest';
import { decideFence, FENCE_MIN_REPLICAS, fencedConf, type SentinelView } from './sentinel-fence.js';

const SELF = '127.1.0.3';
const names = (sentinel: string, over: Partial<Extract<SentinelView, { kind: 'names' }>> = {}): SentinelView => ({
  sentinel,
  kind: 'names',
  address: SELF,
  flags: ['master'],
  lastOkPingMs: 300,
  ...over,
});

describe('decideFence', () => {
  it('lifts once a majority names this server with nothing pending', () => {
    expect(decideFence(SELF, 3, [names('s0'), names('s1'), { sentinel: 's2', kind: 'no-answer', error: 'x' }])).toEqual(
      {
        lift: true,
      },
    );
  });

  it('holds while any sentinel names another primary, flags trouble or has no fresh reply', () => {
    expect(decideFence(SELF, 3, [names('s0'), names('s1', { address: '127.1.0.4' }), names('s2')])).toEqual({
      lift: false,
      reason: 'sentinel at s1 names 127.1.0.4 the primary',
    });
    expect(decideFence(SELF, 3, [names('s0', { flags: ['master', 'failover_in_progress'] }), names('s1')])).toEqual({
      lift: false,
      reason: 'sentinel at s0 flags it failover_in_progress',
    });
    expect(decideFence(SELF, 3, [names('s0', { flags: ['master', 'o_down', 's_down'] })]).lift).toBe(false);
    expect(decideFence(SELF, 3, [names('s0', { lastOkPingMs: 4000 }), names('s1')])).toEqual({
      lift: false,
      reason: 'sentinel at s0 has not heard from it since it started',
    });
  });

  it('holds without a majority answering; sentinels not monitoring it count as answers', () => {
    expect(decideFence(SELF, 3, [names('s0'), { sentinel: 's1', kind: 'no-answer', error: 'refused' }])).toEqual({
      lift: false,
      reason: 'only 1 of 3 sentinels answer (2 needed)',
    });
    expect(
      decideFence(SELF, 3, [
        { sentinel: 's0', kind: 'not-monitoring' },
        { sentinel: 's1', kind: 'not-monitoring' },
      ]),
    ).toEqual({ lift: true });
  });

  it('fences by replacing only min-replicas-to-write', () => {
    const conf = [
      { key: 'appendonly', value: 'yes', kind: 'live' as const },
      { key: 'min-replicas-to-write', value: '1', kind: 'live' as const },
    ];
    expect(fencedConf(conf)).toEqual([conf[0], { ...conf[1], value: String(FENCE_MIN_REPLICAS) }]);
    expect(conf[1]?.value).toBe('1');
  });
});
