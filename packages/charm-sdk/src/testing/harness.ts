import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventLogReader, type LoggedEvent } from '@charms/event-log';
import type { CharmMeta } from '../meta/schema.js';
import type { CharmDefinition, CharmEventDefinitions, DesiredBase, OutcomeBase } from '../pipeline/definition.js';
import { runHook, type HookRun } from '../pipeline/run.js';
import { FakeHookToolRunner } from './fake-hook-tool-runner.js';
import type { ModelState } from './model-state.js';

/** The event to run: a hook name (`install`, `db-relation-changed`, `web-pebble-ready`) or an action. */
export interface EventSpec {
  name: string;
  /** Run `name` as an action (`actions/<name>`); params come from `state.action.params`. */
  action?: boolean;
  /** For relation hooks: which relation (default: the first of the endpoint in the state). */
  relationId?: number;
  remoteUnit?: string;
  departingUnit?: string;
  notice?: { id: string; type: string; key: string };
  checkName?: string;
  secret?: { id: string; label?: string; revision?: number };
  storageId?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
}

/** Options of {@link runEvent}. */
export interface RunEventOptions {
  event: string | EventSpec;
  /** The model before the event. */
  state: ModelState;
  /** The charm's metadata (else read from `charmDir`). */
  meta?: CharmMeta;
  /** The charm directory Juju would run from (default: a fresh temp dir, removed afterwards). */
  charmDir?: string;
  /** The event log (default `<charmDir>/.event-log`); reuse it across calls to build a history. */
  logDir?: string;
  /** Root of `<container>/pebble.socket` (see {@link startTestContainers}). */
  containersRoot?: string;
  jujuVersion?: string;
  clock?: () => Date;
}

/** The model and log after one event. */
export interface EventResult<D extends CharmEventDefinitions> {
  /** The model after the hook (buffered changes dropped if it failed, as Juju does). */
  state: ModelState;
  run: HookRun;
  /** Every event in the log, oldest first. */
  events: LoggedEvent<D>[];
  /** What the charm wrote to stderr. */
  stderr: string;
  /** Hook tools the charm ran, in order. */
  calls: { tool: string; args: string[] }[];
}

/** The Juju environment for `spec` in `state`. */
export function hookEnv(
  spec: EventSpec,
  state: ModelState,
  charmDir: string,
  jujuVersion = '3.6.8',
): Record<string, string> {
  const env: Record<string, string> = {
    JUJU_CHARM_DIR: charmDir,
    JUJU_CONTEXT_ID: `${state.unit}-${spec.name}-1`,
    JUJU_UNIT_NAME: state.unit,
    JUJU_MODEL_NAME: 'test-model',
    JUJU_MODEL_UUID: '00000000-0000-4000-8000-000000000000',
    JUJU_VERSION: jujuVersion,
    JUJU_DISPATCH_PATH: `${spec.action ? 'actions' : 'hooks'}/${spec.name}`,
    JUJU_HOOK_NAME: spec.action ? '' : spec.name,
  };
  const rel = /^(.+)-relation-(created|joined|changed|departed|broken)$/.exec(spec.name);
  if (rel) {
    const r = state.relations.find(
      (x) => x.endpoint === rel[1] && (spec.relationId === undefined || x.id === spec.relationId),
    );
    if (r === undefined) throw new Error(`cannot run ${spec.name}: the state has no relation on endpoint "${rel[1]}"`);
    Object.assign(env, {
      JUJU_RELATION: r.endpoint,
      JUJU_RELATION_ID: `${r.endpoint}:${r.id}`,
      JUJU_REMOTE_APP: r.remoteApp,
      JUJU_REMOTE_UNIT:
        spec.remoteUnit ??
        (rel[2] === 'joined' || rel[2] === 'changed' || rel[2] === 'departed' ? (r.remoteUnits[0] ?? '') : ''),
    });
    if (rel[2] === 'departed') env['JUJU_DEPARTING_UNIT'] = spec.departingUnit ?? env['JUJU_REMOTE_UNIT'] ?? '';
  }
  const workload = /^(.+)-pebble-(ready|custom-notice|check-failed|check-recovered)$/.exec(spec.name);
  if (workload) env['JUJU_WORKLOAD_NAME'] = workload[1] as string;
  if (spec.notice)
    Object.assign(env, {
      JUJU_NOTICE_ID: spec.notice.id,
      JUJU_NOTICE_TYPE: spec.notice.type,
      JUJU_NOTICE_KEY: spec.notice.key,
    });
  if (spec.checkName) env['JUJU_PEBBLE_CHECK_NAME'] = spec.checkName;
  if (spec.secret)
    Object.assign(env, {
      JUJU_SECRET_ID: spec.secret.id,
      JUJU_SECRET_LABEL: spec.secret.label ?? '',
      ...(spec.secret.revision ? { JUJU_SECRET_REVISION: String(spec.secret.revision) } : {}),
    });
  if (spec.storageId)
    Object.assign(env, {
      JUJU_STORAGE_ID: spec.storageId,
      JUJU_STORAGE_LOCATION: `/var/lib/juju/storage/${spec.storageId}`,
      JUJU_STORAGE_KIND: 'filesystem',
    });
  if (spec.action)
    Object.assign(env, { JUJU_ACTION_NAME: spec.name, JUJU_ACTION_UUID: '1', JUJU_ACTION_TAG: 'action-1' });
  return { ...env, ...spec.env };
}

/**
 * Runs one event through the charm's real pipeline against an in-memory model (a
 * {@link FakeHookToolRunner}) and, for containers, real Pebble daemons. State in, state out.
 */
export async function runEvent<D extends CharmEventDefinitions, S, P extends DesiredBase, O extends OutcomeBase>(
  charm: CharmDefinition<D, S, P, O>,
  options: RunEventOptions,
): Promise<EventResult<D>> {
  const spec = typeof options.event === 'string' ? { name: options.event } : options.event;
  const ownDir = options.charmDir === undefined;
  const charmDir = options.charmDir ?? (await mkdtemp(join(tmpdir(), 'charm-harness-')));
  const env = hookEnv(spec, options.state, charmDir, options.jujuVersion);
  const relationId = env['JUJU_RELATION_ID'] === undefined ? undefined : Number(env['JUJU_RELATION_ID'].split(':')[1]);
  const runner = new FakeHookToolRunner(options.state, relationId, options.meta?.metadata);
  const logDir = options.logDir ?? join(charmDir, '.event-log');
  const stderr: string[] = [];
  const run = await runHook(charm, {
    env,
    runner,
    logDir,
    stderr: { write: (l: string) => stderr.push(l) },
    ...(options.meta === undefined ? {} : { meta: options.meta }),
    ...(options.containersRoot === undefined ? {} : { containersRoot: options.containersRoot }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  const events: LoggedEvent<D>[] = [];
  const reader = await openEventLogReader({ dir: logDir, schema: charm.events }).catch(() => undefined);
  if (reader !== undefined) for await (const e of reader.read()) events.push(e);
  if (ownDir) await rm(charmDir, { recursive: true, force: true });
  return { state: runner.commit(run.exitCode === 0), run, events, stderr: stderr.join(''), calls: runner.calls };
}
