/** The error family of the model, charm reader and hook-tool server: one class, stable codes. */

/** Stable codes; callers branch on these, never on messages. */
export type JujuModelErrorCode =
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
  | 'missing-binary'
  | 'busy';

/** Plain-data form of a {@link JujuModelError}. */
export interface JujuModelErrorJSON {
  name: 'JujuModelError';
  code: JujuModelErrorCode;
  message: string;
  details: Record<string, unknown>;
}

/** An error from the model layer. Messages start with "cannot ..." and say how to fix it. */
export class JujuModelError extends Error {
  override readonly name = 'JujuModelError';
  readonly code: JujuModelErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: JujuModelErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.code = code;
    this.details = details;
  }

  toJSON(): JujuModelErrorJSON {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }

  /** Rebuilds an error from {@link JujuModelError.toJSON} output. */
  static fromJSON(json: JujuModelErrorJSON): JujuModelError {
    return new JujuModelError(json.code, json.message, json.details);
  }

  /** True for any JujuModelError, optionally with the given code. */
  static is(err: unknown, code?: JujuModelErrorCode): err is JujuModelError {
    return err instanceof JujuModelError && (code === undefined || err.code === code);
  }
}
