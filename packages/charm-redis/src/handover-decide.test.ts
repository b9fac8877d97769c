import { describe, expect, it } from 'vitest';
import { agreedSuccessor, caughtUp, chooseSuccessor, sentinelHosts, unfit, type Candidate } from './handover-decide.js';
import type { ReplicationView } from './replication.js';

const PRIMARY = { unit: 'redis-k8s/0', address: '127.1.0.1' };

function replica(unit: string, address: string, offset: number | null, over: Partial<ReplicationView> = {}): Candidate {
  const view: ReplicationView = {
    role: 'slave',
    masterHost: PRIMARY.address,
    masterPort: 6379,
    linkStatus: 'up',
    connectedReplicas: 0,
    replicas: [],
    masterReplOffset: offset,
    runId: 'r',
    ...over,
  };
  return { unit, address, view };
}

describe('unfit', () => {
  it('accepts a replica of this primary with the link up and an offset', () => {
    expect(unfit(replica('redis-k8s/1', '127.1.0.2', 10), PRIMARY.address)).toBeNull();
  });
  it('names why a candidate cannot take over', () => {
    expect(unfit({ unit: 'u/1', address: 'a', view: null, error: 'ECONNREFUSED' }, PRIMARY.address)).toBe(
      'unreachable (ECONNREFUSED)',
    );
    expect(unfit(replica('u/1', 'a', 1, { role: 'master' }), PRIMARY.address)).toBe('it is a master, not a replica');
    expect(unfit(replica('u/1', 'a', 1, { masterHost: '127.9.9.9' }), PRIMARY.address)).toBe(
      'it replicates 127.9.9.9, not this primary',
    );
    expect(unfit(replica('u/1', 'a', 1, { linkStatus: 'down' }), PRIMARY.address)).toBe('its replication link is down');
    expect(unfit(replica('u/1', 'a', null), PRIMARY.address)).toBe('it reports no replication offset');
  });
});

describe('chooseSuccessor', () => {
  it('picks the replica with the largest offset; the others follow it', () => {
    const a = replica('redis-k8s/1', '127.1.0.2', 100);
    const b = replica('redis-k8s/2', '127.1.0.3', 250);
    const choice = chooseSuccessor(PRIMARY, [a, b]);
    expect(choice).toMatchObject({ ok: true, target: { unit: 'redis-k8s/2', offset: 250 } });
    if (choice.ok) expect(choice.followers.map((f) => f.unit)).toEqual(['redis-k8s/1']);
  });
  it('breaks ties by unit number (10 after 2)', () => {
    const choice = chooseSuccessor(PRIMARY, [replica('redis-k8s/10', 'x', 5), replica('redis-k8s/2', 'y', 5)]);
    expect(choice).toMatchObject({ ok: true, target: { unit: 'redis-k8s/2' } });
  });
  it('never picks an unfit replica, however far ahead', () => {
    const lagging = replica('redis-k8s/1', '127.1.0.2', 10);
    const down = replica('redis-k8s/2', '127.1.0.3', 999, { linkStatus: 'down' });
    expect(chooseSuccessor(PRIMARY, [lagging, down])).toMatchObject({ ok: true, target: { unit: 'redis-k8s/1' } });
  });
  it('says why when nobody can take over', () => {
    const choice = chooseSuccessor(PRIMARY, [{ unit: 'redis-k8s/1', address: 'a', view: null, error: 'timeout' }]);
    expect(choice).toEqual({
      ok: false,
      message: 'no replica of redis-k8s/0 can take over (redis-k8s/1: unreachable (timeout))',
    });
    expect(chooseSuccessor(PRIMARY, [])).toEqual({
      ok: false,
      message: 'no replica of redis-k8s/0 can take over (it has none)',
    });
  });
});

describe('sentinelHosts', () => {
  it('finds the command connections of sentinels in CLIENT LIST, unique and sorted', () => {
    const list = [
      'id=3 addr=127.2.0.3:40112 laddr=127.1.0.1:6379 fd=9 name=sentinel-1a2b3c4d-cmd age=5 cmd=ping',
      'id=4 addr=127.2.0.1:40113 laddr=127.1.0.1:6379 fd=10 name=sentinel-99ff0011-cmd age=5 cmd=info',
      'id=5 addr=127.2.0.1:40114 laddr=127.1.0.1:6379 fd=11 name=sentinel-99ff0011-cmd age=5 cmd=info',
      'id=6 addr=127.3.0.7:50000 laddr=127.1.0.1:6379 fd=12 name= age=1 cmd=set',
      'id=7 addr=127.3.0.8:50001 laddr=127.1.0.1:6379 fd=13 name=sentinel-1a2b3c4d-pubsub age=1 cmd=subscribe',
      '',
    ].join('\r\n');
    expect(sentinelHosts(list)).toEqual(['127.2.0.1', '127.2.0.3']);
  });
  it('strips IPv6 brackets', () => {
    expect(sentinelHosts('id=1 addr=[::1]:4000 name=sentinel-ab-cmd')).toEqual(['::1']);
  });
});

describe('caughtUp', () => {
  it('holds only when every replica reached the primary offset', () => {
    expect(caughtUp(100, [100, 120])).toBe(true);
    expect(caughtUp(100, [100, 99])).toBe(false);
    expect(caughtUp(100, [null])).toBe(false);
    expect(caughtUp(null, [100])).toBe(false);
  });
});

describe('agreedSuccessor', () => {
  it('needs a majority of all sentinels naming the same other address', () => {
    expect(agreedSuccessor(['127.1.0.2', '127.1.0.2', null], 3, PRIMARY.address)).toBe('127.1.0.2');
    expect(agreedSuccessor(['127.1.0.2', null, null], 3, PRIMARY.address)).toBeNull();
    expect(agreedSuccessor(['127.1.0.2', '127.1.0.3', '127.1.0.1'], 3, PRIMARY.address)).toBeNull();
    expect(agreedSuccessor([PRIMARY.address, PRIMARY.address, PRIMARY.address], 3, PRIMARY.address)).toBeNull();
  });
});
