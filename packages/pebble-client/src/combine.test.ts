import { describe, expect, test } from 'vitest';
import { combineLayer, combineLayers } from './combine.js';
import { layerToYaml, parseLayer } from './layer.js';
import { comparePlans, diffLayers } from './plan-diff.js';
import { startPebbleDaemon } from './testing/pebble-daemon.js';
import { usePebbleDaemon } from './testing-fixtures/use-pebble-daemon.js';

const base = parseLayer(`
summary: base
services:
  a:
    override: replace
    command: sleep 1000
    startup: enabled
    environment: {X: "1", Y: "2"}
    after: [b]
    kill-delay: 1500ms
    backoff-factor: 1.5
    on-check-failure: {c1: restart}
  b:
    override: merge
    command: /bin/sh -c "echo hi; sleep 1000"
    user-id: 0
    working-dir: /tmp
checks:
  c1:
    override: replace
    level: alive
    period: 90s
    http: {url: "http://127.0.0.1:1/", headers: {A: b}}
  c2:
    override: merge
    tcp: {port: 80}
  c3:
    override: replace
    startup: disabled
    exec: {command: "true", environment: {E: "1"}}
log-targets:
  t1:
    override: replace
    type: loki
    location: http://127.0.0.1:3100/loki/api/v1/push
    services: [a, -all, b]
    labels: {x: y}
`);

const top = parseLayer(`
summary: top
description: second
services:
  a:
    override: merge
    environment: {Y: "3", Z: "4"}
    after: [c]
    kill-delay: 2s
    backoff-limit: 60s
  b:
    override: replace
    command: sleep 5
  c:
    override: merge
    command: sleep 7 [ --x ]
checks:
  c1:
    override: merge
    http: {headers: {C: d}}
    threshold: 5
  c2:
    override: merge
    tcp: {host: localhost}
  c3:
    override: merge
    exec: {environment: {F: "2"}}
    timeout: 500ms
log-targets:
  t1:
    override: merge
    services: [c]
    labels: {z: w}
  t2:
    override: merge
    type: syslog
    location: udp://127.0.0.1:514
`);

// Workloads are immutable once the daemon runs, so this one is only used as a startup layer.
const workloadsBase = parseLayer({ workloads: { w1: { override: 'replace', environment: { W: '1' } } } });
const workloadsTop = parseLayer({
  services: { c: { override: 'merge', workload: 'w1' } },
  workloads: { w1: { override: 'merge', environment: { V: '2' }, 'user-id': 0 } },
});

// Merged into the "base" label with combine: true, so it lands at base's position (below "top").
const baseUpdate = parseLayer(`
services:
  a:
    override: merge
    command: sleep 2000
    before: [d]
  d:
    override: replace
    command: sleep 1
checks:
  c2:
    override: replace
    tcp: {port: 81}
`);

describe('combineLayers (pure)', () => {
  test('replace discards, merge overlays: maps merged, lists appended, override kept, durations canonical', () => {
    const plan = combineLayers(base, workloadsBase, top, workloadsTop);
    expect(plan.services['a']).toEqual({
      override: 'replace',
      command: 'sleep 1000',
      startup: 'enabled',
      environment: { X: '1', Y: '3', Z: '4' },
      after: ['b', 'c'],
      'kill-delay': '2s',
      'backoff-factor': 1.5,
      'backoff-limit': '1m0s',
      'on-check-failure': { c1: 'restart' },
    });
    expect(plan.services['b']).toEqual({ override: 'replace', command: 'sleep 5' });
    expect(plan.checks['c1']).toMatchObject({
      period: '1m30s',
      threshold: 5,
      http: { url: 'http://127.0.0.1:1/', headers: { A: 'b', C: 'd' } },
    });
    expect(plan.checks['c2']).toEqual({ override: 'merge', threshold: 3, tcp: { port: 80, host: 'localhost' } });
    expect(plan['log-targets']['t1']?.services).toEqual(['a', '-all', 'b', 'c']);
    expect(plan['log-targets']['t2']).toEqual({
      override: 'merge',
      type: 'syslog',
      location: 'udp://127.0.0.1:514',
      services: [],
    });
    expect(plan.workloads?.['w1']).toEqual({ override: 'replace', environment: { W: '1', V: '2' }, 'user-id': 0 });
  });

  test('combining does not mutate its inputs', () => {
    const before = JSON.stringify(base);
    combineLayers(base, top, baseUpdate);
    expect(JSON.stringify(base)).toBe(before);
  });
});

