/**
 * Writes through Sentinel and stamps every outcome, so a failover's clocks can be read afterwards: a
 * write counts as acknowledged only when `WAIT 1 <ms>` says a replica has it.
 */
import { Redis } from 'ioredis';
import { MASTER_NAME, SENTINEL_UNITS, type Cluster } from '../../e2e/chaos/src/cluster.js';

/** One write's outcome and when it completed (ms, Date.now()). */
export interface Stamp {
  at: number;
  ok: boolean;
}

/** How the writer's ioredis client follows a failover. */
export interface ClockWriterOptions {
  /**
   * ioredis's `failoverDetector`: subscribe to the sentinels' +switch-master and reconnect at once. Without it, a
   * client whose primary's pod vanished keeps its dead connection until the pod is back.
   */
  failoverDetector: boolean;
}

/** A paced writer (one write in flight) that records every outcome's time. */
export class ClockWriter {
  readonly stamps: Stamp[] = [];
  private running = true;
  private readonly loop: Promise<void>;
  private readonly client: Redis;

  constructor(cluster: Cluster, prefix: string, options: ClockWriterOptions) {
    this.client = new Redis({
      sentinels: SENTINEL_UNITS.map((u) => ({ host: cluster.address[u] as string, port: 26379 })),
      name: MASTER_NAME,
      role: 'master',
      password: cluster.adminPassword,
      sentinelPassword: cluster.sentinelPassword,
      maxRetriesPerRequest: 1,
      connectTimeout: 1000,
      commandTimeout: 1500,
      sentinelRetryStrategy: () => 100,
      retryStrategy: () => 100,
      reconnectOnError: (e) => (e.message.startsWith('READONLY') ? 2 : false),
      protocol: 2,
      failoverDetector: options.failoverDetector,
    });
    this.client.on('error', () => undefined);
    this.loop = this.run(prefix);
  }

  private async run(prefix: string): Promise<void> {
    for (let seq = 0; this.running; seq++) {
      let ok = false;
      try {
        await this.client.set(`${prefix}:${seq}`, String(seq));
        ok = Number(await this.client.call('WAIT', '1', '500')) >= 1;
      } catch {
        ok = false;
      }
      this.stamps.push({ at: Date.now(), ok });
      if (!ok) await new Promise((r) => setTimeout(r, 20));
      else await new Promise((r) => setTimeout(r, 5));
    }
  }

  /**
   * The first acknowledged write after the first failed one at or after `t0`; with no failure since `t0`, the end of
   * the longest wait for one write (ioredis holds a write through a short outage instead of failing it).
   */
  firstAckAfterOutage(t0: number): number | undefined {
    const after = this.stamps.filter((s) => s.at >= t0);
    const firstFail = after.findIndex((s) => !s.ok);
    if (firstFail !== -1) return after.slice(firstFail).find((s) => s.ok)?.at;
    let longest: Stamp | undefined;
    let gap = -1;
    for (const [i, s] of after.entries()) {
      const g = s.at - (i === 0 ? t0 : (after[i - 1] as Stamp).at);
      if (s.ok && g > gap) [gap, longest] = [g, s];
    }
    return longest?.at;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.client.disconnect();
  }
}
