import { redisStartCommand } from '@charms/charm-redis';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { timeline } from './commands/timeline.js';
import { verify } from './commands/verify.js';
import { parseOverrides, whatIf } from './commands/what-if.js';
import { why } from './commands/why.js';
import { CHARMS } from './charms/registry.js';
import { isReplayError } from './errors.js';
import { replaySteps, stepAt } from './replay.js';
import { openSource } from './source.js';
import { tempDir, writeRedisLog, writeSentinelLog } from './testing-fixtures/logs.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

const codeOf = (e: unknown) => (isReplayError(e) ? e.code : e);

describe('replaying a redis-k8s log with the charm’s own reducer and planner', () => {
  it('is deterministic: two replays give the same states and plans', async () => {
    await writeRedisLog(dir);
    const source = await openSource({ path: dir });
    expect(source.charm.name).toBe('redis-k8s');
    const run = async () => {
      const out: unknown[] = [];
      for await (const s of replaySteps(source)) out.push([s.event.seq, s.state, s.desired]);
      return out;
    };
    const first = await run();
    expect(first).toHaveLength(9);
    expect(await run()).toEqual(first);
  });

  it('the timeline marks which areas each record changed, and failed hooks', async () => {
    await writeRedisLog(dir);
    const entries = await timeline(await openSource({ path: dir }));
    const changed = Object.fromEntries(entries.map((e) => [e.seq, e.changed]));
    expect(changed[2]).toEqual(expect.arrayContaining(['restart', 'files', 'status']));
    expect(changed[4]).toEqual([]);
    expect(changed[5]).toEqual(['files']);
    expect(changed[8]).toEqual(expect.arrayContaining(['restart', 'status']));
    expect(entries[3]?.summary).toBe('redis-peers-relation-joined (redis-k8s/1): leader, pebble up');
    expect(entries[5]?.summary).toBe('reconciled: pushed /etc/redis/redis.conf, CONFIG SET maxmemory');
    expect(entries.filter((e) => e.failed).map((e) => e.seq)).toEqual([9]);
    const ranged = await timeline(await openSource({ path: dir }), { fromSeq: 4, toSeq: 6, diffs: true });
    expect(ranged.map((e) => e.seq)).toEqual([4, 5, 6]);
    expect(ranged[1]?.stateChanges).toContainEqual({ path: 'config.maxmemory', before: '0', after: '256mb' });
    // redis.conf entries are keyed by directive in what replay shows
    expect(ranged[1]?.desiredChanges).toEqual([{ path: 'workload.conf.maxmemory', before: '0', after: '268435456' }]);
  });

  it('why status names the record and the state change behind the latest status', async () => {
    await writeRedisLog(dir);
    const answer = await why(await openSource({ path: dir }), 'status');
    expect(answer.at).toBe(9);
    expect(answer.last?.seq).toBe(8);
    expect(answer.last?.stateChanges).toContainEqual({ path: 'config.enable-tls', before: false, after: true });
    expect(answer.last?.changes).toContainEqual({ path: 'unit.status', before: 'active', after: 'blocked' });
    expect(answer.history.map((c) => c.seq)).toEqual([1, 2, 8]);
    const earlier = await why(await openSource({ path: dir }), 'status', 7);
    expect(earlier.last?.seq).toBe(2);
  });

  it('why restart finds the layer changes, not the live config changes', async () => {
    await writeRedisLog(dir);
    const answer = await why(await openSource({ path: dir }), 'restart', 7);
    expect(answer.history.map((c) => c.seq)).toEqual([2]);
    expect(answer.current).toMatchObject({
      services: { 'redis-server': { command: redisStartCommand('/etc/redis/redis.conf', '/charm/bin/pebble') } },
    });
  });

  it('refuses unknown questions and seqs past the end, with codes', async () => {
    await writeRedisLog(dir);
    const source = await openSource({ path: dir });
    expect(codeOf(await why(source, 'mood').catch((e: unknown) => e))).toBe('usage');
    expect(codeOf(await stepAt(source, 42).catch((e: unknown) => e))).toBe('seq-out-of-range');
    expect((await stepAt(source, 5)).event.seq).toBe(5);
  });
});

describe('replaying a redis-sentinel-k8s log', () => {
  it('why primary follows the primary sentinel is told to monitor; the secrets stay digests', async () => {
    await writeSentinelLog(dir);
    const source = await openSource({ path: dir });
    const answer = await why(source, 'primary');
    expect(answer.history.map((c) => c.seq)).toEqual([2, 3]);
    expect(answer.current).toMatchObject({ monitor: { host: '127.1.0.2', port: 6379 } });
    expect(answer.last?.stateChanges).toContainEqual({
      path: 'redis.appData.primary-address',
      before: '127.1.0.1',
      after: '127.1.0.2',
    });
    const status = await why(source, 'status');
    expect(status.history[0]?.seq).toBe(1);
    expect(status.history[0]?.changes).toContainEqual(
      expect.objectContaining({
        path: 'unit.message',
        after: 'missing relation to redis-k8s: juju integrate <this app>:redis redis-k8s:sentinel',
      }),
    );
    const everything =
      JSON.stringify(await timeline(source, { diffs: true })) + JSON.stringify((await stepAt(source, 3)).state);
    expect(everything).not.toContain('redis-password-1');
    expect(everything).not.toContain('sentinel-password-1');
  });
});

