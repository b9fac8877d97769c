import { join } from 'node:path';
import { startupSnapshot } from 'node:v8';
import { openEventLog, type EventInput, type EventLog } from '@charms/event-log';
import { config as zodConfig } from 'zod';
import { Container } from '../containers/container.js';
import { parseJujuContext, type JujuContext } from '../context/juju-context.js';
import { CharmError, errorToJSON } from '../errors.js';
import { execFileRunner, type HookToolRunner } from '../hook-tools/runner.js';
import { createCharmLogger } from '../logging/logger.js';
import { redactSecrets, secretsIn } from '../logging/secret-registry.js';
import { Model } from '../model/model.js';
import { applyRelationWrites } from '../model/relation-writes.js';
import type { CharmMeta } from '../meta/schema.js';
import type { StatusValue } from '../model/status.js';
import type {
  CharmDefinition,
  CharmEventDefinitions,
  DesiredBase,
  HookWorld,
  OutcomeBase,
  Verified,
} from './definition.js';
import { corruptionIn, repairDamagedLog } from './log-repair.js';
import type { Stage } from './standard-events.js';

/** Seams of {@link runHook}; all default to the real world. */
export interface RunHookOptions {
  env?: Record<string, string | undefined>;
  runner?: HookToolRunner;
  /** Event log directory (default `$JUJU_CHARM_DIR/.event-log`). */
  logDir?: string;
  /** Root of the containers' Pebble sockets (default `/charm/containers`). */
  containersRoot?: string;
  meta?: CharmMeta;
  clock?: () => Date;
  /** Where stderr lines go (default process.stderr). */
  stderr?: { write(line: string): unknown };
  /** Snapshot the projection every this many records (default 16, so a fold reads few records). */
  snapshotEvery?: number;
  /** Start a new segment past this many bytes (default 1 MiB). */
  maxSegmentBytes?: number;
}

/** What one dispatch did. */
export interface HookRun {
  exitCode: 0 | 1;
  /** Seq of the recorded hook event, if it was recorded. */
  eventSeq: number | null;
  stage: Stage | 'done';
  error?: CharmError | Error;
}

/**
 * Runs one dispatch through the pipeline: context -> observe -> record (durable, before any
 * effect) -> fold -> plan -> reconcile -> verify. A failure at any stage after the log opened is
 * appended as a `hook-failed` event, logged, and yields exit code 1; the log stays consistent.
 */
export async function runHook<D extends CharmEventDefinitions, S, P extends DesiredBase, O extends OutcomeBase>(
  charm: CharmDefinition<D, S, P, O>,
  options: RunHookOptions = {},
): Promise<HookRun> {
  const stderr = options.stderr ?? process.stderr;
  const trace = traceMarks(options.env ?? process.env, stderr);
  trace('start');
  let context: JujuContext;
  try {
    context = parseJujuContext(options.env ?? process.env);
  } catch (e) {
    stderr.write(`ERROR ${(e as Error).message}\n`);
    return { exitCode: 1, eventSeq: null, stage: 'context', error: e as Error };
  }
  const runner = options.runner ?? execFileRunner({ env: { ...process.env, ...options.env } });
  const { logger, flush } = createCharmLogger({ runner, stderr, bindings: { hook: context.event.name } });
  const model = new Model({ context, runner, ...(options.meta === undefined ? {} : { meta: options.meta }) });
  const containers = new Map<string, Container>();
  const world: HookWorld = {
    context,
    model,
    logger,
    container: (name) => {
      let c = containers.get(name);
      if (c === undefined) {
        c = new Container(name, options.containersRoot === undefined ? {} : { root: options.containersRoot });
        containers.set(name, c);
      }
      return c;
    },
  };
  let stage: Stage = 'open-log';
  let eventSeq: number | null = null;
  let log: EventLog<D, S> | undefined;
  // observe only reads the world, so the log opens while the hook's facts are gathered
  const logDir = options.logDir ?? join(context.charmDir, '.event-log');
  const opening = openEventLog<D, S>({
    dir: logDir,
    schema: charm.events,
    projection: charm.projection,
    snapshotEvery: options.snapshotEvery ?? 16,
    maxSegmentBytes: options.maxSegmentBytes ?? 1 << 20,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    onReport: (r) => logger.warn({ report: r.kind }, r.message),
    // mid-log damage is moved aside below instead of failing every hook at open-log forever
    allowDamaged: true,
  });
  const observing = charm.observe(world);
  observing.catch(() => undefined);
  try {
    log = await opening;
    if (log.damage !== null) await repairDamagedLog(log, log.damage, context, logDir, logger);
    trace('open-log');
    stage = 'observe';
    const event = await observing;
    trace('observe');
    stage = 'record';
    eventSeq = (await append(log, event)).seq;
    trace('record');
    stage = 'fold';
    const { state } = await log.fold(charm.projection).catch(async (e: unknown) => {
      // damage in an older segment (opening verifies only the newest): move it aside, record again
      const damage = corruptionIn(e);
      if (damage === undefined || log === undefined) throw e;
      await repairDamagedLog(log, damage, context, logDir, logger);
      eventSeq = (await append(log, event)).seq;
      return log.fold(charm.projection);
    });
    trace('fold');
    stage = 'plan';
    const desired = charm.plan(state);
    stage = 'reconcile';
    const outcome = await charm.reconcile(desired, world, state);
    trace('reconcile');
    let verified: Verified<D> = {};
    if (charm.verify !== undefined) {
      stage = 'verify';
      verified = await charm.verify(desired, outcome, world, state);
      if (verified.observation !== undefined) await append(log, verified.observation);
    }
    await applyBase(world, desired, outcome, verified.unitStatus);
    trace('apply');
    if (context.action !== undefined) {
      const action = await model.action();
      const handler = charm.actions?.[context.action.name];
      if (handler === undefined) await action.fail(`action ${context.action.name} is not implemented by this charm`);
      else await handler(action, world, state);
    }
    logger.debug({ seq: eventSeq }, 'hook done');
    return { exitCode: 0, eventSeq, stage: 'done' };
  } catch (e) {
    const err = errorToJSON(e);
    const message = redactSecrets(err.message);
    logger.error({ err: e, stage }, `cannot complete ${context.event.name} (${stage}): ${message}`);
    if (log !== undefined) {
      const failed = {
        type: 'hook-failed',
        payload: { hook: context.event.name, stage, eventSeq, error: { name: err.name, code: err.code, message } },
      };
      await log
        .append(failed as EventInput<D>)
        .catch((again: unknown) => logger.error({ err: again }, 'cannot record the hook failure'));
    }
    return { exitCode: 1, eventSeq, stage, error: e as Error };
  } finally {
    await Promise.all([...containers.values()].map((c) => c.close().catch(() => undefined)));
    await log?.close().catch((e: unknown) => logger.error({ err: e }, 'cannot close the event log'));
    await flush();
    trace('end');
  }
}

