import { createConnection } from 'node:net';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { PebbleClient } from '@charms/pebble-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHostsFile } from './hosts-file.js';
import { modelLayout, storageDir } from './layout.js';
import { Pod, reapRecordedPods, type PodNetwork, type PodSpec } from './pod.js';
import { podMac, reapModelNetwork, startModelNetwork } from './pod-network.js';
import { claimSubnet, releaseSubnet } from '../controller/subnet-claim.js';

const run = promisify(execFile);
const pebbleBin = process.env['PEBBLE_BIN'] ?? resolve(import.meta.dirname, '../../../../tools/bin/pebble');
const isRoot = process.getuid?.() === 0;

async function output(pod: Pod, script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = pod.exec(['/bin/sh', '-c', script], { PATH: '/usr/bin:/bin' }, '/var/lib/juju');
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('close', r));
  return { code, stdout, stderr };
}

async function waitFor<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!isRoot)('Pod (real namespaces, overlayfs and Pebble)', () => {
  let root: string;
  let pod: Pod;
  let spec: PodSpec;
  const layout = () => modelLayout(root);
  let subnet = 0;
  let network: PodNetwork;
  let address = '';

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sim-pod-'));
    const l = layout();
    await mkdir(l.tools, { recursive: true });
    await mkdir(l.run, { recursive: true });
    subnet = await claimSubnet(root);
    network = { holder: await startModelNetwork(l.network, root, subnet), subnet };
    address = `127.${subnet}.0.2`;
    await writeFile(l.hosts, renderHostsFile('m', [{ podName: 'app-0', app: 'app', address }]));
    spec = {
      model: 'm',
      unit: 'app/0',
      app: 'app',
      podName: 'app-0',
      address,
      containers: [{ name: 'work', mounts: [{ storage: 'data', location: '/var/lib/data' }] }],
      storage: [{ name: 'data', location: '/var/lib/juju/storage/data/0', hostDir: storageDir(l, 'data/0') }],
    };
    pod = await Pod.start({ layout: l, pebbleBin, network }, spec, async (agentDir) => {
      await writeFile(join(agentDir, 'charm', 'dispatch'), '#!/bin/sh\necho dispatched\n', { mode: 0o755 });
    });
  });

  afterAll(async () => {
    await pod?.kill();
    await reapModelNetwork(layout().network);
    await releaseSubnet(root, subnet);
    await rm(root, { recursive: true, force: true });
  });

  it('gives the charm view Juju paths, the pod hostname and the resolvable pod FQDN', async () => {
    const r = await output(
      pod,
      'hostname; ls /var/lib/juju/agents/unit-app-0/charm; test -S /charm/containers/work/pebble.socket && echo socket; ' +
        'test -d /var/lib/juju/storage/data/0 && echo storage; getent hosts app-0.app-endpoints.m.svc.cluster.local; echo $$',
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      'app-0',
      'dispatch',
      'socket',
      'storage',
      expect.stringMatching(
        new RegExp(`^${address.replaceAll('.', '\\.')}\\s+app-0\\.app-endpoints\\.m\\.svc\\.cluster\\.local`),
      ),
      expect.stringMatching(/^\d+$/),
      '',
    ]);
    expect(Number(r.stdout.trim().split('\n').at(-1))).toBeGreaterThan(1);
  });

  it('has its own network namespace: eth0 carries the pod address, 0.0.0.0 binds it, the host reaches it', async () => {
    const r = await output(pod, 'ip -o -4 addr show dev eth0; ip -o -4 addr show | wc -l');
    expect(r.stdout).toContain(`inet ${address}/32`);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('2'); // lo and eth0 only
    const server = pod.exec(
      [
        '/usr/bin/python3',
        '-c',
        'import socket,sys\ns=socket.socket();s.bind(("0.0.0.0",7000));s.listen();print("up",flush=True)\nc,a=s.accept();c.sendall(a[0].encode());c.close()',
      ],
      { PATH: '/usr/bin:/bin' },
      '/',
    );
    // listen for the exit now: the server may close before the client's 'end' handler returns
    const closed = new Promise((res) => server.on('close', res));
    await new Promise<void>((res) => server.stdout?.once('data', () => res()));
    const peer = await new Promise<string>((res, rej) => {
      const c = createConnection({ host: address, port: 7000 });
      let got = '';
      c.on('data', (d: Buffer) => (got += d.toString()));
      c.on('end', () => res(got));
      c.on('error', rej);
    });
    expect(peer).toBe(`127.${subnet}.0.1`); // the host's end of the model network
    await closed;
  });

  it('runs a real Pebble as PID 1 of the workload container, reachable from the host and the charm view', async () => {
    const client = new PebbleClient({ socketPath: pod.socketPath('work') });
    try {
      const info = await waitFor('pebble', () => client.getSystemInfo());
      expect(info.bootId).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await client.close();
    }
    const r = await output(
      pod,
      'PEBBLE_SOCKET=/charm/containers/work/pebble.socket /charm/bin/pebble exec -- sh -c "hostname; echo \\$\\$; echo kept > /var/lib/data/f; touch /etc/written"',
    );
    expect(r.stdout).toBe('app-0\n' + r.stdout.split('\n')[1] + '\n');
    expect(await readFile(join(storageDir(layout(), 'data/0'), 'f'), 'utf8')).toBe('kept\n');
    await expect(readFile('/etc/written')).rejects.toThrow();
  });

  it('writes of the charm view land in its overlay, not on the host', async () => {
    const r = await output(pod, 'echo x > /etc/charm-sim-probe && cat /etc/charm-sim-probe');
    expect(r.stdout).toBe('x\n');
    await expect(readFile('/etc/charm-sim-probe')).rejects.toThrow();
    expect(await readFile(join(pod.layout.charmView.upper, 'etc/charm-sim-probe'), 'utf8')).toBe('x\n');
  });

  it('mounts nothing in the host mount namespace', async () => {
    const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
    expect(mountinfo).not.toContain(root);
  });

  it('reports a crashed workload container and restarts just that container with a new Pebble', async () => {
    const exits: string[] = [];
    pod.onUnexpectedExit((v) => exits.push(v.kind === 'charm' ? 'charm' : v.container));
    const client = new PebbleClient({ socketPath: pod.socketPath('work') });
    const before = await waitFor('pebble', () => client.getSystemInfo());
    const charmPid = pod.pid({ kind: 'charm' });
    process.kill(pod.pid({ kind: 'workload', container: 'work' }) ?? 0, 'SIGKILL');
    await waitFor('the exit report', async () => (exits.length > 0 ? exits : undefined));
    expect(exits).toEqual(['work']);
    await pod.restartContainer('work');
    const after = await waitFor('the new pebble', async () => {
      const info = await client.getSystemInfo();
      return info.bootId !== before.bootId ? info : undefined;
    });
    await client.close();
    expect(after.bootId).not.toBe(before.bootId);
    expect(pod.pid({ kind: 'charm' })).toBe(charmPid);
    const r = await output(pod, 'cat /var/lib/juju/storage/data/0/f; ls /var/lib/juju/agents/unit-app-0/charm');
    expect(r.stdout).toBe('kept\ndispatch\n');
  });

  it('kill-pod ends every process at once, keeps storage, and a new pod gets a new Pebble boot id', async () => {
    const oldPids = pod.pids;
    const client = new PebbleClient({ socketPath: pod.socketPath('work') });
    const before = await waitFor('pebble', () => client.getSystemInfo());
    await client.close();
    await pod.kill();
    for (const pid of oldPids) await expect(run('kill', ['-0', String(pid)])).rejects.toThrow();
    pod = await Pod.start({ layout: layout(), pebbleBin, network }, spec, () => Promise.resolve());
    const c2 = new PebbleClient({ socketPath: pod.socketPath('work') });
    try {
      const after = await waitFor('pebble', () => c2.getSystemInfo());
      expect(after.bootId).not.toBe(before.bootId);
    } finally {
      await c2.close();
    }
    const r = await output(pod, 'cat /var/lib/juju/storage/data/0/f; ls /var/lib/juju/agents/unit-app-0/charm | wc -l');
    expect(r.stdout).toBe('kept\n0\n');
  });

  it('keeps the MAC of the pod address across kill-pod, so the host never holds a dead neighbour entry', async () => {
    const mac = async () => (await output(pod, 'ip -o link show dev eth0')).stdout.match(/link\/ether (\S+)/)?.[1];
    const before = await mac();
    expect(before).toBe(podMac(address));
    await pod.kill();
    pod = await Pod.start({ layout: layout(), pebbleBin, network }, spec, () => Promise.resolve());
    expect(await mac()).toBe(before);
    // the new pod announced itself: the host's entry for the address names that MAC
    const { stdout } = await run('ip', ['neigh', 'show', address]);
    expect(stdout).toContain(`lladdr ${podMac(address)}`);
    expect(podMac('127.1.0.3')).toBe('02:00:7f:01:00:03');
  });

  it('reapRecordedPods kills pods from their pid records alone', async () => {
    const pids = pod.pids;
    expect(await reapRecordedPods(layout())).toEqual(['app-0']);
    for (const pid of pids) await expect(run('kill', ['-0', String(pid)])).rejects.toThrow();
    expect((await readFile('/proc/self/mountinfo', 'utf8')).includes(root)).toBe(false);
  });
});
