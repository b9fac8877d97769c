import type { SecretRef } from '@charms/event-log';
import { stateSet, waiting, type Container, type HookWorld, type Model, type OutcomeBase } from '@charms/charm-sdk';
import { RUNTIME_KEYS, type RuntimeSettings } from './config.js';
import { credentialsFor } from './credentials.js';
import { isSentinelError } from './errors.js';
import { CONTAINER, MYID_KEY, REDIS_ENDPOINT, SERVICE, type SentinelPaths } from './paths.js';
import { type SentinelDesired, type TlsFilesPlan, type WorkloadPlan } from './plan.js';
import { withSentinel, type SentinelConnector } from './sentinel-client.js';
import { renderSentinelConf, type SentinelSecrets } from './sentinel-conf.js';
import type { MasterView, SentinelView } from './sentinel-view.js';
import { convergeSentinels, type ConvergeSeams, type MemberReset } from './converge.js';
import type { SentinelState } from './state.js';

/** What reconciling did; verify records it when anything changed. */
export interface SentinelOutcome extends OutcomeBase {
  bootId: string | null;
  relationId: number | null;
  rendered: { hash: string } | null;
  restarted: boolean;
  started: string[];
  scriptPushed: boolean;
  set: string[];
  reset: boolean;
  /** The leader's reset pass over the application's sentinels, when it ran. */
  resets?: MemberReset[];
  forgotten?: string[];
  forgottenReplicas?: string[];
  auth: SecretRef | null;
  published: Record<string, string> | null;
  view: SentinelView | null;
}

/** Seams of {@link reconcile}. */
export interface ReconcileSeams {
  connector: SentinelConnector;
  paths: SentinelPaths;
  /** How long a just-started sentinel may take to answer (default 10 s). */
  startTimeoutMs?: number;
  /** Bounds of the reset pass (tests shorten them). */
  converge?: Pick<ConvergeSeams, 'staleTimeoutMs' | 'rediscoverTimeoutMs' | 'pollMs'>;
}

/** The local sentinel's view, read again after the reset pass. */
async function readView(plan: WorkloadPlan, secrets: SentinelSecrets, seams: ReconcileSeams): Promise<SentinelView> {
  const endpoint = { ...plan.endpoint, password: secrets.sentinelPassword };
  return withSentinel(seams.connector, endpoint, 3000, async (s) => {
    const [myid, address, master] = await Promise.all([
      s.myid(),
      s.masterAddress(plan.masterName),
      s.master(plan.masterName),
    ]);
    return { ok: true as const, myid, address, master };
  });
}

/** The `SENTINEL SET` pairs that bring `master` to `desired` (pure); values as sentinel prints them. */
export function runtimeChanges(desired: RuntimeSettings, master: MasterView): [string, string][] {
  const actual: RuntimeSettings = {
    quorum: master.quorum,
    'down-after-milliseconds': master.downAfterMilliseconds,
    'failover-timeout': master.failoverTimeout,
    'parallel-syncs': master.parallelSyncs,
  };
  return RUNTIME_KEYS.filter((k) => actual[k] !== desired[k]).map((k) => [k, String(desired[k])]);
}

/** Whether an outcome changed anything worth recording. */
export function outcomeChanged(o: SentinelOutcome): boolean {
  return (
    o.rendered !== null ||
    o.restarted ||
    o.started.length > 0 ||
    o.scriptPushed ||
    o.set.length > 0 ||
    o.reset ||
    (o.resets?.length ?? 0) > 0 ||
    (o.forgotten?.length ?? 0) > 0 ||
    (o.forgottenReplicas?.length ?? 0) > 0 ||
    o.published !== null
  );
}

async function serviceActive(container: Container): Promise<boolean> {
  const services = await container.pebble.getServices({ names: [SERVICE] });
  return services.some((s) => s.name === SERVICE && s.current === 'active');
}

async function writeIdentity(desired: SentinelDesired, { model }: HookWorld): Promise<void> {
  if (desired.persistMyid !== undefined) await stateSet(model.runner, { [MYID_KEY]: desired.persistMyid });
}

/** Pushes the TLS certificate and key (from this charm's resources) and the CA (from the relation), all 0600. */
async function writeTlsFiles(container: Container, model: Model, tls: TlsFilesPlan, dir: string): Promise<void> {
  await container.makeDir(dir, { mode: 0o700, makeParents: true });
  for (const { resource, path } of tls.resources)
    await container.push(path, (await model.resource(resource)).bytes, { mode: 0o600 });
  await container.push(tls.ca.path, tls.ca.content, { mode: 0o600 });
}

/** Pushes the script and, when due, a freshly rendered sentinel.conf (sentinel stopped meanwhile). */
async function writeFiles(
  container: Container,
  model: Model,
  plan: WorkloadPlan,
  secrets: SentinelSecrets,
  paths: SentinelPaths,
  out: SentinelOutcome,
  state: SentinelState,
): Promise<boolean> {
  if (await container.pushIfChanged(paths.scriptPath, plan.script, { mode: 0o755 })) out.scriptPushed = true;
  const render = plan.render || out.bootId !== state.pebble.bootId || !(await container.exists(paths.confFile));
  if (!render) return false;
  if (await serviceActive(container)) {
    await container.pebble.stopServices([SERVICE]);
    out.restarted = true;
  }
  await container.makeDir(paths.confDir, { mode: 0o700 });
  await container.makeDir(paths.dataDir, { mode: 0o700 });
  if (plan.tls !== undefined) await writeTlsFiles(container, model, plan.tls, paths.tlsDir);
  await container.push(paths.confFile, renderSentinelConf(plan.conf, secrets), { mode: 0o600 });
  out.rendered = { hash: plan.hash };
  out.auth = plan.authDigest;
  return true;
}

