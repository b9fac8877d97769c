/** Deploying applications and adding/removing units. */
import type { Charm } from '../charm/schema.js';
import type { Change, OpOptions } from './effects.js';
import type { Model } from './schema.js';

/** Options of {@link deployApp}. */
export interface DeployOptions {
  charm: Charm;
  /** Application name; default the charm name. */
  name?: string;
  /** Number of units; default 1. */
  units?: number;
  /** Config values as given on the command line (`k=v` values, coerced to the option type). */
  config?: Record<string, string>;
  /** Resources: name -> host file path (file) or image reference (oci-image). */
  resources?: Record<string, string>;
  trust?: boolean;
}

/** Deploys an application: validates config and resources, creates its peer relations and units. */
export function deployApp(_model: Model, _opts: DeployOptions, _o?: OpOptions): Change {
  throw new Error('not implemented');
}

/** Adds `count` units to an application; the first unit of an app without a leader becomes leader. */
export function addUnit(_model: Model, _app: string, _count = 1, _o?: OpOptions): Change {
  throw new Error('not implemented');
}

/** Marks a unit dying: it leaves every relation scope and runs departed, broken, stop, storage-detaching, remove. */
export function removeUnit(_model: Model, _unit: string, _o?: OpOptions): Change {
  throw new Error('not implemented');
}
