/**
 * The one error family of the charm kit. Every error has a stable `code`; callers branch on it,
 * never on the message. Every error round-trips through `toJSON()` and {@link charmErrorFromJSON}.
 */

/** Codes a hook tool failure can carry. */
export type HookToolErrorCode =
  | 'permission-denied'
  | 'not-found'
  | 'relation-not-found'
  | 'not-leader'
  | 'usage'
  | 'no-context'
  | 'spawn-failed'
  | 'invalid-output'
  | 'output-too-large'
  | 'secret-in-argv'
  | 'unknown';

/** Codes for everything else the kit reports. */
export type CharmErrorCode =
  | HookToolErrorCode
  | 'context-missing-variable'
  | 'context-invalid-variable'
  | 'unknown-hook'
  | 'invalid-argument'
  | 'relation-data-access'
  | 'unknown-name'
  | 'invalid-config'
  | 'invalid-action-params'
  | 'not-an-action'
  | 'invalid-metadata'
  | 'pebble'
  | 'pipeline'
  | 'pack'
  | 'workspace-package';

/** Plain JSON form of any {@link CharmError}. */
export interface CharmErrorJSON {
  name: string;
  code: CharmErrorCode;
  message: string;
  details: Record<string, unknown>;
}

/** Plain JSON form of a {@link CodedError} named `N`. */
export interface CodedErrorJSON<C extends string = string, N extends string = string> {
  name: N;
  code: C;
  message: string;
  details: Record<string, unknown>;
}

/**
 * An error family with stable codes: the base of the kit's {@link CharmError} and of each charm's
 * own error class. `details` holds the data fields; `toJSON()` gives {@link CodedErrorJSON}.
 */
export class CodedError<C extends string, N extends string = string> extends Error {
  readonly code: C;
  readonly details: Record<string, unknown>;

  constructor(code: C, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
  }

  toJSON(): CodedErrorJSON<C, N> {
    return { name: this.name as N, code: this.code, message: this.message, details: this.details };
  }
}

/** Base class of every error the kit throws. `details` holds the data fields. */
export class CharmError extends CodedError<CharmErrorCode> {
  override name = 'CharmError';
}

/** A hook tool exited non-zero, could not start, or printed output we cannot parse. */
export class HookToolError extends CharmError {
  override name = 'HookToolError';
  declare readonly code: HookToolErrorCode;
  /** The tool name followed by its arguments (never carries secret values). */
  readonly argv: readonly string[];
  /** Exit code, or null when the process never ran. */
  readonly exitCode: number | null;
  readonly stderr: string;

  constructor(
    code: HookToolErrorCode,
    message: string,
    fields: { argv: readonly string[]; exitCode: number | null; stderr: string },
    options?: { cause?: unknown },
  ) {
    super(code, message, { argv: [...fields.argv], exitCode: fields.exitCode, stderr: fields.stderr }, options);
    this.argv = fields.argv;
    this.exitCode = fields.exitCode;
    this.stderr = fields.stderr;
  }
}

/** The Juju environment is missing a variable or holds an invalid one. */
export class ContextError extends CharmError {
  override name = 'ContextError';
  /** The offending environment variable, when one is to blame. */
  readonly variable: string | undefined;

  constructor(code: CharmErrorCode, message: string, variable?: string) {
    super(code, message, variable === undefined ? {} : { variable });
    this.variable = variable;
  }
}

/** Charm metadata (metadata.yaml, config.yaml, actions.yaml, charmcraft.yaml) breaks Juju's rules. */
export class MetadataError extends CharmError {
  override name = 'MetadataError';
  readonly file: string;
  readonly key: string;

  constructor(file: string, key: string, problem: string, fix: string) {
    super('invalid-metadata', `cannot use ${file}: ${key}: ${problem} (${fix})`, { file, key, problem, fix });
    this.file = file;
    this.key = key;
  }
}

/** Rebuilds an error from its `toJSON()` form, keeping the class and fields. */
export function charmErrorFromJSON(json: CharmErrorJSON): CharmError {
  const d = json.details;
  switch (json.name) {
    case 'HookToolError':
      return new HookToolError(json.code as HookToolErrorCode, json.message, {
        argv: (d['argv'] as string[] | undefined) ?? [],
        exitCode: (d['exitCode'] as number | null | undefined) ?? null,
        stderr: (d['stderr'] as string | undefined) ?? '',
      });
    case 'ContextError':
      return new ContextError(json.code, json.message, d['variable'] as string | undefined);
    case 'MetadataError': {
      const err = new MetadataError(String(d['file']), String(d['key']), String(d['problem']), String(d['fix']));
      return err;
    }
    default:
      return new CharmError(json.code, json.message, d);
  }
}

/** JSON form of any thrown value, for logs and the event log. */
export function errorToJSON(err: unknown): CharmErrorJSON {
  if (err instanceof CharmError) return err.toJSON();
  if (err !== null && typeof err === 'object' && typeof (err as { toJSON?: unknown }).toJSON === 'function') {
    const j = (err as { toJSON: () => unknown }).toJSON();
    if (j !== null && typeof j === 'object' && 'code' in j && 'message' in j) {
      const o = j as { name?: unknown; code: unknown; message: unknown };
      return {
        name: String(o.name ?? 'Error'),
        code: String(o.code) as CharmErrorCode,
        message: String(o.message),
        details: { ...o },
      };
    }
  }
  if (err instanceof Error) return { name: err.name, code: 'unknown', message: err.message, details: {} };
  return { name: 'Error', code: 'unknown', message: String(err), details: {} };
}
