/**
 * Pod networks. Each model gets a "model" network namespace holding a bridge; each pod gets its own
 * network namespace whose `eth0` (one end of a veth pair, the other end on the bridge) carries the
 * pod's address `127.<subnet>.x.y`. The host reaches the model through one more veth pair
 * (`csim-<subnet>` on the host, address `127.<subnet>.0.1`) and a route for `127.<subnet>.0.0/16`
 * in the host's `local` table (more specific than its `local 127.0.0.0/8`). Every address is in
 * 127.0.0.0/8 and every link ends in a namespace the sim created, so no packet can leave the machine;
 * `route_localnet` lets those 127.x packets cross the veths. A namespace lives as long as its holder
 * process (`sleep infinity` in a fresh `unshare --net`): killing the holder (and the views) frees the
 * namespace, its links and their host ends and routes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { JujuModelError } from '@charms/juju-model';
import { killView, processStartTime, waitGone } from './namespace-process.js';

/** A process holding a network namespace. */
export interface NetHolder {
  pid: number;
  start: number;
}

const NetRecord = z.object({ pid: z.number().int(), start: z.number(), subnet: z.number().int() });

/** The host-side link of a model's network. */
export function hostLinkName(subnet: number): string {
  return `csim-${subnet}`;
}

/** The host's own address on a model's network. */
export function hostAddress(subnet: number): string {
  return `127.${subnet}.0.1`;
}

/** `/proc` path of a holder's network namespace (for `nsenter --net=`). */
export function netnsPath(holder: NetHolder): string {
  return `/proc/${holder.pid}/ns/net`;
}

function run(file: string, args: readonly string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.once('error', (e) => reject(new JujuModelError('pod-failed', `cannot ${what}: ${e.message}`)));
    child.once('close', (code) =>
      code === 0
        ? resolve()
        : reject(
            new JujuModelError(
              'pod-failed',
              `cannot ${what}: ${stderr.trim() || `exit ${code}`} (needs root, iproute2 and a kernel with veth and bridge)`,
            ),
          ),
    );
  });
}

/** Runs a `/bin/sh -e` script inside a holder's network namespace. */
function inNetns(holder: NetHolder, script: string, what: string): Promise<void> {
  return run('nsenter', [`--net=${netnsPath(holder)}`, '/bin/sh', '-ec', script], what);
}

/**
 * Starts a holder of a fresh network namespace with `lo` up. `cwd` is a dir of the model, so a
 * leaked holder shows up in the e2e leak check (its cwd names the model dir).
 */