describe('what-if', () => {
  it('injects overrides into every config observation and shows where the plan diverges', async () => {
    await writeRedisLog(dir);
    const source = await openSource({ path: dir });
    const answer = await whatIf(source, parseOverrides(source.charm, ['maxmemory-policy=allkeys-lru']));
    expect(answer.injected).toBe(6);
    expect(answer.firstDivergence).toMatchObject({ seq: 2, areas: ['files'] });
    // the recorded history ends blocked on TLS: no workload either way
    expect(answer.final).toEqual({});
    // the recorded value everywhere: nothing changes
    const none = await whatIf(source, parseOverrides(source.charm, ['maxmemory-policy=noeviction']));
    expect(none.firstDivergence).toBeNull();
  });

  it('parses overrides against the charm’s config schema, naming the option and the problem', () => {
    const redis = CHARMS['redis-k8s'];
    expect(parseOverrides(redis, ['enable-tls=false', 'maxmemory=1gb'])).toEqual({
      'enable-tls': false,
      maxmemory: '1gb',
    });
    expect(parseOverrides(CHARMS['redis-sentinel-k8s'], ['parallel-syncs=2'])).toEqual({ 'parallel-syncs': 2 });
    const unknown = (() => {
      try {
        return parseOverrides(redis, ['colour=red']);
      } catch (e) {
        return e;
      }
    })();
    expect(codeOf(unknown)).toBe('bad-config-override');
    expect((unknown as Error).message).toBe(
      'cannot override "colour": redis-k8s has no such option; it has enable-tls, maxmemory, maxmemory-policy, loglevel, appendonly, appendfsync, save, min-replicas-to-write, min-replicas-max-lag',
    );
    expect(() => parseOverrides(redis, ['loglevel=loud'])).toThrow(
      'cannot override "loglevel" with "loud": must be one of debug, verbose, notice, warning',
    );
    expect(() => parseOverrides(redis, ['loglevel'])).toThrow('write it as <option>=<value>');
  });
});

describe('verify', () => {
  it('checks the chain, the payloads and the snapshot against a fold from the start', async () => {
    await writeRedisLog(dir, { snapshotEvery: 4 });
    const report = await verify(await openSource({ path: dir }));
    expect(report).toMatchObject({ charm: 'redis-k8s', records: 9, firstSeq: 1, lastSeq: 9, torn: null });
    expect(report.snapshot).not.toBeNull();
    expect(report.snapshot?.seq).toBeGreaterThanOrEqual(8);
  });

  it('names the segment and line of a damaged record', async () => {
    await writeRedisLog(dir);
    const { readdir, readFile } = await import('node:fs/promises');
    const segment = (await readdir(dir)).filter((n) => n.startsWith('segment-')).sort()[0] as string;
    const bytes = await readFile(path.join(dir, segment));
    const at = bytes.indexOf('redis-pebble-ready');
    bytes[at] = 'R'.charCodeAt(0);
    await writeFile(path.join(dir, segment), bytes);
    const error = await verify(await openSource({ path: dir, charm: 'redis-k8s' })).catch((e: unknown) => e);
    expect(codeOf(error)).toBe('corrupt-log');
    expect((error as Error).message).toMatch(new RegExp(`the record at ${segment} line 2 .*is corrupt \\(bad-hash\\)`));
  });
});

describe('finding the log and its charm', () => {
  it('tells the charm from the records, from metadata.yaml beside the log, or from --charm', async () => {
    const sentinelLog = path.join(dir, 'sentinel');
    await writeSentinelLog(sentinelLog);
    expect((await openSource({ path: sentinelLog })).charm.name).toBe('redis-sentinel-k8s');
    const charmDir = path.join(dir, 'charm');
    await mkdir(charmDir);
    await writeFile(path.join(charmDir, 'metadata.yaml'), 'name: redis-k8s\n');
    await writeRedisLog(path.join(charmDir, '.event-log'));
    const source = await openSource({ path: charmDir });
    expect(source.dir).toBe(path.join(charmDir, '.event-log'));
    expect(source.charm.name).toBe('redis-k8s');
    expect(codeOf(await openSource({ path: sentinelLog, charm: 'postgres-k8s' }).catch((e: unknown) => e))).toBe(
      'unknown-charm',
    );
  });

  it('explains a missing log, an empty directory and a unit that is not in the model', async () => {
    expect(codeOf(await openSource({ path: path.join(dir, 'nope') }).catch((e: unknown) => e))).toBe('log-not-found');
    const empty = await openSource({ path: dir }).catch((e: unknown) => e);
    expect((empty as Error).message).toMatch(/has no segment files and no \.event-log/);
    const unit = await openSource({ unit: 'redis-k8s/7', model: dir }).catch((e: unknown) => e);
    expect(codeOf(unit)).toBe('unit-not-found');
    expect(codeOf(await openSource({ unit: 'redis-k8s', model: dir }).catch((e: unknown) => e))).toBe('usage');
  });

  it('a log in another charm’s schema fails to decode with the seq and a hint', async () => {
    await writeSentinelLog(dir);
    const source = await openSource({ path: dir, charm: 'redis-k8s' });
    const error = await timeline(source).catch((e: unknown) => e);
    expect(codeOf(error)).toBe('undecodable-record');
    expect((error as Error).message).toMatch(/^cannot decode record 1 as redis-k8s in .*check --charm/);
  });
});
