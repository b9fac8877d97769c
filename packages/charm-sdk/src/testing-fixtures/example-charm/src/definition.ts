import { defineProjection, type LoggedEvent } from '@charms/event-log';
import type { LayerInput } from '@charms/pebble-client';
import { z } from 'zod';
// The example imports the kit by package name, as a charm in its own package would.
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  active,
  blocked,
  configStatusMessage,
  ConfigValue,
  defineCharm,
  defineCharmEvents,
  hookFacts,
  HookFacts,
  parseConfig,
  waiting,
  type DesiredBase,
  type LayerReport,
  type OutcomeBase,
} from '@charms/charm-sdk';

/** The charm's config: what `juju config` may set. */
export const ExampleConfig = z.object({
  port: z.number().int().min(1024).max(65535),
  greeting: z.string().min(1),
});

/** Everything one hook reveals. */
export const Observed = z.object({
  facts: HookFacts,
  config: z.record(z.string(), ConfigValue),
  leader: z.boolean(),
  address: z.string().nullable(),
  pebble: z.object({ reachable: z.boolean(), bootId: z.string().nullable() }),
  /** Which node runs the charm: the packed charm must use its bundled runtime. */
  runtime: z.object({ execPath: z.string(), node: z.string() }),
});

export const events = defineCharmEvents({
  hook: { version: 1, schema: Observed },
  'workload-verified': {
    version: 1,
    schema: z.object({
      ok: z.boolean(),
      services: z.record(z.string(), z.string()),
      restarted: z.array(z.string()),
      started: z.array(z.string()),
    }),
  },
});
type Events = typeof events.definitions;

/** The folded state. */
export interface ExampleState {
  hooks: number;
  config: Record<string, ConfigValue>;
  leader: boolean;
  address: string | null;
  failures: number;
  lastVerified: { ok: boolean; restarted: string[] } | null;
}

export const projection = defineProjection(events, {
  name: 'example',
  version: 1,
  initial: { hooks: 0, config: {}, leader: false, address: null, failures: 0, lastVerified: null } as ExampleState,
  reduce(state: ExampleState, event: LoggedEvent<Events>): ExampleState {
    switch (event.type) {
      case 'hook':
        return {
          ...state,
          hooks: state.hooks + 1,
          config: event.payload.config,
          leader: event.payload.leader,
          address: event.payload.address ?? state.address,
        };
      case 'workload-verified':
        return { ...state, lastVerified: { ok: event.payload.ok, restarted: event.payload.restarted } };
      case 'hook-failed':
        return { ...state, failures: state.failures + 1 };
    }
  },
});

const CONTAINER = 'workload';
const PAGE = '/srv/example/index.html';

/** What the unit should look like. */
export interface ExampleDesired extends DesiredBase {
  layer?: LayerInput;
  page?: string;
}

/** What reconciling did. */
export interface ExampleOutcome extends OutcomeBase {
  report?: LayerReport;
}

/** The desired state for a folded state (pure). */
export function plan(state: ExampleState): ExampleDesired {
  const config = parseConfig(ExampleConfig, state.config);
  if (!config.ok) return { unitStatus: blocked(configStatusMessage(config.problems)) };
  if (state.address === null) return { unitStatus: waiting('waiting for the pod address') };
  const { port, greeting } = config.config;
  return {
    layer: {
      summary: 'example-k8s',
      services: {
        web: {
          override: 'replace',
          summary: 'greeting page',
          command: `python3 -m http.server ${port} --bind ${state.address} --directory /srv/example`,
          startup: 'enabled',
          environment: { GREETING: greeting },
        },
        sidecar: { override: 'replace', summary: 'static helper', command: 'sleep 86400', startup: 'enabled' },
      },
    },
    page: `<!doctype html><h1>${greeting.replace(/[<&>]/g, '')}</h1>\n`,
    unitStatus: active(`serving on ${state.address}:${port}`),
    ports: [{ protocol: 'tcp', port }],
  };
}

/** The example charm. */
export const exampleCharm = defineCharm({
  events,
  projection,
  async observe({ context, model, container }) {
    const [config, leader, address, pebble] = await Promise.all([
      model.rawConfig(),
      model.isLeader(),
      model.address('example-peers').catch(() => undefined),
      // reconcile's canConnect reuses this answer instead of asking Pebble again
      container(CONTAINER)
        .observe(3000)
        .catch(() => ({ reachable: false, bootId: null })),
    ]);
    return {
      type: 'hook' as const,
      payload: {
        facts: hookFacts(context),
        config,
        leader,
        address: address ?? null,
        pebble,
        runtime: { execPath: process.execPath, node: process.version },
      },
    };
  },
  plan,
  async reconcile(desired, { container, logger }): Promise<ExampleOutcome> {
    if (desired.layer === undefined) return {};
    const workload = container(CONTAINER);
    const [connected, page] = await Promise.all([
      workload.canConnect(),
      workload.pullText(PAGE).catch(() => undefined),
    ]);
    if (!connected) return { unitStatus: waiting('waiting for Pebble in the workload container') };
    if (desired.page !== undefined && page !== desired.page) await workload.push(PAGE, desired.page, { mode: 0o644 });
    const report = await workload.reconcileLayer('example', desired.layer);
    if (report.layerChanged || report.started.length > 0) logger.info({ report }, 'workload layer reconciled');
    return { report };
  },
  async verify(_desired, outcome, { container }) {
    const report = outcome.report;
    if (report === undefined || (!report.layerChanged && report.restarted.length === 0 && report.started.length === 0))
      return {};
    const services = await container(CONTAINER).pebble.getServices();
    return {
      observation: {
        type: 'workload-verified' as const,
        payload: {
          ok: services.every((s) => s.startup !== 'enabled' || s.current === 'active'),
          services: Object.fromEntries(services.map((s) => [s.name, s.current])),
          restarted: report.restarted,
          started: report.started,
        },
      },
    };
  },
  actions: {
    async greet(action, _world, state) {
      const { name } = await action.params(z.object({ name: z.string() }));
      const config = parseConfig(ExampleConfig, state.config);
      if (!config.ok) return action.fail(configStatusMessage(config.problems));
      await action.setResults({ greeting: `${config.config.greeting}, ${name}` });
    },
  },
});
