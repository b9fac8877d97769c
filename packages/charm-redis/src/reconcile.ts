import {
  blocked,
  waiting,
  type Container,
  type HookWorld,
  type LayerReport,
  type StatusValue,
} from '@charms/charm-sdk';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPebbleError } from '@charms/pebble-client';
import type { WorkloadSpec } from './desired.js';
import type { Verification, WorkloadObserved } from './events.js';
import { checkEmptyPrimary } from './empty-guard.js';
import { awaitHandover } from './handover.js';
import { applyLiveSettings } from './live-config.js';
import type { Passwords } from './passwords.js';
import type { RedisConnector, RedisEndpoint } from './redis-client.js';
import { confPassword, renderConf } from './redis-conf.js';
import { probeReplication } from './replication.js';
import { rotateLive } from './rotate-password.js';
import { awaitFenceLift, FENCE_MIN_REPLICAS, fencedConf } from './sentinel-fence.js';
import type { RoleCheck } from './verify.js';
import { REDIS_PORT, CONTAINER, SERVICE } from './paths.js';

const OWNER = { user: 'redis', group: 'redis' } as const;

/** What reconciling the container did, in the `workload-observed` event's own fields. */
export type WorkloadFacts = Pick<
  WorkloadObserved,
  'layerChanged' | 'restarted' | 'started' | 'filesPushed' | 'liveConfig'
> &
  Partial<Pick<WorkloadObserved, 'replicaOf' | 'passwordRotation' | 'heldEmpty' | 'fence' | 'verification'>>;

/** The outcome of {@link reconcileWorkload}. */
export interface WorkloadResult {
  observed: WorkloadFacts;
  /** Overrides the planned status (Pebble not up, cannot start, server not answering, writes fenced). */
  status?: StatusValue;
  /** Set when the server answered and was reconciled: what the verify stage checks (verify.ts). */
  check?: RoleCheck;
}

/** Seams and bounds of {@link reconcileWorkload}. */
export interface WorkloadDeps {
  connect: RedisConnector;
  /** How long to wait for a (re)started server to answer. */
  verifyTimeoutMs: number;
}

async function pushIfChanged(
  c: Container,
  path: string,
  content: string,
  mode: number,
  pushed: string[],
): Promise<void> {
  if (await c.pushIfChanged(path, content, { mode, ...OWNER })) pushed.push(path);
}

async function ensureOwned(c: Container, dir: string): Promise<void> {
  if (!(await c.exists(dir))) await c.makeDir(dir, { mode: 0o750, ...OWNER });
  const [info] = await c.pebble.listFiles(dir, { itself: true });
  if (info?.user === OWNER.user) return;
  const proc = await c.pebble.exec(['chown', `${OWNER.user}:${OWNER.group}`, dir], { timeout: 10_000 });
  await proc.wait();
}

/**
 * Why redis-server would not start, from a failed Pebble start change: its warning lines
 * (`<pid>:M <time> # <text>`) after "Configuration loaded", last two joined (pure).
 */
export function startFailureReason(changeMessage: string): string {
  const lines = changeMessage.split('\n').flatMap((l) => {
    const m = /^\s*\d+:[CMSX] .*? # (.*)$/.exec(l);
    return m ? [(m[1] as string).replace(/^Warning: /, '').trim()] : [];
  });
  const relevant = lines.slice(lines.lastIndexOf('Configuration loaded') + 1);
  return relevant.slice(-2).join('; ') || 'it exited at once (see the service log: pebble logs redis-server)';
}

/**
 * A session with the server, polling until it accepts one within `boundMs`: a start that Pebble made
 * records its notice before redis-server listens, so the notice's hook may come first.
 */
async function connectAnswering(
  connect: RedisConnector,
  endpoint: RedisEndpoint,
  boundMs: number,
  running: () => Promise<boolean>,
) {
  const deadline = performance.now() + boundMs;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await connect(endpoint, { timeoutMs: 3000 });
    } catch (e) {
      // waiting only helps a server Pebble has started
      if (performance.now() >= deadline || attempt >= 200 || (attempt === 0 && !(await running()))) throw e;
      await sleep(200);
    }
  }
}

/** Whether the running server holds the write fence (sentinel-fence.ts). */
async function isFenced(session: { command(name: string, ...args: string[]): Promise<unknown> }): Promise<boolean> {
  const reply = await session.command('CONFIG', 'GET', 'min-replicas-to-write');
  return Array.isArray(reply) && Number(reply[1]) === FENCE_MIN_REPLICAS;
}

/**
 * Makes the redis container match `spec`: TLS files and redis.conf (0600, owner redis) pushed when
 * they differ, the data dir owned by redis, the layer reconciled (a changed layer restarts
 * redis-server). Every start is write-fenced (start-command.ts): a primary the sentinels watch is
 * unfenced once they confirm it, any other server at once. Then it applies live settings with CONFIG
 * SET (and REPLICAOF when the charm owns failover). Whether the server reached its role is the verify
 * stage's to say (verify.ts).
 */
