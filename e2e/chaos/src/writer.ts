/**
 * Continuous writes through Sentinel with acknowledged-write accounting: each write is a unique
 * sequence number, acknowledged only when `WAIT 1 <ms>` confirms a replica has it.
 */
import { setTimeout as pause } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { MASTER_NAME, SENTINEL_UNITS, SETTINGS, type Cluster } from './cluster.js';

/** What a writer saw. */
export interface WriteStats {
  attempted: number;
  acknowledged: number[];
  failed: number;
  /** Longest span from a first failed write to the next acknowledged one. */
  longestUnavailableMs: number;
}

/** Writes `<prefix>:<seq>` = seq until stopped; pacing keeps the 2-core machine's load sane. */
export class Writer {
  private readonly client: Redis;
  private running = true;
  private loop: Promise<void> | undefined;
  private outageStart: number | null = null;
  readonly stats: WriteStats = { attempted: 0, acknowledged: [], failed: 0, longestUnavailableMs: 0 };

  constructor(
    cluster: Cluster,
    readonly prefix: string,
  ) {
    this.client = new Redis({
      sentinels: SENTINEL_UNITS.map((u) => ({ host: cluster.address[u] as string, port: 26379 })),
      name: MASTER_NAME,
      role: 'master',
      password: cluster.adminPassword,
      sentinelPassword: cluster.sentinelPassword,
      maxRetriesPerRequest: 1,
      connectTimeout: 1000,
      commandTimeout: 1500,
      sentinelRetryStrategy: () => 200,
      retryStrategy: () => 200,
      // a demoted primary answers READONLY: reconnect, which asks sentinel for the primary again
      reconnectOnError: (e) => (e.message.startsWith('READONLY') ? 2 : false),
      protocol: 2,
      autoResendUnfulfilledCommands: false,
    });
    this.client.on('error', () => undefined);
  }

  start(): this {
    this.loop = this.run();
    return this;
  }

  private async run(): Promise<void> {
    let seq = 0;
    while (this.running) {
      seq += 1;
      this.stats.attempted += 1;
      let acked = false;
      try {
        // one pipeline, never resent: a WAIT must run on the connection its SET ran on (a WAIT alone on a
        // fresh connection to another primary returns its replica count at once, a false acknowledgement)
        const replies = await this.client
          .pipeline()
          .set(`${this.prefix}:${seq}`, String(seq))
          .call('WAIT', '1', String(SETTINGS['wait-timeout-ms']))
          .exec();
        const [set, wait] = replies ?? [];
        acked = set?.[0] === null && set[1] === 'OK' && wait?.[0] === null && Number(wait[1]) >= 1;
      } catch {
        acked = false;
      }
      const now = Date.now();
      if (acked) {
        this.stats.acknowledged.push(seq);
        if (this.outageStart !== null)
          this.stats.longestUnavailableMs = Math.max(this.stats.longestUnavailableMs, now - this.outageStart);
        this.outageStart = null;
      } else {
        this.stats.failed += 1;
        this.outageStart ??= now;
        await pause(50);
      }
      await pause(10);
    }
  }

  /** Stops writing and returns the stats; an outage still open at the end counts up to now. */
  async stop(): Promise<WriteStats> {
    this.running = false;
    await this.loop;
    if (this.outageStart !== null)
      this.stats.longestUnavailableMs = Math.max(this.stats.longestUnavailableMs, Date.now() - this.outageStart);
    this.client.disconnect();
    return this.stats;
  }
}
