/** Ending a hook: commit on success, discard on failure. */
import type { HookContext } from './context-types.js';
import type { Change, OpOptions } from './effects.js';
import type { Model } from './schema.js';

/** How the hook process ended. */
export interface HookOutcome {
  exitCode: number;
  /** Captured output (action results; debug-log is the runtime's). */
  stdout?: string;
  stderr?: string;
  /** No dispatch and no hooks/<name> or actions/<name>: a hook counts as run, an action fails. */
  missingHandler?: boolean;
}

/** Ends a hook. Exit 0 applies the buffered writes and the hook's bookkeeping; otherwise they are dropped and the unit goes to error (actions just fail). */
export function commitHook(_model: Model, _ctx: HookContext, _outcome: HookOutcome, _o?: OpOptions): Change {
  throw new Error('not implemented');
}