/** With CHARM_SDK_TRACE set, writes `trace <stage> <ms since process start>` lines to stderr. */
function traceMarks(
  env: Record<string, string | undefined>,
  stderr: { write(line: string): unknown },
): (mark: string) => void {
  if (!env['CHARM_SDK_TRACE']) return () => undefined;
  return (mark) => stderr.write(`trace ${mark} ${performance.now().toFixed(1)}\n`);
}

async function append<D extends CharmEventDefinitions, S>(log: EventLog<D, S>, event: EventInput<D>) {
  const encoded = log.schema.encode(event);
  if (secretsIn(encoded.payloadJson)) {
    throw new CharmError(
      'pipeline',
      `cannot record the "${encoded.type}" event: its payload carries a secret value; record a secret reference instead`,
      { type: encoded.type },
    );
  }
  return log.append(event);
}

async function applyBase(
  world: HookWorld,
  desired: DesiredBase,
  outcome: OutcomeBase,
  verifiedStatus: StatusValue | undefined,
): Promise<void> {
  const { model } = world;
  const unitStatus = verifiedStatus ?? outcome.unitStatus ?? desired.unitStatus;
  const work: Promise<unknown>[] = [];
  if (unitStatus !== undefined) work.push(model.setUnitStatus(unitStatus));
  if (desired.appStatus !== undefined)
    work.push(
      model
        .isLeader()
        .then((leader) =>
          leader ? model.setAppStatus(desired.appStatus as NonNullable<DesiredBase['appStatus']>) : undefined,
        ),
    );
  if (desired.ports !== undefined) work.push(model.setPorts(desired.ports));
  if (desired.workloadVersion !== undefined) work.push(model.setWorkloadVersion(desired.workloadVersion));
  const relations = outcome.relations ?? desired.relations;
  if (relations !== undefined && relations.length > 0)
    work.push(
      applyRelationWrites(model, relations).then((changed) => {
        if (changed.length > 0) world.logger.debug({ changed }, 'relation data published');
      }),
    );
  await Promise.all(work);
}

/**
 * Entry point of a packed charm: runs the dispatch and sets the process exit code. While `pack`
 * builds the startup snapshot it only registers itself, so a dispatch from the snapshot starts
 * with every module already evaluated.
 */
export function main<D extends CharmEventDefinitions, S, P extends DesiredBase, O extends OutcomeBase>(
  charm: CharmDefinition<D, S, P, O>,
  options: RunHookOptions = {},
): Promise<void> {
  const run = async () => {
    // a dispatch parses a handful of values: compiling zod's fast paths costs more than it saves
    zodConfig({ jitless: true });
    const { exitCode } = await runHook(charm, options);
    // everything is flushed and closed; do not wait for stray handles of charm code
    process.exit(exitCode);
  };
  if (startupSnapshot?.isBuildingSnapshot()) {
    startupSnapshot.setDeserializeMainFunction(() => void run());
    zodConfig({ jitless: true });
    // a failed warm-up only leaves the snapshot colder
    return import('./warm-snapshot.js')
      .then(async ({ warmSnapshot }) => void (await warmSnapshot(charm)))
      .catch(() => undefined);
  }
  return run();
}
