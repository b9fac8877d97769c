import { describe, expect, it } from 'vitest';
import { decideFence, FENCE_MIN_REPLICAS, fenceElectorate, fencedConf, type SentinelView } from './sentinel-fence.js';

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

  it('says the wait is over (superseded) once a majority names another primary, not before', () => {
    const other = { address: '127.1.0.4' };
    expect(decideFence(SELF, 3, [names('s0', other), names('s1', other), names('s2')])).toEqual({
      lift: false,
      reason: '2 of 3 sentinels name 127.1.0.4 the primary',
      superseded: true,
    });
    expect(decideFence(SELF, 3, [names('s0', other), names('s1')])).not.toHaveProperty('superseded');
    expect(decideFence(SELF, 5, [names('s0', other), names('s1', other), names('s2')])).not.toHaveProperty(
      'superseded',
    );
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

describe('fenceElectorate', () => {
  const real = [1, 1, 1].map((relationId, i) => ({ relationId, address: `127.2.0.${i + 1}` }));
  const hostile = [9, 9, 9].map((relationId, i) => ({ relationId, address: `127.3.0.${i + 1}` }));
  const silent = (sentinel: string): SentinelView => ({ sentinel, kind: 'no-answer', error: 'refused' });

  it('leaves out a related app none of whose units monitors this master (a hostile app cannot hold the fence)', () => {
    const views = [names('s0'), names('s1'), names('s2'), silent('h0'), silent('h1'), silent('h2')];
    // counted naively: 3 of 6 answer, 4 needed, so a returning primary would stay fenced
    expect(decideFence(SELF, 6, views).lift).toBe(false);
    const e = fenceElectorate([...real, ...hostile], views);
    expect(e).toEqual({ total: 3, views: views.slice(0, 3), ignored: [9] });
    expect(decideFence(SELF, e.total, e.views)).toEqual({ lift: true });
  });

  it("keeps a monitoring app's silent units in the total (a down sentinel still votes)", () => {
    const views = [names('s0'), silent('s1'), silent('s2'), silent('h0'), silent('h1'), silent('h2')];
    const e = fenceElectorate([...real, ...hostile], views);
    expect(e.total).toBe(3);
    expect(decideFence(SELF, e.total, e.views)).toEqual({
      lift: false,
      reason: 'only 1 of 3 sentinels answer (2 needed)',
    });
  });

  it('counts every unit while no relation monitors this master (nothing confirms)', () => {
    const views = real.map((_, i) => silent(`s${i}`));
    expect(fenceElectorate(real, views)).toEqual({ total: 3, views, ignored: [] });
  });
});