/** Applies runtime settings with `SENTINEL SET` and reads sentinel's view back. */
async function applyRuntime(
  plan: WorkloadPlan,
  secrets: SentinelSecrets,
  rendered: boolean,
  seams: ReconcileSeams,
  out: SentinelOutcome,
): Promise<void> {
  const endpoint = { ...plan.endpoint, password: secrets.sentinelPassword };
  const timeout = rendered || out.started.length > 0 ? (seams.startTimeoutMs ?? 10_000) : 3000;
  out.view = await withSentinel(seams.connector, endpoint, timeout, async (s) => {
    const master = await s.master(plan.masterName);
    const changes = runtimeChanges(plan.runtime, master);
    const withAuth: [string, string][] =
      !rendered && plan.authChanged ? [...changes, ['auth-pass', secrets.password]] : changes;
    await s.set(plan.masterName, withAuth);
    out.set = withAuth.map(([k]) => k);
    if (!rendered && plan.authChanged) out.auth = plan.authDigest;
    const [myid, address] = await Promise.all([s.myid(), s.masterAddress(plan.masterName)]);
    return {
      ok: true,
      myid,
      address,
      master: withAuth.length > 0 ? await s.master(plan.masterName) : master,
    };
  });
}

/**
 * Makes the unit match `desired`: identity, files, the Pebble layer, runtime settings and (leader)
 * the published primary. A workload that is not reachable yet gives a waiting status, not an error.
 */
export async function reconcile(
  desired: SentinelDesired,
  world: HookWorld,
  state: SentinelState,
  seams: ReconcileSeams,
): Promise<SentinelOutcome> {
  const out: SentinelOutcome = {
    bootId: state.pebble.bootId,
    relationId: state.redis?.id ?? null,
    rendered: null,
    restarted: false,
    started: [],
    scriptPushed: false,
    set: [],
    reset: false,
    auth: null,
    published: null,
    view: null,
  };
  await writeIdentity(desired, world);
  const container = world.container(CONTAINER);
  if (desired.stop) {
    if ((await container.canConnect()) && (await serviceActive(container))) {
      await container.pebble.stopServices([SERVICE]);
      world.logger.info('stopped sentinel (no redis relation to monitor, or the unit is stopping)');
    }
    return out;
  }
  const plan = desired.workload;
  if (plan === undefined) return out;
  if (!(await container.canConnect()))
    return { ...out, unitStatus: waiting('waiting for Pebble in the sentinel container') };
  const creds = await credentialsFor(world.model, plan.secretId);
  if (!creds.ok) return { ...out, unitStatus: waiting(`waiting for the credentials secret: ${creds.problem}`) };
  out.bootId = (await container.pebble.getSystemInfo()).bootId;
  const rendered = await writeFiles(container, world.model, plan, creds.secrets, seams.paths, out, state);
  const report = await container.reconcileLayer('sentinel', plan.layer);
  out.started = report.started;
  out.restarted ||= report.restarted.length > 0;
  try {
    await applyRuntime(plan, creds.secrets, rendered, seams, out);
  } catch (e) {
    if (!isSentinelError(e)) throw e;
    out.view = { ok: false, code: e.code, message: e.message };
    world.logger.warn({ code: e.code }, e.message);
    return { ...out, unitStatus: waiting(`waiting for sentinel to answer (${e.code})`) };
  }
  if (plan.converge !== undefined) {
    out.resets = await convergeSentinels(plan.converge, {
      connector: seams.connector,
      password: creds.secrets.sentinelPassword,
      ...(plan.endpoint.tls === undefined ? {} : { tls: plan.endpoint.tls }),
      ...seams.converge,
    });
    out.reset = out.resets.some((r) => r.rediscoveredMs !== null);
    if (out.resets.every((r) => r.problem === undefined || r.problem === 'unreachable; skipped')) {
      out.forgotten = [...plan.converge.departed];
      out.forgottenReplicas = [...(plan.converge.departedReplicas ?? [])];
    }
    for (const r of out.resets)
      if (r.problem === undefined)
        world.logger.info(
          r,
          `reset sentinel of ${r.unit}: forgot ${r.forgot.join(', ')}, whole again in ${r.rediscoveredMs} ms`,
        );
      else world.logger.warn(r, `sentinel of ${r.unit} not reset: ${r.problem}`);
    if (out.resets.length > 0) out.view = await readView(plan, creds.secrets, seams).catch(() => out.view);
  }
  if (desired.publish !== undefined) {
    const { relationId, data } = desired.publish;
    const relation = await world.model.relation(REDIS_ENDPOINT);
    if (relation !== undefined && relation.id === relationId) {
      // the runner writes it after the peer bag, only now that sentinel answered
      const publish = { endpoint: REDIS_ENDPOINT, relationId, app: true, data: { ...data }, skipOutOfScope: false };
      out.relations = [...(desired.relations ?? []), publish];
      out.published = { ...data };
      world.logger.info(data, 'published the new primary to the redis relation');
    }
  }
  return out;
}
