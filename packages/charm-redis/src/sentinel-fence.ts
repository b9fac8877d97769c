/**
 * The write fence of a returning primary. A primary whose redis-server starts (a new pod, a stopped
 * service, a Pebble restart; start-command.ts fences every start) while sentinels watch it may come
 * back after they began a failover: it then takes writes, its other replicas acknowledge them
 * (WAIT 1 succeeds), and the promoted replica never sees them; they are gone when sentinel demotes
 * it. So such a server starts with writes refused (`min-replicas-to-write` no server can meet,
 * clients get NOREPLICAS) and the fence is lifted only once a majority of the sentinels name it the
 * master with nothing pending: no s_down, o_down or failover in progress, and a fresh ping reply
 * from it (no failover can start without one going stale for down-after-milliseconds).
 */
import type { ConfEntry } from './redis-conf.js';
import type { RedisConnector } from './redis-client.js';

/** `min-replicas-to-write` while fenced: more replicas than any deployment has. */
export const FENCE_MIN_REPLICAS = 1_000_000;
/** A sentinel's last reply from the server must be this recent. */
const FRESH_PING_MS = 1500;
const SENTINEL_PORT = 26379;
const TROUBLE = new Set(['s_down', 'o_down', 'failover_in_progress', 'promoted', 'disconnected']);

/** One unit on a sentinel relation: its relation and the address it published (null when not yet known). */
export interface FenceSentinel {
  relationId: number;
  address: string | null;
}

/** The sentinels that may fail this primary over (desired.ts carries it for a primary with sentinels). */
export interface SentinelFenceSpec {
  /** Each related sentinel unit with a usable address or none yet (plan.ts drops invalid ones). */
  sentinels: FenceSentinel[];
  masterName: string;
  /** How long one hook waits for the sentinels to confirm, before leaving the fence to the next hook. */
  boundMs: number;
}

/** What one sentinel said about the master. */
export type SentinelView =
  | { sentinel: string; kind: 'names'; address: string; flags: string[]; lastOkPingMs: number | null }
  | { sentinel: string; kind: 'not-monitoring' }
  | { sentinel: string; kind: 'no-answer'; error: string };

/** The conf with the fence in place of the configured `min-replicas-to-write` (pure). */
export function fencedConf(conf: readonly ConfEntry[]): ConfEntry[] {
  return conf.map((e) => (e.key === 'min-replicas-to-write' ? { ...e, value: String(FENCE_MIN_REPLICAS) } : e));
}

/** Whether the sentinels' views allow lifting the fence of the server at `self`, or why not (pure). */
export function decideFence(
  self: string,
  total: number,
  views: readonly SentinelView[],
): { lift: true } | { lift: false; reason: string; superseded?: true } {
  const majority = Math.floor(total / 2) + 1;
  const answered = views.filter((v) => v.kind !== 'no-answer');
  // a majority already follows another primary: waiting cannot lift this fence, sentinel will demote this server
  const others = answered.filter((v) => v.kind === 'names' && v.address !== self);
  if (others.length >= majority) {
    const named = [...new Set(others.map((v) => (v.kind === 'names' ? v.address : '')))].join(', ');
    return {
      lift: false,
      reason: `${others.length} of ${total} sentinels name ${named} the primary`,
      superseded: true,
    };
  }
  for (const v of answered) {
    if (v.kind !== 'names') continue;
    if (v.address !== self) return { lift: false, reason: `sentinel at ${v.sentinel} names ${v.address} the primary` };
    const trouble = v.flags.filter((f) => TROUBLE.has(f));
    if (trouble.length > 0) return { lift: false, reason: `sentinel at ${v.sentinel} flags it ${trouble.join(',')}` };
    if (v.lastOkPingMs === null || v.lastOkPingMs > FRESH_PING_MS)
      return { lift: false, reason: `sentinel at ${v.sentinel} has not heard from it since it started` };
  }
  if (answered.length < majority)
    return { lift: false, reason: `only ${answered.length} of ${total} sentinels answer (${majority} needed)` };
  return { lift: true };
}

