/**
 * End to end with a /bin/sh charm (test-charms/shell-charm) calling hook tools directly: leadership,
 * relation and storage hooks with their env, pod churn with storage, Pebble notices and checks, hook
 * failure/retry/resolved, leader rules, secrets shared over a relation.
 * One model shared by the assertions, in order.
 */
import { execFile, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pebbleBin } from '../runtime/paths.js';
import { BIN, isRoot, leftovers, Sim, TEST_CHARMS } from './harness.js';

const run = promisify(execFile);
const CHARM = join(TEST_CHARMS, 'shell-charm');

/** Runs a command inside a unit's workload container through its Pebble (the `pebble exec` CLI). */
async function inWorkload(sim: Sim, pod: string, argv: string[]): Promise<string> {
  const socket = join(sim.layout.pods, pod, 'c', 'box', 'shared', 'pebble.socket');
  const r = await run(pebbleBin(), ['exec', '--', ...argv], { env: { ...process.env, PEBBLE_SOCKET: socket } });
  return r.stdout;
}

type Event = Awaited<ReturnType<Sim['events']>>[number];

/**
 * Juju's per-relation rule: every `<ep>-relation-joined` for X is
 * followed, in that relation, by `<ep>-relation-changed` for X.
 */
function joinedThenChanged(events: Event[], endpoint: string): string[] {
  const rel = events.filter((e) => e.name.startsWith(`${endpoint}-relation-`));
  const joined: string[] = [];
  rel.forEach((e, i) => {
    if (e.name !== `${endpoint}-relation-joined`) return;
    expect(rel[i + 1], `${endpoint}-relation-changed right after joined ${e.fields['remote']}`).toMatchObject({
      name: `${endpoint}-relation-changed`,
      fields: { remote: e.fields['remote'] },
    });
    joined.push(e.fields['remote'] ?? '');
  });
  return joined.sort();
}