export async function reconcileWorkload(
  spec: WorkloadSpec,
  passwords: Passwords,
  world: HookWorld,
  deps: WorkloadDeps,
): Promise<WorkloadResult> {
  const observed: WorkloadFacts = { layerChanged: false, restarted: [], started: [], filesPushed: [], liveConfig: {} };
  const c = world.container(CONTAINER);
  if (!(await c.canConnect())) return { observed, status: waiting('waiting for Pebble in the redis container') };
  const pushed = observed.filesPushed;
  let ca: string | undefined;
  for (const f of spec.tls) {
    const content = (await world.model.resource(f.resource)).bytes.toString('utf8');
    if (f.resource === 'ca-cert-file') ca = content;
    await pushIfChanged(c, f.path, content, f.mode, pushed);
  }
  // a new secret revision: the running server still has the password of the redis.conf it read
  const previous = confPassword((await c.pullText(spec.paths.conf).catch(() => undefined)) ?? '');
  if (previous !== undefined && previous !== passwords.password) {
    observed.passwordRotation = await rotateLive(
      deps.connect,
      { host: spec.address, port: REDIS_PORT, ...(ca === undefined ? {} : { tls: { ca } }) },
      previous,
      passwords.password,
    );
    world.logger.info({ rotation: observed.passwordRotation }, 'admin password rotated');
  }
  await pushIfChanged(c, spec.paths.conf, renderConf(spec.conf, passwords.password, spec.header), 0o600, pushed);
  await ensureOwned(c, spec.paths.dataDir);
  if (spec.emptyGuard !== undefined) {
    const hold = await checkEmptyPrimary(c, spec.emptyGuard, passwords.password, ca, deps.connect, world);
    if (hold !== undefined) return { observed: { ...observed, heldEmpty: true }, status: hold };
  }
  let report: LayerReport;
  try {
    report = await c.reconcileLayer('redis-k8s', spec.layer);
  } catch (e) {
    if (!isPebbleError(e) || e.code !== 'change-failed') throw e;
    const reason = startFailureReason(e.message);
    observed.verification = failedStart(spec, reason);
    return { observed, status: blocked(`redis-server cannot start: ${reason}`) };
  }
  observed.layerChanged = report.layerChanged;
  observed.restarted = report.restarted;
  observed.started = report.started;
  const endpoint: RedisEndpoint = {
    host: spec.address,
    port: REDIS_PORT,
    password: passwords.password,
    ...(ca === undefined ? {} : { tls: { ca } }),
  };
  const started = report.restarted.length > 0 || report.started.length > 0;
  let session;
  try {
    // every start is fenced (start-command.ts); a start Pebble made finds the server fenced here
    const running = async () => (await c.pebble.getServices({ names: [SERVICE] }))[0]?.current === 'active';
    session = await connectAnswering(deps.connect, endpoint, deps.verifyTimeoutMs, running);
    const fenced = await isFenced(session);
    const fence = spec.sentinelFence;
    if (fenced && fence !== undefined) {
      const d = await awaitFenceLift(spec.address, fence, passwords.sentinelPassword, ca, deps.connect);
      world.logger.info(
        { views: d.views },
        d.lift ? 'sentinels confirm this primary: writes unfenced' : 'writes stay fenced',
      );
      if (!d.lift) {
        await applyLiveSettings(session, fencedConf(spec.conf), spec.role, false);
        return {
          observed: { ...observed, fence: { lifted: false, reason: d.reason } },
          status: waiting(`writes fenced until the sentinels confirm this primary: ${d.reason}`),
        };
      }
    }
    if (fenced) observed.fence = { lifted: true };
    if (spec.awaitHandoverFrom !== undefined && (await probeReplication(session)).role !== 'master') {
      const from = spec.awaitHandoverFrom;
      const seen = await awaitHandover(from, passwords.password, { connect: deps.connect, ...(ca ? { ca } : {}) });
      world.logger.info({ from, seen }, `taking over from the primary that left (${seen})`);
    }
    const live = await applyLiveSettings(session, spec.conf, spec.role, spec.replicaOfLive);
    observed.liveConfig = live.set;
    if (live.replicaOf !== undefined) observed.replicaOf = live.replicaOf;
    return { observed, check: { endpoint, started, view: live.view } };
  } catch (e) {
    world.logger.warn({ err: e }, 'cannot apply live settings');
    return { observed, status: waiting(`redis-server is not answering: ${(e as Error).message}`) };
  } finally {
    await session?.close();
  }
}

/** The verification of a server that would not start (pure). */
function failedStart(spec: WorkloadSpec, reason: string): Verification {
  return {
    ok: false,
    expected: spec.expectedRole,
    role: null,
    masterHost: null,
    linkStatus: null,
    connectedReplicas: null,
    runId: null,
    error: reason,
    elapsedMs: 0,
  };
}
