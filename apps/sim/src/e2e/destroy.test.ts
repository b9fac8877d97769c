/** `destroy` when the controller died: pods are reaped from their pid records alone. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ControllerPid } from '../controller/protocol.js';
import { waitGone } from '../pods/namespace-process.js';
import { isRoot, leftovers, Sim, TEST_CHARMS } from './harness.js';

describe.skipIf(!isRoot)('destroy without a controller', { timeout: 120_000 }, () => {
  let sim: Sim | undefined;
  afterAll(async () => {
    await sim?.cli(['destroy'], { allowFail: true });
  });

  it('kills the pods a SIGKILLed controller left behind and leaves no process, mount, socket or link', async () => {
    sim = await Sim.create('orphans');
    await sim.cli([
      'deploy',
      join(TEST_CHARMS, 'shell-charm'),
      'shell',
      '-n',
      '2',
      '--resource',
      'box-image=x',
      '--wait',
      '--timeout',
      '2m',
    ]);
    const pids = JSON.parse(await readFile(join(sim.layout.pods, 'shell-0', 'pids.json'), 'utf8')) as unknown[];
    expect(pids).toHaveLength(3); // charm view, workload, network holder
    const controller = ControllerPid.parse(JSON.parse(await readFile(sim.layout.controllerPid, 'utf8')));
    process.kill(controller.pid, 'SIGKILL');
    expect(await waitGone(controller.pid)).toBe(true);
    const left = await leftovers(sim.dir);
    expect(left.filter((l) => l.startsWith('process')).length).toBeGreaterThan(0);
    expect(left.filter((l) => l.startsWith('link')).length).toBe(1); // the host end of the model network
    const r = await sim.cli(['destroy']);
    expect(r.stdout).toContain('Destroyed the model');
    expect(await leftovers(sim.dir)).toEqual([]);
  });
});