describe.skipIf(!isRoot)('shell charm (hook tools from /bin/sh, real pods, real Pebble)', { timeout: 240_000 }, () => {
  let sim: Sim;

  beforeAll(async () => {
    sim = await Sim.create('shellm', ['--update-status-interval', '4s']);
    const conf = join(sim.dir, 'app.conf');
    await writeFile(conf, 'setting = 1\n');
    await sim.cli([
      'deploy',
      CHARM,
      'shell',
      '-n',
      '3',
      '--config',
      'message=hello',
      '--resource',
      `config-file=${conf}`,
      '--resource',
      'box-image=ubuntu:22.04',
      '--wait',
      '--timeout',
      '3m',
    ]);
  });

  afterAll(async () => {
    await sim?.cli(['destroy'], { allowFail: true });
  });

  it('runs the install chain in Juju order, with storage-attached after start and pebble-ready', async () => {
    const s = await sim.status();
    expect(s.applications['shell']?.leader).toBe('shell/0');
    // pebble-ready has no ordering guarantee against the install chain (it slips in once Pebble answers).
    const chain = async (unit: string) =>
      (await sim.events(unit)).map((e) => e.name).filter((n) => n !== 'box-pebble-ready');
    const leader = await chain('shell/0');
    const follower = await chain('shell/1');
    expect(leader.slice(0, 6)).toEqual([
      'install',
      'peers-relation-created',
      'leader-elected',
      'config-changed',
      'start',
      'data-storage-attached',
    ]);
    // A follower may get a second leader-settings-changed when the leader's leader-set lands mid-chain.
    const firstOf = (names: string[]) => names.map((n) => follower.indexOf(n));
    const order = firstOf([
      'install',
      'peers-relation-created',
      'leader-settings-changed',
      'config-changed',
      'start',
      'data-storage-attached',
    ]);
    expect(order.every((i, k) => i >= 0 && (k === 0 || i > (order[k - 1] ?? -1)))).toBe(true);
    expect(follower.filter((n) => n === 'install' || n === 'start' || n === 'leader-elected')).toEqual([
      'install',
      'start',
    ]);
    for (const unit of ['shell/0', 'shell/1', 'shell/2']) {
      const names = (await sim.events(unit)).map((e) => e.name);
      expect(names.filter((n) => n === 'box-pebble-ready')).toHaveLength(1);
      expect(names.indexOf('box-pebble-ready')).toBeGreaterThan(names.indexOf('install'));
    }
    for (const u of ['shell/0', 'shell/1', 'shell/2']) {
      expect(s.applications['shell']?.units[u]?.['workload-status'].message).toMatch(
        new RegExp(`^leader=(True|False) peers=.* app-leader=shell/0 hello$`),
      );
    }
  });

  it('joins peers both ways (joined then changed per remote unit, JUJU_REMOTE_UNIT set) and attaches storage with JUJU_STORAGE_ID', async () => {
    for (const unit of ['shell/0', 'shell/1', 'shell/2']) {
      const events = await sim.events(unit);
      expect(events.find((e) => e.name === 'peers-relation-created')?.fields['remote']).toBe('');
      expect(joinedThenChanged(events, 'peers')).toEqual(['shell/0', 'shell/1', 'shell/2'].filter((u) => u !== unit));
      expect(events.find((e) => e.name === 'data-storage-attached')?.fields['storage']).toMatch(/^data\/\d+$/);
    }
  });

  it('answers hook tools with Juju’s shapes: network, storage, resources, ports, config, goal-state, relation data', async () => {
    const a = await sim.run('shell/1', 'probe');
    expect(a.status).toBe('completed');
    const r = a.results;
    const s = await sim.status();
    const address = s.applications['shell']?.units['shell/1']?.address;
    expect(JSON.parse(String(r['network']))).toMatchObject({
      'ingress-addresses': [address],
      'bind-addresses': [{ addresses: [{ value: address }] }],
    });
    expect(JSON.parse(String(r['storage']))).toEqual([expect.stringMatching(/^data\/\d+$/)]);
    expect(r['location']).toMatch(/^\/var\/lib\/juju\/storage\/data\/\d+$/);
    expect(r['resource']).toBe('/var/lib/juju/agents/unit-shell-1/resources/config-file/app.conf');
    expect(r['resource-content']).toBe('setting = 1');
    expect(r['image']).toBe('registrypath: ubuntu:22.04\nusername: ""\npassword: ""');
    expect(JSON.parse(String(r['ports']))).toEqual(['8080/tcp']);
    expect(JSON.parse(String(r['config']))).toEqual({ message: 'hello', port: 8080 });
    expect(JSON.parse(String(r['leader']))).toBe(false);
    expect(r['leader-get']).toBe('shell/0');
    expect(JSON.parse(String(r['relation-ids']))).toEqual([expect.stringMatching(/^peers:\d+$/)]);
    expect(JSON.parse(String(r['relation-list']))).toEqual(['shell/0', 'shell/2']);
    expect(JSON.parse(String(r['relation-app']))).toEqual({ leader: 'shell/0' });
    expect(JSON.parse(String(r['unit-bag']))).toMatchObject({
      'private-address': address,
      'ingress-address': address,
      'egress-subnets': `${address}/32`,
    });
    expect(JSON.parse(String(r['status']))).toMatchObject({ status: 'active' });
    expect(Object.keys(JSON.parse(String(r['goal-state'])).units)).toEqual(['shell/0', 'shell/1', 'shell/2']);
    expect(JSON.parse(String(r['state']))).toEqual({ 'started-by': 'shell/1' });
    expect(r['unit-address']).toBe(address);
    expect(r['hostname']).toBe('shell-1');
    expect(r['fqdn']).toBe('shell-1.shell-endpoints.shellm.svc.cluster.local');
  });

  it('rejects a non-leader’s app-bag write with Juju’s error text', async () => {
    const a = await sim.run('shell/2', 'try-app-write');
    expect(a.results['code']).toBe('1');
    expect(a.results['error']).toBe('ERROR cannot write relation settings');
    const leader = await sim.run('shell/0', 'try-app-write');
    expect(leader.results['code']).toBe('0');
  });

  it('a failing action fails without putting the unit in error', async () => {
    const r = await sim.cli(['run', 'shell/2', 'fail'], { allowFail: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('about to fail');
    expect(r.stderr).toContain('deliberate failure');
    const s = await sim.status();
    expect(s.applications['shell']?.units['shell/2']?.['workload-status'].current).toBe('active');
  });

  it('retries a failing hook with backoff until it succeeds', async () => {
    await sim.run('shell/1', 'arm-failure', ['hook=config-changed', 'times=2']);
    await sim.cli(['config', 'shell', 'message=retry']);
    await sim
      .cli(['wait', '--timeout', '2m'], { allowFail: true })
      .then(() =>
        sim.waitFor('shell/1 to recover', async () => ((await sim.status()).model.settled ? true : undefined)),
      );
    const failures = (await sim.log()).filter(
      (e) => e.unit === 'shell/1' && e.message.startsWith('failing config-changed as armed'),
    );
    expect(failures.map((e) => e.message)).toEqual([
      'failing config-changed as armed (left: 2)',
      'failing config-changed as armed (left: 1)',
    ]);
    const backoff = (await sim.log()).filter(
      (e) => e.unit === 'shell/1' && e.message.startsWith('retrying the failed hook'),
    );
    expect(backoff.map((e) => e.message)).toEqual([
      'retrying the failed hook in 300 ms',
      'retrying the failed hook in 600 ms',
    ]);
    expect((await sim.status()).applications['shell']?.units['shell/1']?.['workload-status'].message).toMatch(
      / retry$/,
    );
  });

  it('a hook that keeps failing puts the unit in error; resolved retries it, resolved --no-retry skips it', async () => {
    await sim.run('shell/1', 'arm-failure', ['hook=config-changed', 'times=-1']);
    await sim.cli(['config', 'shell', 'message=stuck']);
    const inError = await sim.waitFor('shell/1 in error after a retry', async () => {
      const u = (await sim.status()).applications['shell']?.units['shell/1'];
      return u?.['failed-hook'] && u['failed-hook'].attempts >= 2 ? u : undefined;
    });
    expect(inError['workload-status']).toMatchObject({ current: 'error', message: 'hook failed: "config-changed"' });
    // Actions still run on a unit in error, and automatic retries go on afterwards.
    expect((await sim.run('shell/1', 'probe')).status).toBe('completed');
    const seen = inError['failed-hook']?.attempts ?? 0;
    await sim.waitFor('another automatic retry after the action', async () => {
      const f = (await sim.status()).applications['shell']?.units['shell/1']?.['failed-hook'];
      return f && f.attempts > seen ? f : undefined;
    });
    const waited = await sim.cli(['wait', '--timeout', '20s'], { allowFail: true });
    expect(waited.code).toBe(1);
    expect(waited.stderr).toContain('shell/1: hook failed: "config-changed"');
    const attempts = inError['failed-hook']?.attempts ?? 0;
    const failuresBefore = (await sim.log()).filter(
      (e) => e.unit === 'shell/1' && e.message.startsWith('failing config-changed'),
    ).length;
    await sim.cli(['resolved', 'shell/1']);
    await sim.waitFor('the resolved retry to fail again', async () =>
      (await sim.log()).filter((e) => e.unit === 'shell/1' && e.message.startsWith('failing config-changed')).length >
      failuresBefore
        ? true
        : undefined,
    );
    const again = await sim.waitFor(
      'error again',
      async () => (await sim.status()).applications['shell']?.units['shell/1']?.['failed-hook'] ?? undefined,
    );
    expect(again.attempts).toBeGreaterThan(attempts);
    await sim.cli(['resolved', 'shell/1', '--no-retry']);
    await sim.cli(['wait', '--timeout', '2m']);
    const u = (await sim.status()).applications['shell']?.units['shell/1'];
    expect(u?.['failed-hook']).toBeNull();
    expect(u?.['workload-status'].current).not.toBe('error');
    await sim.run('shell/1', 'arm-failure', ['hook=config-changed', 'times=0']);
  });

  it('delivers a custom notice raised inside the workload with `pebble notify`', async () => {
    await inWorkload(sim, 'shell-2', ['/charm/bin/pebble', 'notify', 'sim.test/ping']);
    const ev = await sim.waitFor('box-pebble-custom-notice', async () =>
      (await sim.events('shell/2')).find((e) => e.name === 'box-pebble-custom-notice'),
    );
    expect(ev.fields['notice']).toBe('sim.test/ping/custom');
    // the hook logs this after its event line: wait for it too
    const logged = await sim.waitFor('the juju-log line of the notice hook', async () =>
      (await sim.log()).find((e) => e.unit === 'shell/2' && e.message === 'workload said sim.test/ping'),
    );
    expect(logged.level).toBe('WARNING');
  });

  it('turns a failing and recovering Pebble check into check-failed and check-recovered', async () => {
    await inWorkload(sim, 'shell-2', ['touch', '/tmp/unhealthy']);
    const failed = await sim.waitFor('check-failed', async () =>
      (await sim.events('shell/2')).find((e) => e.name === 'box-pebble-check-failed'),
    );
    expect(failed.fields['check']).toBe('alive');
    await inWorkload(sim, 'shell-2', ['rm', '/tmp/unhealthy']);
    const recovered = await sim.waitFor('check-recovered', async () =>
      (await sim.events('shell/2')).find((e) => e.name === 'box-pebble-check-recovered'),
    );
    expect(recovered.fields['check']).toBe('alive');
  });

  it('restarts a crashed workload container alone: a new Pebble boot id brings pebble-ready again, without pod churn', async () => {
    const record = JSON.parse(await readFile(join(sim.layout.pods, 'shell-1', 'pids.json'), 'utf8')) as {
      label: string;
      pid1: number;
    }[];
    const box = record.find((r) => r.label === 'box');
    const before = (await sim.status()).applications['shell']?.units['shell/1']?.containers['box']?.['boot-id'];
    const eventsBefore = (await sim.events('shell/1')).length;
    process.kill(box?.pid1 ?? 0, 'SIGKILL');
    await sim.waitFor('pebble-ready for the new boot id', async () => {
      const c = (await sim.status()).applications['shell']?.units['shell/1']?.containers['box'];
      return c && c['boot-id'] !== before && c['pebble-ready'] ? c : undefined;
    });
    const names = (await sim.events('shell/1'))
      .slice(eventsBefore)
      .map((e) => e.name)
      .filter((n) => n !== 'update-status');
    expect(names).toEqual(['box-pebble-ready']);
  });

  it('debug-log --follow streams new lines for the chosen unit as they are written', async () => {
    const child = spawn(
      BIN,
      ['--model-dir', sim.dir, 'debug-log', '--follow', '--unit', 'shell/2', '--level', 'INFO', '-n', '0'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await sim.waitFor('debug-log to start', async () => (child.pid !== undefined ? true : undefined));
      await sim.run('shell/2', 'fail');
      const line = await sim.waitFor(
        'the streamed line',
        async () => out.split('\n').find((l) => l.includes('event fail')),
        30_000,
      );
      expect(line).toMatch(/^unit-shell-2: \d\d:\d\d:\d\d INFO unit\.shell\/2\.juju-log fail: event fail /);
      expect(out).not.toContain('unit-shell-0');
      expect(out).not.toMatch(/ DEBUG /);
    } finally {
      child.kill('SIGINT');
    }
  });

  it('runs update-status on its timer', async () => {
    await sim.waitFor(
      'update-status',
      async () => (await sim.events('shell/0')).find((e) => e.name === 'update-status'),
      30_000,
    );
  });

  it('closes and opens ports on a config change; forgets deleted charm state', async () => {
    await sim.cli(['config', 'shell', 'port=9090', 'message=hello']);
    await sim.cli(['wait', '--timeout', '2m']);
    const s = await sim.status();
    for (const u of Object.values(s.applications['shell']?.units ?? {})) expect(u['open-ports']).toEqual(['9090/tcp']);
    await sim.run('shell/1', 'forget-state');
    const probe = await sim.run('shell/1', 'probe');
    expect(JSON.parse(String(probe.results['state']))).toEqual({});
    expect(probe.results['credential']).toBe(
      'ERROR cannot access cloud credentials: application "shell" is not trusted (deploy with --trust)',
    );
  });

  it('shares an app-owned secret over a relation: grant, get, set -> secret-changed; unrelate -> broken on both sides', async () => {
    await sim.cli(['deploy', CHARM, 'other', '--wait', '--timeout', '2m']);
    await sim.cli(['relate', 'shell:source', 'other:sink']);
    await sim.cli(['wait', '--timeout', '2m']);
    const got = await sim.waitFor('the consumer to read the secret', async () =>
      (await sim.log()).find((e) => e.unit === 'other/0' && e.message.includes('secret token=')),
    );
    expect(got.message).toMatch(/secret token=v1 model=\{"uuid":"[0-9a-f-]{36}"\}$/);
    const rotated = await sim.run('shell/0', 'rotate-secret');
    expect(rotated.status).toBe('completed');
    const info = JSON.parse(String(rotated.results['info'])) as Record<string, { revision: number; label: string }>;
    expect(Object.values(info)[0]).toMatchObject({ revision: 2, label: 'shared' });
    const changed = await sim.waitFor('secret-changed on the consumer', async () =>
      (await sim.log()).find((e) => e.unit === 'other/0' && e.message.startsWith('secret changed')),
    );
    expect(changed.message).toBe('secret changed token=v2');
    const id = `secret:${Object.keys(info)[0]}`;
    expect((await sim.events('other/0')).find((e) => e.name === 'secret-changed')?.fields).toMatchObject({
      secret: id,
      label: '',
      revision: 'unset',
    });
    // The consumer now tracks revision 2: revision 1 is obsolete, the owner gets secret-remove for it (and removes it).
    const removed = await sim.waitFor('secret-remove on the owner', async () =>
      (await sim.events('shell/0')).find((e) => e.name === 'secret-remove' && e.fields['secret'] === id),
    );
    expect(removed.fields).toMatchObject({ label: 'shared', revision: '1' });
    const sink = await sim.events('other/0');
    expect(sink.filter((e) => e.name.startsWith('sink-relation-'))[0]).toMatchObject({
      name: 'sink-relation-created',
      fields: { remote: '' },
    });
    expect(joinedThenChanged(sink, 'sink')).toEqual(['shell/0', 'shell/1', 'shell/2']);
    // The provider leader's app-bag write reaches the consumer as an app-level changed (JUJU_REMOTE_UNIT empty).
    expect(sink.some((e) => e.name === 'sink-relation-changed' && e.fields['remote'] === '')).toBe(true);
    const dropped = await sim.run('shell/0', 'drop-secret');
    expect(dropped).toMatchObject({ status: 'completed', results: { removed: id } });
    expect(JSON.parse(String((await sim.run('shell/0', 'probe')).results['secrets']))).toEqual([]);
    await sim.cli(['unrelate', 'shell:source', 'other:sink']);
    await sim.cli(['wait', '--timeout', '2m']);
    expect((await sim.events('other/0')).map((e) => e.name)).toEqual(
      expect.arrayContaining(['sink-relation-departed', 'sink-relation-broken']),
    );
    for (const u of ['shell/0', 'shell/1', 'shell/2'])
      expect((await sim.events(u)).map((e) => e.name)).toContain('source-relation-broken');
    const broken = (await sim.log()).find((e) => e.unit === 'other/0' && e.message.includes('broken;'));
    expect(broken?.message).toMatch(/^sink:\d+: broken; sink ids now: $/);
    await sim.cli(['remove-unit', 'other/0', '--wait', '--timeout', '2m']);
  });

  it('attach-resource and refresh roll every pod: stop on the old pod, then the upgrade sequence on the new one', async () => {
    const conf = join(sim.dir, 'app-v2.conf');
    await writeFile(conf, 'setting = 2\n');
    const before = Object.fromEntries(
      await Promise.all(['shell/0', 'shell/1', 'shell/2'].map(async (u) => [u, (await sim.events(u)).length] as const)),
    );
    await sim.cli(['attach-resource', 'shell', `config-file=${conf}`]);
    await sim.cli(['wait', '--timeout', '2m']);
    for (const u of ['shell/0', 'shell/1', 'shell/2']) {
      const names = (await sim.events(u))
        .slice(before[u])
        .map((e) => e.name)
        .filter((n) => n !== 'update-status' && n !== 'box-pebble-ready');
      const expected =
        u === 'shell/0'
          ? ['stop', 'upgrade-charm', 'config-changed', 'start']
          : ['stop', 'upgrade-charm', 'config-changed', 'leader-settings-changed', 'start'];
      expect(names).toEqual(expected);
    }
    const probe = await sim.run('shell/2', 'probe');
    expect(probe.results['resource-content']).toBe('setting = 2');
    await sim.cli(['refresh', 'shell', CHARM, '--quiet']);
    await sim.cli(['wait', '--timeout', '2m']);
    const s = await sim.status();
    expect(s.applications['shell']?.['charm-rev']).toBe(1);
    expect(
      Object.values(s.applications['shell']?.units ?? {}).every((u) => u['workload-status'].current === 'active'),
    ).toBe(true);
  });

  it('kill-pod: a new pod with the same name, address and storage, a fresh charm dir and new boot id, then the churn sequence', async () => {
    await sim.run('shell/2', 'write-storage', ['content=precious']);
    const before = (await sim.status()).applications['shell']?.units['shell/2'];
    const eventsBefore = (await sim.events('shell/2')).length;
    await sim.cli(['kill-pod', 'shell/2', '--wait', '--timeout', '2m']);
    const after = (await sim.status()).applications['shell']?.units['shell/2'];
    expect(after?.address).toBe(before?.address);
    expect(after?.containers['box']?.['boot-id']).not.toBe(before?.containers['box']?.['boot-id']);
    const churn = (await sim.events('shell/2'))
      .slice(eventsBefore)
      .map((e) => e.name)
      .filter((n) => n !== 'update-status');
    expect(churn.filter((n) => n !== 'box-pebble-ready')).toEqual([
      'upgrade-charm',
      'config-changed',
      'leader-settings-changed',
      'start',
    ]);
    expect(churn.filter((n) => n === 'box-pebble-ready')).toHaveLength(1);
    const ready = (await sim.log()).filter((e) => e.unit === 'shell/2' && e.message.startsWith('pebble-ready ')).at(-1);
    expect(ready?.message).toBe('pebble-ready hostname=shell-2 kept=precious');
    const read = await sim.run('shell/2', 'read-storage');
    expect(read.results).toMatchObject({ content: 'precious', 'fresh-charm-dir': 'yes', state: 'shell/2' });
  });

  it('moves leadership when the leader unit is removed; the leaver runs departed, stop and remove', async () => {
    const leaverBefore = (await sim.events('shell/0')).length;
    await sim.cli(['remove-unit', 'shell/0', '--wait', '--timeout', '2m']);
    const s = await sim.status();
    expect(Object.keys(s.applications['shell']?.units ?? {})).toEqual(['shell/1', 'shell/2']);
    const leader = s.applications['shell']?.leader;
    expect(leader === 'shell/1' || leader === 'shell/2').toBe(true);
    expect((await sim.events(leader ?? '')).map((e) => e.name)).toContain('leader-elected');
    const leaver = (await sim.events('shell/0')).slice(leaverBefore).filter((e) => e.name !== 'update-status');
    expect(leaver.map((e) => e.name)).toEqual([
      'peers-relation-departed',
      'peers-relation-departed',
      'stop',
      'data-storage-detaching',
      'remove',
    ]);
    expect(leaver[0]?.fields['departing']).toBe('shell/0');
    const survivors = await sim.events('shell/1');
    expect(survivors.find((e) => e.name === 'peers-relation-departed')?.fields).toMatchObject({
      remote: 'shell/0',
      departing: 'shell/0',
    });
    expect(s.applications['shell']?.units[leader ?? '']?.['workload-status'].message).toContain(`app-leader=${leader}`);
  });

  it('destroy leaves no process, mount or socket behind', async () => {
    const uuid = (await sim.status()).model.uuid;
    await sim.cli(['destroy']);
    expect(await leftovers(sim.dir)).toEqual([]);
    expect(await leftovers(uuid)).toEqual([]);
  });
});
