/** Starting a hook: the context, its environment and Juju's before-hook status changes. */
import type { HookContext } from './context-types.js';
import type { Change, OpOptions } from './effects.js';
import type { HookSpec, Model } from './schema.js';

/** Runtime facts for the hook environment. */
export interface BeginOptions extends OpOptions {
  /** JUJU_AGENT_SOCKET_ADDRESS as the hook sees it (a path, or `@name` for an abstract socket). */
  agentSocket: string;
  /** Directory holding the hook-tool symlinks; prefixed to PATH. */
  toolsDir: string;
  /** Rest of PATH; default the usual Ubuntu PATH. */
  path?: string;
  /** Random source for the context id; default crypto. */
  random?: () => bigint;
}

/** Starts a hook: returns its context (id, env, base snapshot) and the model with before-hook status applied (maintenance before install/stop, agent executing, action running). */
export function beginHook(_model: Model, _spec: HookSpec, _opts: BeginOptions): Change & { context: HookContext } {
  throw new Error('not implemented');
}
