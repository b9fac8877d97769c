import type { EventDefinitions, EventSchema, LoggedEvent, Projection } from '@charms/event-log';
import type { z } from 'zod';

/** The charms charm-replay knows. */
export const CHARM_NAMES = ['redis-k8s', 'redis-sentinel-k8s'] as const;
export type CharmName = (typeof CHARM_NAMES)[number];

/** Any record of any charm's log, decoded. */
export type ReplayEvent = LoggedEvent<EventDefinitions>;

/** The why-questions; each follows one area of the desired state. */
export const QUESTIONS = ['restart', 'relation', 'status', 'primary', 'files'] as const;
export type Question = (typeof QUESTIONS)[number];

/** One area of a desired state that a person asks about. */
export interface Area {
  /** What a change in this area means, for the answer's first line. */
  meaning: string;
  /** The part of the desired state this area is (JSON-able, pure). */
  pick(desired: unknown): unknown;
}

/**
 * What charm-replay needs of a charm: its own event schema, projection and planner (so replay is
 * exactly what the charm computed), plus how to show events and which part answers which question.
 */
export interface ReplayCharm {
  name: CharmName;
  events: EventSchema<EventDefinitions>;
  projection: Projection<EventDefinitions, unknown>;
  /** The charm's pure planner, its output shown as a person reads it. */
  plan(state: unknown): unknown;
  /** The charm's config options; `what-if --config` overrides are parsed against it. */
  config: z.ZodObject;
  areas: Partial<Record<Question, Area>>;
  /** A one-line account of a record. */
  summarize(event: ReplayEvent): string;
}

/** The typed form an adapter is written in; {@link defineReplayCharm} erases it for the registry. */
export interface TypedReplayCharm<D extends EventDefinitions, S, P, V = P> {
  name: CharmName;
  events: EventSchema<D>;
  projection: Projection<D, S>;
  plan(state: S): P;
  /** The planner's output as a person reads it (same content, friendlier shape); identity by default. */
  view?(desired: P): V;
  config: z.ZodObject;
  areas: Partial<Record<Question, { meaning: string; pick(desired: V): unknown }>>;
  summarize(event: LoggedEvent<D>): string;
}

/** Erases an adapter's types: the registry holds charms with different events and states. */
export function defineReplayCharm<D extends EventDefinitions, S, P, V = P>(
  typed: TypedReplayCharm<D, S, P, V>,
): ReplayCharm {
  const areas: ReplayCharm['areas'] = {};
  for (const [q, area] of Object.entries(typed.areas) as [Question, { meaning: string; pick(desired: V): unknown }][]) {
    areas[q] = { meaning: area.meaning, pick: (desired) => area.pick(desired as V) };
  }
  const view = typed.view ?? ((desired: P) => desired as unknown as V);
  return {
    name: typed.name,
    events: typed.events as unknown as EventSchema<EventDefinitions>,
    projection: typed.projection as unknown as Projection<EventDefinitions, unknown>,
    plan: (state) => view(typed.plan(state as S)),
    config: typed.config,
    areas,
    summarize: (event) => typed.summarize(event as unknown as LoggedEvent<D>),
  };
}

/** The hook facts every charm of ours records in its `hook` event (charm-sdk's HookFacts). */
export interface HookFactsView {
  name: string;
  unit: string;
  remoteUnit?: string;
  departingUnit?: string;
  relationId?: number;
  action?: string;
  notice?: { key: string };
}

/** `config-changed`, `redis-peers-relation-joined (redis-k8s/1)`, `run get-password`: a hook in a few words. */
export function describeHook(facts: HookFactsView): string {
  const who = facts.departingUnit ?? facts.remoteUnit;
  if (facts.action !== undefined) return `action ${facts.action}`;
  if (facts.notice !== undefined) return `${facts.name} (${facts.notice.key})`;
  return who === undefined ? facts.name : `${facts.name} (${who})`;
}

/** The kit's `hook-failed` record in one line. */
export function describeFailure(failure: {
  hook: string;
  stage: string;
  error: { code: string; message: string };
}): string {
  return `hook ${failure.hook} FAILED at ${failure.stage}: ${failure.error.code} ${failure.error.message}`;
}
