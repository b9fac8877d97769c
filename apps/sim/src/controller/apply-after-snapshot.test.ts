import { describe, expect, it } from 'vitest';
import { deployApp } from '../model/deploy.js';
import { refreshCharm } from '../model/lifecycle.js';
import { setConfig } from '../model/config.js';
import { redisLike, Sim } from '../model/testing-fixtures/sim.js';
import { applyAfterSnapshot } from './apply-after-snapshot.js';

describe('applyAfterSnapshot', () => {
  it('keeps what changed in the model while the charm was being snapshotted (a deploy beside running hooks)', async () => {
    const sim = new Sim().apply(deployApp(new Sim().model, { charm: redisLike('first') }));
    const snapshots: number[] = [];
    await applyAfterSnapshot(
      sim,
      () => deployApp(sim.model, { charm: redisLike('second') }),
      'second',
      async (rev) => {
        snapshots.push(rev);
        // what a hook of another app commits during the await
        sim.apply(setConfig(sim.model, 'first', { port: '7000' }));
      },
    );
    expect(snapshots).toEqual([0]);
    expect(Object.keys(sim.model.apps).sort()).toEqual(['first', 'second']);
    expect(sim.model.apps['first']?.config['port']).toBe(7000);
  });

  it('snapshots again when another refresh of the app lands during the snapshot, and applies the revision snapshotted', async () => {
    const sim = new Sim().apply(deployApp(new Sim().model, { charm: redisLike() }));
    const snapshots: number[] = [];
    let raced = false;
    const change = await applyAfterSnapshot(
      sim,
      () => refreshCharm(sim.model, 'redis', redisLike()),
      'redis',
      (rev) => {
        snapshots.push(rev);
        if (!raced) {
          raced = true;
          sim.apply(refreshCharm(sim.model, 'redis', redisLike()));
        }
        return Promise.resolve();
      },
    );
    expect(snapshots).toEqual([1, 2]);
    expect(change.model.apps['redis']?.charmRevision).toBe(2);
    expect(sim.model.apps['redis']?.charmRevision).toBe(2);
  });

  it('gives up with code busy when every attempt is overtaken', async () => {
    const sim = new Sim().apply(deployApp(new Sim().model, { charm: redisLike() }));
    const attempt = applyAfterSnapshot(
      sim,
      () => refreshCharm(sim.model, 'redis', redisLike()),
      'redis',
      () => {
        sim.apply(refreshCharm(sim.model, 'redis', redisLike()));
        return Promise.resolve();
      },
    );
    await expect(attempt).rejects.toMatchObject({ code: 'busy' });
  });
});
