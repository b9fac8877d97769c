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

/** Where an {@link AckedWriter} writes: through sentinel, or to whatever `locate` says is the primary now. */
export type WriteTarget =
  | { sentinels: { host: string; port: number }[]; name: string; password: string; sentinelPassword: string }
  | { locate: () => Promise<string | null>; password: string };

function directClient(host: string, password: string): Redis {
  const c = new Redis({
    host,
    port: 6379,
    password,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1000,
    commandTimeout: 1000,
    protocol: 2,
    autoResendUnfulfilledCommands: false,
  });
  c.on('error', () => undefined);
  return c;
}

/**
 * Writes `<prefix>:<seq>` until stopped; a write counts only when `WAIT 1` confirmed a replica has
 * it. Through sentinel, or directly to the primary `locate` finds (asked again after every failed
 * write). Bounded by `maxWrites`.
 */
export class AckedWriter {
  private client: Redis | null = null;
  private running = true;
  private loop: Promise<void> | undefined;
  readonly stats: WriterStats = { attempted: 0, acknowledged: [], failed: 0, unavailableMs: 0, longestAckGapMs: 0 };

  constructor(
    private readonly options: WriteTarget,
    readonly prefix: string,
    private readonly maxWrites = 200_000,
  ) {
    if ('locate' in options) return;
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
      autoResendUnfulfilledCommands: false,
    });
    this.client.on('error', () => undefined);
  }

  private async connection(): Promise<Redis> {
    if (this.client !== null) return this.client;
    const o = this.options as Extract<WriteTarget, { locate: unknown }>;
    const host = await o.locate();
    if (host === null) throw new Error('no primary found');
    this.client = directClient(host, o.password);
    return this.client;
  }

  private dropDirect(): void {
    if (!('locate' in this.options)) return;
    this.client?.disconnect();
    this.client = null;
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
        const client = await this.connection();
        // one pipeline, never resent: a WAIT alone on a fresh connection to another primary would
        // return its replica count at once, a false acknowledgement of a SET that ran elsewhere
        const [set, wait] =
          (await client.pipeline().set(`${this.prefix}:${seq}`, String(seq)).call('WAIT', '1', '1000').exec()) ?? [];
        acked = set?.[0] === null && set[1] === 'OK' && wait?.[0] === null && Number(wait[1]) >= 1;
      } catch {
        acked = false;
        this.dropDirect();
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
    if ('locate' in this.options) this.options.password = password;
    if (this.client === null) return;
    this.client.options.password = password;
    this.client.options.sentinelPassword = sentinelPassword;
  }

  /** Stops writing and returns the stats. */
  async stop(): Promise<WriterStats> {
    this.running = false;
    await this.loop;
    this.client?.disconnect();
    return this.stats;
  }
}