/**
 * The sentinels whose majority the fence needs (pure). Any app can be related on the `sentinel`
 * endpoint and name any units there; only a sentinel deployment that monitors this master can fail
 * it over. So a relation counts only when at least one of its units answers SENTINEL MASTER for it
 * (names a master), and then all its units count, silent ones too: a real sentinel that does not
 * answer still votes in its own deployment's failovers. A relation none of whose units monitors this
 * master (a hostile or confused app, or a sentinel app not yet configured) neither adds to the total
 * nor confirms. With no monitoring relation at all, every unit counts (nothing can be confirmed).
 */
export function fenceElectorate(
  sentinels: readonly FenceSentinel[],
  views: readonly SentinelView[],
): { total: number; views: SentinelView[]; ignored: number[] } {
  const monitoring = new Set(sentinels.filter((s, i) => views[i]?.kind === 'names').map((s) => s.relationId));
  if (monitoring.size === 0) return { total: sentinels.length, views: [...views], ignored: [] };
  const counted = sentinels.map((s) => monitoring.has(s.relationId));
  const ignored = [...new Set(sentinels.filter((_, i) => !counted[i]).map((s) => s.relationId))].sort((a, b) => a - b);
  return {
    total: counted.filter(Boolean).length,
    views: views.filter((_, i) => counted[i] === true),
    ignored,
  };
}

function pairs(reply: unknown): Map<string, string> {
  const m = new Map<string, string>();
  if (!Array.isArray(reply)) return m;
  for (let i = 0; i + 1 < reply.length; i += 2) m.set(String(reply[i]), String(reply[i + 1]));
  return m;
}

/** Asks one sentinel for its view of `masterName`. */
async function askSentinel(
  connect: RedisConnector,
  address: string,
  masterName: string,
  password: string,
  ca: string | undefined,
): Promise<SentinelView> {
  let session;
  try {
    session = await connect(
      { host: address, port: SENTINEL_PORT, password, ...(ca === undefined ? {} : { tls: { ca } }) },
      { timeoutMs: 1500 },
    );
    const m = pairs(await session.command('SENTINEL', 'MASTER', masterName));
    const lastOk = Number(m.get('last-ok-ping-reply'));
    return {
      sentinel: address,
      kind: 'names',
      address: m.get('ip') ?? '',
      flags: (m.get('flags') ?? '').split(','),
      lastOkPingMs: Number.isFinite(lastOk) ? lastOk : null,
    };
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    return /no such master/i.test(error)
      ? { sentinel: address, kind: 'not-monitoring' }
      : { sentinel: address, kind: 'no-answer', error };
  } finally {
    await session?.close().catch(() => undefined);
  }
}

/**
 * Polls the sentinels until they allow lifting the fence, a majority of them follow another primary, or
 * `spec.boundMs` passed (then: why not).
 */
export async function awaitFenceLift(
  self: string,
  spec: SentinelFenceSpec,
  password: string,
  ca: string | undefined,
  connect: RedisConnector,
  now: () => number = () => performance.now(),
): Promise<
  { lift: true; views: SentinelView[] } | { lift: false; reason: string; superseded?: true; views: SentinelView[] }
> {
  const deadline = now() + spec.boundMs;
  for (;;) {
    const views = await Promise.all(
      spec.sentinels.map(({ address: a }) =>
        a === null
          ? Promise.resolve<SentinelView>({ sentinel: '?', kind: 'no-answer', error: 'address not known yet' })
          : askSentinel(connect, a, spec.masterName, password, ca),
      ),
    );
    const electorate = fenceElectorate(spec.sentinels, views);
    const d = decideFence(self, electorate.total, electorate.views);
    if (d.lift || d.superseded === true || now() >= deadline) return { ...d, views };
    await new Promise((r) => setTimeout(r, 250));
  }
}
