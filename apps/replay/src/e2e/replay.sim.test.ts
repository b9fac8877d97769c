import { redisStartCommand } from '@charms/charm-redis';
import { charmToDeploy, packageDir, SimModel, simAvailable } from '@charms/charm-sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/program.js';
import type { TimelineEntry } from '../commands/timeline.js';
import type { WhyAnswer } from '../commands/why.js';

const REDIS_CHARM_DIR = packageDir('@charms/charm-redis');

/** Runs charm-replay in process on the unit's live log; returns stdout, failing on a non-zero exit. */
async function replay(args: string[]): Promise<string> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (s) => (out += s), err: (s) => (err += s) });
  if (code !== 0) throw new Error(`charm-replay ${args.join(' ')} exited ${code}: ${err}`);
  return out;
}

describe.skipIf(!simAvailable)('charm-replay on the log of a packed redis-k8s running in charm-sim', () => {
  let sim: SimModel;
  const unit = (...args: string[]) => [...args, '--unit', 'redis-k8s/0', '--model', sim.dir];

  beforeAll(async () => {
    sim = await SimModel.create('replay');
    const packed = await charmToDeploy(REDIS_CHARM_DIR, `${sim.dir}/out`);
    await sim.cli(['deploy', packed, '--wait', '--timeout', '150s']);
    await sim.cli(['config', 'redis-k8s', 'maxmemory=64mb']);
    await sim.cli(['wait', '--timeout', '60s']);
  }, 240_000);
  afterAll(async () => {
    await sim?.destroy();
  });

  it('finds the unit’s log and charm, and its timeline holds the hooks Juju ran, with what each changed', async () => {
    const entries = JSON.parse(await replay(unit('timeline', '--json'))) as TimelineEntry[];
    const hooks = entries.filter((e) => e.type === 'hook').map((e) => e.summary.split(':')[0]);
    expect(hooks[0]).toBe('install');
    expect(hooks).toEqual(
      expect.arrayContaining([
        'leader-elected',
        'config-changed',
        'start',
        'redis-pebble-ready',
        'database-storage-attached',
      ]),
    );
    // the first layer is planned by a hook, and the record after it says what reconciling did
    const first = entries.findIndex((e) => e.changed.includes('restart'));
    expect(entries[first]?.type).toBe('hook');
    expect(entries[first + 1]?.summary).toMatch(
      /^reconciled: .*changed the layer, started redis-server.*; verified ok: expected master, saw master$/,
    );
    const maxmemory = entries.filter((e) => e.summary.startsWith('config-changed')).at(-1) as TimelineEntry;
    expect(maxmemory.changed).toEqual(['files']);
    expect(entries.some((e) => e.summary.includes('CONFIG SET maxmemory'))).toBe(true);
  });

  it('explains the live config change and the running layer', async () => {
    const files = JSON.parse(await replay(unit('why', 'files', '--json'))) as WhyAnswer;
    expect(files.last?.stateChanges).toContainEqual({ path: 'config.maxmemory', before: '0', after: '64mb' });
    const restart = JSON.parse(await replay(unit('why', 'restart', '--json'))) as WhyAnswer;
    expect(restart.history.length).toBeGreaterThanOrEqual(1);
    expect(restart.current).toMatchObject({
      services: { 'redis-server': { command: redisStartCommand('/etc/redis/redis.conf', '/charm/bin/pebble') } },
    });
    // the password never reaches the log, so never the replay output
    const { password } = await sim.action('redis-k8s/0', 'get-initial-admin-password');
    const everything =
      (await replay(unit('timeline', '--json'))) +
      (await replay(unit('state', '--json'))) +
      (await replay(unit('plan', '--json')));
    expect(typeof password).toBe('string');
    expect(everything).not.toContain(String(password));
  });

  it('verifies the live log while the unit keeps running, and replays a what-if', async () => {
    expect(await replay(unit('verify'))).toMatch(/^ok: .*\.event-log \(redis-k8s\)\n {2}\d+ records, seq 1\.\.\d+/);
    const whatIf = await replay(unit('what-if', '--config', 'maxmemory-policy=allkeys-lru'));
    expect(whatIf).toMatch(/it first differs after seq \d+ \(.*\) in files\n/);
    expect(whatIf).toContain('conf.maxmemory-policy: "noeviction" -> "allkeys-lru"');
  });
});
