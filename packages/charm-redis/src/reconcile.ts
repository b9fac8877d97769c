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
import type { Verification } from './events.js';
import { checkEmptyPrimary } from './empty-guard.js';
import { awaitHandover } from './handover.js';
import { applyLiveSettings, type LiveResult } from './live-config.js';
import type { Passwords } from './passwords.js';
import type { RedisConnector, RedisEndpoint } from './redis-client.js';
import { confPassword, renderConf } from './redis-conf.js';
import { probeReplication } from './replication.js';
import { rotateLive, type RotationOutcome } from './rotate-password.js';
import { awaitFenceLift, FENCE_MIN_REPLICAS, fencedConf } from './sentinel-fence.js';
import { waitForRole } from './verify.js';
import { REDIS_PORT, CONTAINER, SERVICE } from './paths.js';

const OWNER = { user: 'redis', group: 'redis' } as const;

/** What reconciling the container did. */
export interface WorkloadResult {
  /** Overrides the planned status (Pebble not up, server not answering, role not reached). */
  status?: StatusValue;
  report?: LayerReport;
  filesPushed: string[];
  live?: LiveResult;
  verification?: Verification;
  /** Set when redis.conf held another admin password than the secret: what rotating it live did. */
  rotation?: RotationOutcome;
  /** redis-server was not started: an empty primary while other units hold keys (empty-guard.ts). */
  heldEmpty?: true;
  /** Writes were fenced at start (sentinel-fence.ts): whether the sentinels let this hook lift it. */
  fence?: { lifted: boolean; reason?: string };
}

