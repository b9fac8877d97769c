/**
 * The guard against an empty primary: a primary whose data dir holds no persistence file at all
 * (its storage was lost or replaced) must not start while another unit still holds keys, or its
 * replicas would resync to its empty dataset and every acknowledged write would be gone.
 */
import type { Container, HookWorld, StatusValue } from '@charms/charm-sdk';
import { blocked, waiting } from '@charms/charm-sdk';
import type { EmptyGuardSpec } from './desired.js';
import type { RedisConnector } from './redis-client.js';
import { parseInfo } from './replication.js';
import { REDIS_PORT, SERVICE } from './paths.js';

/** What one other unit holds, as far as it answered. */
export interface PeerHolding {
  unit: string;
  /** DBSIZE, or null when it did not answer. */
  keys: number | null;
  role: string | null;
}

/** The facts the decision needs. */
export interface EmptyGuardFacts {
  /** redis-server is already running: nothing to guard (it read whatever it had). */
  running: boolean;
  /** Persistence files (RDB or AOF) found in the data dir. */
  dataFiles: number;
  peers: PeerHolding[];
}

/** Whether to start, or the status to hold with (pure). */
export function decideEmptyStart(
  facts: EmptyGuardFacts,
  spec: Pick<EmptyGuardSpec, 'dataDir' | 'via'>,
): { start: true } | { start: false; status: StatusValue } {
  if (facts.running || facts.dataFiles > 0) return { start: true };
  const holders = facts.peers.filter((p) => (p.keys ?? 0) > 0).sort((a, b) => (b.keys ?? 0) - (a.keys ?? 0));
  const top = holders[0];
  if (top === undefined) return { start: true };
  const why = `not starting an empty primary: ${spec.dataDir} holds no RDB or AOF while ${top.unit} holds ${top.keys} keys`;
  return spec.via === 'sentinel'
    ? { start: false, status: waiting(`${why}; waiting for sentinel to promote a replica`) }
    : {
        start: false,
        status: blocked(`${why}; restore this unit's storage, or remove the unit so a replica takes over`),
      };
}

const PERSISTENCE = /^(dump\.rdb|.+\.aof|.+\.rdb|.+\.manifest)$/;

/** Counts RDB/AOF files in the data dir and its appendonlydir (Redis 7 keeps AOF parts there). */
async function countDataFiles(c: Container, dataDir: string): Promise<number> {
  const list = (path: string) => c.pebble.listFiles(path).catch(() => []);
  const top = await list(dataDir);
  let n = top.filter((f) => f.type === 'file' && PERSISTENCE.test(f.name)).length;
  for (const d of top.filter((f) => f.type === 'directory'))
    n += (await list(d.path)).filter((f) => f.type === 'file' && PERSISTENCE.test(f.name)).length;
  return n;
}

async function holding(
  connect: RedisConnector,
  peer: { unit: string; address: string },
  password: string,
  ca: string | undefined,
): Promise<PeerHolding> {
  const endpoint = { host: peer.address, port: REDIS_PORT, password, ...(ca === undefined ? {} : { tls: { ca } }) };
  let session;
  try {
    session = await connect(endpoint, { timeoutMs: 1500 });
    const keys = Number(await session.command('DBSIZE'));
    const info = parseInfo(String(await session.command('INFO', 'replication')));
    return { unit: peer.unit, keys: Number.isFinite(keys) ? keys : null, role: info['role'] ?? null };
  } catch {
    return { unit: peer.unit, keys: null, role: null };
  } finally {
    await session?.close().catch(() => undefined);
  }
}

/**
 * Reads the facts (service state, data dir, what each peer holds) and decides; returns the status to
 * hold with, or undefined to go on and start redis-server.
 */
export async function checkEmptyPrimary(
  c: Container,
  spec: EmptyGuardSpec,
  password: string,
  ca: string | undefined,
  connect: RedisConnector,
  world: HookWorld,
): Promise<StatusValue | undefined> {
  const [service] = await c.pebble.getServices({ names: [SERVICE] }).catch(() => []);
  const running = service?.current === 'active';
  const dataFiles = running ? 0 : await countDataFiles(c, spec.dataDir);
  const peers =
    running || dataFiles > 0 ? [] : await Promise.all(spec.peers.map((p) => holding(connect, p, password, ca)));
  const decision = decideEmptyStart({ running, dataFiles, peers }, spec);
  if (decision.start) return undefined;
  world.logger.warn({ dataDir: spec.dataDir, peers }, decision.status.message);
  return decision.status;
}
