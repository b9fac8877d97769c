/** A hook tool's failure: printed as `ERROR <message>`, exit 2 for usage errors and 1 otherwise. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
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
