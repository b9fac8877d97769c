/**
 * A network partition of one pod with nftables inside the pod's own network namespace (pods have
 * one each): every packet between the pod's address and any other is dropped, both ways; traffic
 * from the address to itself still flows, so a client in that namespace plays a client stranded
 * with the isolated primary. One table per partition, deleted in `heal` (a pod recreated since has
 * a fresh namespace without it).
 */
import { execFile, spawn } from 'node:child_process';
import { access, readdir, readFile, readlink } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** An installed partition; `heal` removes it and is safe to call twice. */
export interface Partition {
  table: string;
  /** The `/proc/<pid>/ns/net` path of the isolated pod. */
  netns: string;
  heal(): Promise<void>;
}

/**
 * The network namespace of the pod whose redis-server listens on `address` (its process title names
 * it), through the pod's namespace holder (`sleep infinity`), which lives as long as the pod.
 */
export async function redisNetns(address: string): Promise<string> {
  const title = `redis-server ${address}:6379`;
  const pids = (await readdir('/proc')).filter((p) => /^\d+$/.test(p));
  let server: string | undefined;
  for (const pid of pids) {
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmd.replace(/\0/g, ' ').trim() === title) server = pid;
  }
  if (server === undefined) throw new Error(`no redis-server process titled "${title}" (is the pod up?)`);
  const ns = await readlink(`/proc/${server}/ns/net`);
  for (const pid of pids) {
    const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === 'sleep' && (await readlink(`/proc/${pid}/ns/net`).catch(() => '')) === ns)
      return `/proc/${pid}/ns/net`;
  }
  return `/proc/${server}/ns/net`;
}

function nft(netns: string, script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('nsenter', [`--net=${netns}`, 'nft', '-f', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`nft in ${netns}: ${stderr.trim()}`))));
    child.stdin.end(script);
  });
}

/** Isolates the pod at `address` (an IPv4 pod address on loopback). */
export async function isolate(address: string): Promise<Partition> {
  if (!/^127\.\d+\.\d+\.\d+$/.test(address)) throw new Error(`refusing to partition a non-loopback address ${address}`);
  const netns = await redisNetns(address);
  const table = `chaos_${process.pid}_${address.replace(/\./g, '_')}`;
  await nft(
    netns,
    [
      `add table ip ${table}`,
      `add chain ip ${table} out { type filter hook output priority 0 ; policy accept ; }`,
      `add chain ip ${table} in { type filter hook input priority 0 ; policy accept ; }`,
      `add rule ip ${table} out ip saddr ${address} ip daddr != ${address} drop`,
      `add rule ip ${table} in ip daddr ${address} ip saddr != ${address} drop`,
    ].join('\n'),
  );
  let healed = false;
  return {
    table,
    netns,
    async heal() {
      if (healed) return;
      // the namespace is gone with its pod, and the table with it
      await run('nsenter', [`--net=${netns}`, 'nft', 'delete', 'table', 'ip', table]).catch(async (e: Error) => {
        if (
          await access(netns).then(
            () => true,
            () => false,
          )
        )
          throw e;
      });
      healed = true;
    },
  };
}