describe('combineLayer equals the real daemon plan', () => {
  const pebble = usePebbleDaemon();

  test('after add(base), add(top), and add(base, combine) the plan equals the pure model', async () => {
    await pebble.client.addLayer('base', base);
    expect(await pebble.client.getPlan()).toEqual(combineLayers(base));
    await pebble.client.addLayer('top', top);
    const afterTop = await pebble.client.getPlan();
    expect(afterTop).toEqual(combineLayer(combineLayers(base), top));
    expect(comparePlans(afterTop, combineLayers(base, top)).changed).toBe(false);

    await pebble.client.addLayer('base', baseUpdate, { combine: true });
    expect(await pebble.client.getPlan()).toEqual(combineLayers(combineLayers(base, baseUpdate), top));
  });

  test('startup layers from $PEBBLE/layers (including workloads) combine to the same plan', async () => {
    const other = await startPebbleDaemon({
      layers: {
        base: layerToYaml(base),
        wlbase: layerToYaml(workloadsBase),
        top: layerToYaml(top),
        wltop: layerToYaml(workloadsTop),
      },
    });
    try {
      expect(await other.client().getPlan()).toEqual(combineLayers(base, workloadsBase, top, workloadsTop));
    } finally {
      await other.stop();
    }
  });

  test('adding a label twice without combine fails with 400 "already exists"; reserved and invalid layers fail', async () => {
    await pebble.client.addLayer('dup', { services: { dupsvc: { override: 'replace', command: 'sleep 1' } } });
    await expect(
      pebble.client.addLayer('dup', { services: { dupsvc: { override: 'replace', command: 'sleep 2' } } }),
    ).rejects.toMatchObject({ code: 'api', statusCode: 400, message: expect.stringContaining('already exists') });
    await expect(pebble.client.addLayer('pebble-mine', 'services: {}')).rejects.toMatchObject({
      code: 'api',
      statusCode: 400,
    });
    await expect(pebble.client.addLayer('broken', 'services:\n  x:\n    command: sleep 1\n')).rejects.toMatchObject({
      code: 'api',
      statusCode: 400,
      message: expect.stringContaining('must define "override"'),
    });
    await expect(
      pebble.client.addLayer('bad', { services: { x: { override: 'merge', bogus: 1 } } } as never),
    ).rejects.toThrow(TypeError);
  });
});

describe('comparePlans / diffLayers', () => {
  test('names added, removed, changed and unchanged entries per section', () => {
    const current = combineLayers(base);
    const desired = combineLayers(base, top);
    const diff = comparePlans(current, desired);
    expect(diff.services).toEqual({ added: ['c'], removed: [], changed: ['a', 'b'], unchanged: [] });
    expect(diff.checks).toEqual({ added: [], removed: [], changed: ['c1', 'c2', 'c3'], unchanged: [] });
    expect(diff.logTargets).toEqual({ added: ['t2'], removed: [], changed: ['t1'], unchanged: [] });
    const withWorkloads = comparePlans(
      combineLayers(base, workloadsBase, top),
      combineLayers(base, workloadsBase, top, workloadsTop),
    );
    expect(withWorkloads.workloads.changed).toEqual(['w1']);
    expect(withWorkloads.services.changed).toEqual(['c']);
    expect(diff.changed).toBe(true);
    expect(comparePlans(desired, current).services.removed).toEqual(['c']);
  });

  test('equivalent spellings are not changes (durations, scalar env values, empty lists, default threshold)', () => {
    const a = parseLayer({
      services: { s: { override: 'replace', command: 'x', 'kill-delay': '1500ms', environment: { N: 1 }, after: [] } },
      checks: { k: { override: 'replace', tcp: { port: 1 } } },
    });
    const b = parseLayer({
      services: { s: { override: 'replace', command: 'x', 'kill-delay': '1.5s', environment: { N: '1' } } },
      checks: { k: { override: 'replace', tcp: { port: 1 }, threshold: 3 } },
    });
    expect(diffLayers(a, b).changed).toBe(false);
    const c = parseLayer({ services: { s: { override: 'replace', command: 'x', 'kill-delay': '2s' } } });
    expect(diffLayers(a, c).services.changed).toEqual(['s']);
  });
});
