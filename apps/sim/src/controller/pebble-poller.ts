import { PebbleClient, isPebbleError } from '@charms/pebble-client';

/** What a poller reports; the controller turns each into a model observation. */
export interface PollerSink {
  bootId(bootId: string): void;
  check(name: string, status: 'up' | 'down'): void;
  notice(notice: { id: string; type: string; key: string }): void;
  /** A poll failed for a reason other than "Pebble not up yet". */
  problem(message: string): void;
}

/** Sleeps `ms`, or less when `signal` aborts; leaves no listener behind. */
const abortable = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Juju's Pebble watchers for one workload container (uniter/pebblepoller.go and the notices watcher):
 * system-info every `intervalMs` for the boot id (fast until the first answer), check states on the
 * same tick, and a notices long-poll for custom notices (and change-update, which re-reads checks at
 * once). Reports only changes. Stops when `signal` aborts.
 */
export class PebblePoller {
  private readonly client: PebbleClient;
  private lastBootId: string | undefined;
  private readonly checks = new Map<string, 'up' | 'down'>();

  constructor(
    socketPath: string,
    private readonly intervalMs: number,
    private readonly sink: PollerSink,
    private readonly signal: AbortSignal,
  ) {
    this.client = new PebbleClient({ socketPath, retry: false, timeout: 5_000 });
  }

  /** Starts both loops; resolves when they have stopped. */
  async run(): Promise<void> {
    try {
      await Promise.all([this.pollLoop(), this.noticeLoop()]);
    } finally {
      await this.client.close();
    }
  }

  private async pollLoop(): Promise<void> {
    while (!this.signal.aborted) {
      const ok = await this.pollOnce();
      await abortable(ok || this.lastBootId ? this.intervalMs : Math.min(50, this.intervalMs), this.signal);
    }
  }

  /** One system-info + checks read; false when Pebble is not reachable. */
  async pollOnce(): Promise<boolean> {
    try {
      const info = await this.client.getSystemInfo({ signal: this.signal });
      if (info.bootId !== this.lastBootId) {
        this.lastBootId = info.bootId;
        this.sink.bootId(info.bootId);
      }
      await this.pollChecks();
      return true;
    } catch (error) {
      if (!this.signal.aborted && !isStarting(error))
        this.sink.problem(`cannot poll Pebble: ${String((error as Error).message ?? error)}`);
      return false;
    }
  }

  private async pollChecks(): Promise<void> {
    const infos = await this.client.getChecks({ signal: this.signal });
    for (const info of infos) {
      if (info.status !== 'up' && info.status !== 'down') continue;
      if (this.checks.get(info.name) !== info.status) {
        const first = !this.checks.has(info.name);
        this.checks.set(info.name, info.status);
        if (!(first && info.status === 'up')) this.sink.check(info.name, info.status);
      }
    }
  }

  private async noticeLoop(): Promise<void> {
    let after: string | undefined;
    while (!this.signal.aborted) {
      try {
        // every user's notices, as Juju since 3.6.25 (a workload service running as its own user records them)
        const notices = await this.client.waitNotices({
          users: 'all',
          types: ['custom', 'change-update'],
          after,
          timeout: 0,
          signal: this.signal,
        });
        for (const n of notices) {
          after = n.lastRepeated;
          if (n.type === 'custom') this.sink.notice({ id: n.id, type: n.type, key: n.key });
        }
        if (notices.some((n) => n.type === 'change-update')) await this.pollChecks();
      } catch (error) {
        if (this.signal.aborted) return;
        if (!isStarting(error))
          this.sink.problem(`cannot wait for Pebble notices: ${String((error as Error).message ?? error)}`);
        await abortable(this.lastBootId ? this.intervalMs : 50, this.signal);
      }
    }
  }
}

function isStarting(error: unknown): boolean {
  return (
    isPebbleError(error) &&
    (error.code === 'socket-not-found' || error.code === 'connection' || error.code === 'aborted')
  );
}
