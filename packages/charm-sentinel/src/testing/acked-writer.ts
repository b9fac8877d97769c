import { setTimeout as pause } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** What a writer saw: every acknowledged sequence number and the outage it lived through. */
export interface WriterStats {
  attempted: number;
  acknowledged: number[];
  failed: number;
  /** Longest span from a first failed write to the next acknowledged one (ms). */
  unavailableMs: number;
  /** Longest span between two acknowledged writes (ms): it includes writes blocked by a pause. */
  longestAckGapMs: number;
}

/**
 * Writes `<prefix>:<seq>` through sentinel until stopped; a write counts only when `WAIT 1` confirmed
 * a replica has it. Bounded by `maxWrites`.
 */
export class AckedWriter {
  private readonly client: Redis;
  private running = true;
  private loop: Promise<void> | undefined;
  readonly stats: WriterStats = { attempted: 0, acknowledged: [], failed: 0, unavailableMs: 0, longestAckGapMs: 0 };

  constructor(
    options: { sentinels: { host: string; port: number }[]; name: string; password: string; sentinelPassword: string },
    readonly prefix: string,
    private readonly maxWrites = 200_000,
  ) {
    this.client = new Redis({
      sentinels: options.sentinels,
      name: options.name,
      role: 'master',
      password: options.password,
      sentinelPassword: options.sentinelPassword,
      maxRetriesPerRequest: 1,
      connectTimeout: 1000,
      commandTimeout: 1000,
      sentinelRetryStrategy: () => 100,
      retryStrategy: () => 100,
      // a demoted primary answers READONLY: reconnect, which asks sentinel for the primary again
      reconnectOnError: (e) => (e.message.startsWith('READONLY') ? 2 : false),
      protocol: 2,
    });
    this.client.on('error', () => undefined);
  }

  start(): this {
    this.loop = this.run();
    return this;
  }

  private async run(): Promise<void> {
    let outage: number | null = null;
    let lastAck: number | null = null;
    for (let seq = 1; this.running && seq <= this.maxWrites; seq++) {
      this.stats.attempted += 1;
      let acked = false;
      try {
        await this.client.set(`${this.prefix}:${seq}`, String(seq));
        acked = Number(await this.client.call('WAIT', '1', '1000')) >= 1;
      } catch {
        acked = false;
      }
      const now = Date.now();
      if (acked) {
        this.stats.acknowledged.push(seq);
        if (outage !== null) this.stats.unavailableMs = Math.max(this.stats.unavailableMs, now - outage);
        if (lastAck !== null) this.stats.longestAckGapMs = Math.max(this.stats.longestAckGapMs, now - lastAck);
        outage = null;
        lastAck = now;
      } else {
        this.stats.failed += 1;
        outage ??= now;
        await pause(20);
      }
      await pause(5);
    }
  }

  /** Uses these passwords from the next (re)connection on, after a rotation; live connections stay as they are. */
  setPasswords(password: string, sentinelPassword: string): void {
    // ioredis and its sentinel connector read these options at each connect
    this.client.options.password = password;
    this.client.options.sentinelPassword = sentinelPassword;
  }

  /** Stops writing and returns the stats. */
  async stop(): Promise<WriterStats> {
    this.running = false;
    await this.loop;
    this.client.disconnect();
    return this.stats;
  }
}