/** Seams and bounds of {@link reconcileWorkload}. */
export interface WorkloadDeps {
  connect: RedisConnector;
  /** How long to wait for the expected role after a (re)start. */
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

function statusOf(v: Verification, roleText: string): StatusValue | undefined {
  if (v.ok) return undefined;
  if (v.role === null) return waiting(`redis-server is not answering yet${v.error ? `: ${v.error}` : ''}`);
  if (v.expected === 'slave' && v.role === 'slave')
    return waiting(`${roleText}: replication link is ${v.linkStatus ?? 'unknown'}`);
  return waiting(`redis-server reports role ${v.role}, expected ${roleText}`);
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

/** Lifts the start fence of a server with no sentinel fence to wait for; a failure leaves it to the next hook. */
async function liftQuietly(deps: WorkloadDeps, endpoint: RedisEndpoint, spec: WorkloadSpec, world: HookWorld) {
  const wanted = spec.conf.find((e) => e.key === 'min-replicas-to-write')?.value;
  if (typeof wanted !== 'string') return;
  let session;
  try {
    session = await deps.connect(endpoint, { timeoutMs: 2000 });
    await session.command('CONFIG', 'SET', 'min-replicas-to-write', wanted);
  } catch (e) {
    world.logger.warn({ err: e }, 'cannot lift the start fence of this replica; the next hook will');
  } finally {
    await session?.close();
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
 * redis-server). After a (re)start it waits for the expected role. Every start is write-fenced
 * (start-command.ts): a primary the sentinels watch is unfenced once they confirm it, any other server at
 * once. Then it applies live settings with CONFIG SET (and REPLICAOF when the charm owns failover).
 */
export async function reconcileWorkload(
  spec: WorkloadSpec,
  passwords: Passwords,
  roleText: string,
  world: HookWorld,
  deps: WorkloadDeps,
): Promise<WorkloadResult> {
  const c = world.container(CONTAINER);
  if (!(await c.canConnect())) return { status: waiting('waiting for Pebble in the redis container'), filesPushed: [] };
  const pushed: string[] = [];
  let ca: string | undefined;
  for (const f of spec.tls) {
    const content = (await world.model.resource(f.resource)).bytes.toString('utf8');
    if (f.resource === 'ca-cert-file') ca = content;
    await pushIfChanged(c, f.path, content, f.mode, pushed);
  }
  // a new secret revision: the running server still has the password of the redis.conf it read
  const previous = confPassword((await c.pullText(spec.paths.conf).catch(() => undefined)) ?? '');
  let rotation: RotationOutcome | undefined;
  if (previous !== undefined && previous !== passwords.password) {
    rotation = await rotateLive(
      deps.connect,
      { host: spec.address, port: REDIS_PORT, ...(ca === undefined ? {} : { tls: { ca } }) },
      previous,
      passwords.password,
    );
    world.logger.info({ rotation }, 'admin password rotated');
  }
  const rotated = rotation === undefined ? {} : { rotation };
  await pushIfChanged(c, spec.paths.conf, renderConf(spec.conf, passwords.password, spec.header), 0o600, pushed);
  await ensureOwned(c, spec.paths.dataDir);
  if (spec.emptyGuard !== undefined) {
    const hold = await checkEmptyPrimary(c, spec.emptyGuard, passwords.password, ca, deps.connect, world);
    if (hold !== undefined) return { ...rotated, filesPushed: pushed, status: hold, heldEmpty: true };
  }
  let report: LayerReport;
  try {
    report = await c.reconcileLayer('redis-k8s', spec.layer);
  } catch (e) {
    if (!isPebbleError(e) || e.code !== 'change-failed') throw e;
    const reason = startFailureReason(e.message);
    const expected = spec.role.kind === 'primary' ? 'master' : 'slave';
    const verification: Verification = {
      ok: false,
      expected,
      role: null,
      masterHost: null,
      linkStatus: null,
      connectedReplicas: null,
      runId: null,
      error: reason,
      elapsedMs: 0,
    };
    return { ...rotated, filesPushed: pushed, verification, status: blocked(`redis-server cannot start: ${reason}`) };
  }
  const endpoint: RedisEndpoint = {
    host: spec.address,
    port: REDIS_PORT,
    password: passwords.password,
    ...(ca === undefined ? {} : { tls: { ca } }),
  };
  const started = report.restarted.length > 0 || report.started.length > 0;
  let verification: Verification | undefined;
  if (started) {
    verification = await waitForRole(deps.connect, endpoint, spec.role, { timeoutMs: deps.verifyTimeoutMs });
    const status = statusOf(verification, roleText);
    if (status !== undefined) {
      // a replica must not stay fenced: sentinels may promote it before the next hook
      if (spec.sentinelFence === undefined) await liftQuietly(deps, endpoint, spec, world);
      return { ...rotated, report, filesPushed: pushed, verification, status };
    }
  }
  const verified = verification === undefined ? {} : { verification };
  let session;
  try {
    // every start is fenced (start-command.ts); a start Pebble made finds the server fenced here
    const running = async () => (await c.pebble.getServices({ names: [SERVICE] }))[0]?.current === 'active';
    session = await connectAnswering(deps.connect, endpoint, started ? 3000 : deps.verifyTimeoutMs, running);
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
          ...rotated,
          report,
          filesPushed: pushed,
          ...verified,
          fence: { lifted: false, reason: d.reason },
          status: waiting(`writes fenced until the sentinels confirm this primary: ${d.reason}`),
        };
      }
    }
    const fenceLifted = fenced ? { fence: { lifted: true } } : {};
    if (spec.awaitHandoverFrom !== undefined && (await probeReplication(session)).role !== 'master') {
      const from = spec.awaitHandoverFrom;
      const seen = await awaitHandover(from, passwords.password, { connect: deps.connect, ...(ca ? { ca } : {}) });
      world.logger.info({ from, seen }, `taking over from the primary that left (${seen})`);
    }
    const live = await applyLiveSettings(session, spec.conf, spec.role, spec.replicaOfLive);
    const expected = spec.role.kind === 'primary' ? 'master' : 'slave';
    const mismatch =
      live.view.role !== expected
        ? waiting(`redis-server reports role ${live.view.role}, expected ${roleText}`)
        : undefined;
    return {
      ...rotated,
      report,
      filesPushed: pushed,
      ...verified,
      ...fenceLifted,
      live,
      ...(mismatch === undefined ? {} : { status: mismatch }),
    };
  } catch (e) {
    world.logger.warn({ err: e }, 'cannot apply live settings');
    return {
      ...rotated,
      report,
      filesPushed: pushed,
      status: waiting(`redis-server is not answering: ${(e as Error).message}`),
    };
  } finally {
    await session?.close();
  }
}
