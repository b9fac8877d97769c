/** The error family of the model, charm reader and hook-tool server: one class, stable codes. */

/** Stable codes; callers branch on these, never on messages. */
export type SimModelErrorCode =
  | 'bad-charm'
  | 'bad-model-file'
  | 'unknown-app'
  | 'unknown-unit'
  | 'app-exists'
  | 'bad-config'
  | 'bad-endpoint'
  | 'relation-exists'
  | 'unknown-relation'
  | 'bad-action'
  | 'bad-resource'
  | 'bad-argument'
  | 'not-in-error'
  | 'bad-request'
  // runtime (controller, pods, CLI)
  | 'pod-failed'
  | 'controller-unavailable'
  | 'timeout'
  | 'not-settled'
  | 'missing-binary';

/** Plain-data form of a {@link SimModelError}. */
export interface SimModelErrorJSON {
  name: 'SimModelError';
  code: SimModelErrorCode;
  message: string;
  details: Record<string, unknown>;
}

/** An error from the model layer. Messages start with "cannot ..." and say how to fix it. */
export class SimModelError extends Error {
  override readonly name = 'SimModelError';
  readonly code: SimModelErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: SimModelErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.code = code;
    this.details = details;
  }

  toJSON(): SimModelErrorJSON {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }

  /** Rebuilds an error from {@link SimModelError.toJSON} output. */
  static fromJSON(json: SimModelErrorJSON): SimModelError {
    return new SimModelError(json.code, json.message, json.details);
  }

  /** True for any SimModelError, optionally with the given code. */
  static is(err: unknown, code?: SimModelErrorCode): err is SimModelError {
    return err instanceof SimModelError && (code === undefined || err.code === code);
  }
}
