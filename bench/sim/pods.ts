/**
 * charm-sim pod costs: start and kill of a pod (its network namespace, charm view + 2 workload
 * containers, real Pebble), and the price of running a hook through `nsenter` into the charm view versus a plain
 * fork+exec.
 * Run as root: node --conditions=@charms/source --import tsx bench/sim/pods.ts
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelLayout, storageDir } from '../../apps/sim/src/pods/layout.js';
import { Pod } from '../../apps/sim/src/pods/pod.js';
import { reapModelNetwork, startModelNetwork } from '../../apps/sim/src/pods/pod-network.js';
import { claimSubnet, releaseSubnet } from '../../apps/sim/src/controller/subnet-claim.js';
import { pebbleBin } from '../../apps/sim/src/runtime/paths.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const run = (file: string, args: string[]) =>
  new Promise<void>((resolve, reject) =>
    spawn(file, args, { stdio: 'ignore' }).once('close', (c) =>
      c === 0 ? resolve() : reject(new Error(`${file} exited ${c}`)),
    ),
  );

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'sim-bench-'));
  const layout = modelLayout(root);
  await Promise.all([
    mkdir(layout.tools, { recursive: true }),
    mkdir(layout.run, { recursive: true }),
    writeFile(layout.hosts, '127.0.0.1 localhost\n'),
  ]);
  // pods plug into a model network (bridge namespace), as under the controller
  const subnet = await claimSubnet(root);
  const network = { holder: await startModelNetwork(layout.network, root, subnet), subnet };
  const spec = {
    model: 'bench',
    unit: 'a/0',
    app: 'a',
    podName: 'a-0',
    address: `127.${subnet}.0.2`,
    containers: [
      { name: 'c1', mounts: [{ storage: 'd', location: '/srv' }] },
      { name: 'c2', mounts: [] },
    ],
    storage: [{ name: 'd', location: '/var/lib/juju/storage/d/0', hostDir: storageDir(layout, 'd/0') }],
  };
  const starts: number[] = [];
  const kills: number[] = [];
  try {
    for (let i = 0; i < 10; i++) {
      let t = performance.now();
      const pod = await Pod.start({ layout, pebbleBin: pebbleBin(), network }, spec, () => Promise.resolve());
      starts.push(performance.now() - t);
      if (i === 9) {
        const plain: number[] = [];
        const entered: number[] = [];
        for (let k = 0; k < 100; k++) {
          t = performance.now();
          await run('/bin/true', []);
          plain.push(performance.now() - t);
          t = performance.now();
          await new Promise<void>((resolve) => pod.exec(['/bin/true'], {}, '/').once('close', () => resolve()));
          entered.push(performance.now() - t);
        }
        console.log(
          `hook exec: plain fork+exec ${median(plain).toFixed(2)} ms, via nsenter into the charm view ${median(entered).toFixed(2)} ms (median of 100)`,
        );
      }
      t = performance.now();
      await pod.kill();
      kills.push(performance.now() - t);
    }
    console.log(
      `pod (charm view + 2 workload containers): start ${median(starts).toFixed(0)} ms, kill ${median(kills).toFixed(0)} ms (median of 10)`,
    );
  } finally {
    await reapModelNetwork(layout.network);
    await releaseSubnet(root, subnet);
    await rm(root, { recursive: true, force: true });
  }
}

await main();
