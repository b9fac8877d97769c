/**
 * A network partition of one pod address with nftables: every packet between that address and
 * any other is dropped (traffic from the address to itself still flows, so a client bound to it
 * plays a client stranded with the isolated primary). One table per partition, deleted in `heal`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** An installed partition; `heal` removes it and is safe to call twice. */
export interface Partition {
  table: string;
  heal(): Promise<void>;
}

/** Isolates `address` (an IPv4 pod address on loopback). */
export async function isolate(address: string): Promise<Partition> {
  if (!/^127\.\d+\.\d+\.\d+$/.test(address)) throw new Error(`refusing to partition a non-loopback address ${address}`);
  const table = `chaos_${process.pid}_${address.replace(/\./g, '_')}`;
  const rules = [
    `add table ip ${table}`,
    `add chain ip ${table} out { type filter hook output priority 0 ; policy accept ; }`,
    `add rule ip ${table} out ip saddr ${address} ip daddr != ${address} drop`,
    `add rule ip ${table} out ip daddr ${address} ip saddr != ${address} drop`,
  ].join('\n');
  const child = run('nft', ['-f', '-']);
  child.child.stdin?.end(rules);
  await child;
  let healed = false;
  return {
    table,
    async heal() {
      if (healed) return;
      await run('nft', ['delete', 'table', 'ip', table]);
      healed = true;
    },
  };
}