export async function startHolder(cwd: string, what: string): Promise<NetHolder> {
  const child: ChildProcess = spawn('unshare', ['--net', 'sleep', 'infinity'], {
    cwd,
    stdio: 'ignore',
    detached: true,
  });
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new JujuModelError('pod-failed', `cannot start the network namespace of ${what}`);
  const deadline = Date.now() + 10_000;
  // unshare execs sleep once the namespace exists
  while (Date.now() < deadline) {
    const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === 'sleep') break;
    if (comm === '') throw new JujuModelError('pod-failed', `cannot create the network namespace of ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
  const start = await processStartTime(pid);
  if (start === undefined) throw new JujuModelError('pod-failed', `the network namespace holder of ${what} died`);
  const holder = { pid, start };
  await inNetns(holder, 'ip link set lo up', `bring up lo in ${what}`);
  return holder;
}

/** Kills a holder (if it is still the same process) and waits for it. */
export async function stopHolder(holder: NetHolder): Promise<void> {
  if (await killView(holder.pid, holder.start)) await waitGone(holder.pid);
}

/**
 * Creates the model network: the bridge namespace, the host link `csim-<subnet>` with
 * `127.<subnet>.0.1` and the host route to the pods. A leftover link of the same subnet (a crashed
 * model whose claim was taken over) is deleted first: the caller holds the subnet's claim.
 */
export async function startModelNetwork(recordFile: string, cwd: string, subnet: number): Promise<NetHolder> {
  await reapModelNetwork(recordFile);
  const link = hostLinkName(subnet);
  await run('ip', ['link', 'del', link], `delete the stale ${link}`).catch(() => undefined);
  const holder = await startHolder(cwd, `model network ${subnet}`);
  await writeFile(recordFile, JSON.stringify({ ...holder, subnet }));
  try {
    await run(
      'ip',
      ['link', 'add', link, 'type', 'veth', 'peer', 'name', 'up0', 'netns', String(holder.pid)],
      `create ${link}`,
    );
    await inNetns(
      holder,
      'ip link add br0 type bridge; ip link set br0 up; ip link set up0 master br0 up',
      'create the model bridge',
    );
    const host = hostAddress(subnet);
    await writeFile(`/proc/sys/net/ipv4/conf/${link}/route_localnet`, '1');
    await run('ip', ['addr', 'add', `${host}/32`, 'dev', link], `address ${link}`);
    // the alias names the model dir, so the e2e leak check finds a leaked link
    await run('ip', ['link', 'set', link, 'alias', `charm-sim ${cwd}`, 'up'], `bring up ${link}`);
    await run(
      'ip',
      ['route', 'add', `127.${subnet}.0.0/16`, 'dev', link, 'table', 'local', 'src', host],
      `route 127.${subnet}.0.0/16 to ${link}`,
    );
  } catch (error) {
    await stopHolder(holder);
    await rm(recordFile, { force: true });
    throw error;
  }
  return holder;
}

/** Kills the model network recorded in `recordFile` (a crashed or stopped controller's), if any. */
export async function reapModelNetwork(recordFile: string): Promise<void> {
  let rec: z.infer<typeof NetRecord>;
  try {
    rec = NetRecord.parse(JSON.parse(await readFile(recordFile, 'utf8')));
  } catch {
    return;
  }
  // deleting the host end removes both ends at once (a dying namespace frees its links only later)
  const link = hostLinkName(rec.subnet);
  if ((await processStartTime(rec.pid)) === rec.start)
    await run('ip', ['link', 'del', link], `delete ${link}`).catch(() => undefined);
  await stopHolder(rec);
  await rm(recordFile, { force: true });
}

/**
 * The MAC of a pod's `eth0`, fixed by its address (locally administered, `02:00:` + the 4 address
 * bytes): a pod recreated by kill-pod keeps it, so the neighbour caches of the host and of the other
 * pods stay right. With a fresh MAC they sent to the dead one until their entry failed (up to a
 * minute), and a returning primary was unreachable for its sentinels.
 */
export function podMac(address: string): string {
  const bytes = address.split('.').map(Number);
  if (bytes.length !== 4 || bytes.some((b) => !Number.isInteger(b) || b < 0 || b > 255))
    throw new JujuModelError('pod-failed', `pod address ${JSON.stringify(address)} is not an IPv4 address`);
  return ['02', '00', ...bytes.map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/**
 * Gives a pod namespace its `eth0` with `address` (and {@link podMac}), plugged into the model
 * bridge, and a route to the rest of the model (pods and the host) in its `local` table. The bridge
 * port gets a random name, as the previous pod of the same name may still be freeing its namespace;
 * one frame sent from the new `eth0` moves the bridge's entry for the MAC to the new port.
 */
export async function attachPod(model: NetHolder, pod: NetHolder, address: string, subnet: number): Promise<void> {
  const port = `p${randomBytes(5).toString('hex')}`;
  await inNetns(
    model,
    `ip link add ${port} type veth peer name eth0 address ${podMac(address)} netns ${pod.pid}; ip link set ${port} master br0 up`,
    `plug pod ${address} into the model bridge`,
  );
  await inNetns(
    pod,
    [
      'echo 1 > /proc/sys/net/ipv4/conf/eth0/route_localnet',
      `ip addr add ${address}/32 dev eth0`,
      'ip link set eth0 up',
      `ip route add 127.${subnet}.0.0/16 dev eth0 table local src ${address}`,
      // a refused connect to the host: its ARP request teaches the bridge the new port (no arping here)
      `timeout 2 bash -c 'exec 3<>/dev/tcp/${hostAddress(subnet)}/9' 2>/dev/null || true`,
    ].join('; '),
    `address pod ${address}`,
  );
}
