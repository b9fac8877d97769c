/** The per-hook transaction: what a running hook has buffered until it exits. */
import type { HookSpec, Model, SecretOwner } from './schema.js';

/** A buffered secret change, replayed on commit in order. */
export type SecretOp =
  | {
      op: 'add';
      id: string;
      owner: SecretOwner;
      content: Record<string, string>;
      label: string | null;
      description: string | null;
      expire: string | null;
      rotate: string | null;
    }
  | {
      op: 'set';
      id: string;
      content: Record<string, string> | null;
      label?: string | null;
      description?: string | null;
      expire?: string | null;
      rotate?: string | null;
    }
  | { op: 'remove'; id: string; revision: number | null }
  | { op: 'grant' | 'revoke'; id: string; subject: string; relationId: number };

/** Writes buffered until the hook exits 0 (reference 1.1); dropped otherwise. */
export interface PendingWrites {
  /** Per relation id: merged unit-bag and app-bag writes ("" deletes a key). */
  relations: Record<string, { unit: Record<string, string>; app: Record<string, string> }>;
  ports: { op: 'open' | 'close'; port: string }[];
  state: { op: 'set' | 'delete'; key: string; value: string }[];
  secrets: SecretOp[];
  storageAdd: { name: string; count: number }[];
}

/** A running hook or action. Create with beginHook; feed tool calls to runHookTool; end with commitHook. */
export interface HookContext {
  /** JUJU_CONTEXT_ID: `<unit>-<hook>-<random int>`. */
  id: string;
  unit: string;
  app: string;
  spec: HookSpec;
  /** The complete environment to exec dispatch with. */
  env: Record<string, string>;
  /** The model when the hook began: remote relation data and config are read from here. */
  base: Model;
  pending: PendingWrites;
  /** action-fail was called (message). */
  actionFailed: string | null;
  startedAt: string;
}
