/** Queuing actions (`charm-sim run`). */
import type { Change, OpOptions } from './effects.js';
import type { Model } from './schema.js';

/** Validates params against actions.yaml (filling defaults) and queues the action; returns its id. */
export function enqueueAction(_model: Model, _unit: string, _name: string, _params: Record<string, unknown>, _o?: OpOptions): Change & { actionId: string } {
  throw new Error('not implemented');
}

/** Parses `juju run` style `key=value` args (values as YAML scalars, dotted keys nest). */
export function parseActionArgs(_args: string[]): Record<string, unknown> {
  throw new Error('not implemented');
}
