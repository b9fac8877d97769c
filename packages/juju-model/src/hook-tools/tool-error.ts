/** A hook tool's failure: printed as `ERROR <message>`, exit 2 for usage errors and 1 otherwise. */

/** Stable codes of {@link ToolError}: `usage` (juju/cmd Init, exit 2) or `failed` (Run, exit 1). */
export type ToolErrorCode = 'usage' | 'failed';

/** A hook tool's refusal, with Juju's message and exit code. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
  /** Callers branch on this, never on the message. */
  readonly code: ToolErrorCode;
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.code = exitCode === 2 ? 'usage' : 'failed';
  }
}

/** A flag or argument error (juju/cmd Init): exit 2. */
export function usage(message: string): ToolError {
  return new ToolError(message, 2);
}

/** A runtime error (juju/cmd Run): exit 1. */
export function fail(message: string): ToolError {
  return new ToolError(message, 1);
}
