import type { EventDefinitions, EventInput, EventSchema, Projection } from '@charms/event-log';
import type { Logger } from 'pino';
import type { Container } from '../containers/container.js';
import type { JujuContext } from '../context/juju-context.js';
import type { Port } from '../hook-tools/ports.js';
import type { ActionContext } from '../model/action.js';
import type { Model } from '../model/model.js';
import type { RelationWrite } from '../model/relation-writes.js';
import type { StatusValue } from '../model/status.js';
import type { standardEventDefinitions } from './standard-events.js';

/** What the pipeline hands to observe, reconcile and verify: the only doors to the world. */
export interface HookWorld {
  context: JujuContext;
  model: Model;
  logger: Logger;
  /** The workload container `name` (its Pebble socket under the containers root). */
  container(name: string): Container;
}

/** Parts of a desired state the runner applies itself after the charm's reconciler. */
export interface DesiredBase {
  unitStatus?: StatusValue;
  /** Applied only on the leader. */
  appStatus?: StatusValue;
  /** Exactly these ports are opened. */
  ports?: Port[];
  workloadVersion?: string;
  /** Relation bags to write, in order (see {@link RelationWrite}); only changed keys are sent. */
  relations?: RelationWrite[];
}

/** What a reconciler reports; `unitStatus` overrides the desired one (e.g. waiting for Pebble). */
export interface OutcomeBase {
  unitStatus?: StatusValue;
  /**
   * Overrides the desired `relations`: what the reconciler found due (e.g. with the id of a secret it
   * created, or a write that waits for the workload to answer).
   */
  relations?: RelationWrite[];
}

/** What verify found: an observation event to append, and a status that overrides the reconciler's. */
export interface Verified<D extends EventDefinitions> {
  observation?: EventInput<D>;
  unitStatus?: StatusValue;
}

/** Event definitions that include the kit's standard events. */
export type CharmEventDefinitions = EventDefinitions & typeof standardEventDefinitions;

/**
 * A charm as the pipeline runs it (README.md, The pipeline): observe the hook's facts, record them,
 * fold the log (pure), plan the desired state (pure), reconcile the world, verify.
 */
export interface CharmDefinition<
  D extends CharmEventDefinitions,
  S,
  P extends DesiredBase,
  O extends OutcomeBase = OutcomeBase,
> {
  /** The charm's event schema; build it with {@link defineCharmEvents}. */
  events: EventSchema<D>;
  /** The reducer over the log, with its initial state (pure, deterministic). */
  projection: Projection<D, S>;
  /** Gathers the facts this hook reveals and returns the event to record (secrets as references only). */
  observe(world: HookWorld): Promise<EventInput<D>>;
  /** The desired state for a folded state (pure). */
  plan(state: S): P;
  /** Makes the world match `desired` (Pebble layers, files, relation data, secrets). */
  reconcile(desired: P, world: HookWorld, state: S): Promise<O>;
  /**
   * After reconciling, before the runner applies status and ports: checks the workload (reading only) and
   * says what it found, as an event to append and a status.
   */
  verify?(desired: P, outcome: O, world: HookWorld, state: S): Promise<Verified<D>>;
  /** Action handlers by action name, run after reconciling; a missing handler fails the action. */
  actions?: Record<string, (action: ActionContext, world: HookWorld, state: S) => Promise<void>>;
}

/** Identity helper that checks a charm definition's types. */
export function defineCharm<
  D extends CharmEventDefinitions,
  S,
  P extends DesiredBase,
  O extends OutcomeBase = OutcomeBase,
>(charm: CharmDefinition<D, S, P, O>): CharmDefinition<D, S, P, O> {
  return charm;
}
