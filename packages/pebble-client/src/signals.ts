import { constants } from 'node:os';
import { anyResult, type CallOptions } from './request.js';
import type { Transport } from './transport.js';

/** Signal name for a number (`15` -> `SIGTERM`), or the name itself. */
export function signalName(signal: string | number): string {
  if (typeof signal === 'string') return signal;
  const entry = Object.entries(constants.signals).find(([, n]) => n === signal);
  if (!entry) throw new TypeError(`cannot send signal ${signal}: not a signal number on this platform`);
  return entry[0];
}

/**
 * `POST /v1/signals`: send a signal (name like `SIGHUP`, or number) to the main process of each service.
 * 500 APIError when a service is not running or the name is invalid.
 */
export async function sendSignal(
  t: Transport,
  signal: string | number,
  services: readonly string[],
  options: CallOptions = {},
): Promise<void> {
  await t.sync('POST', '/v1/signals', {
    ...options,
    body: { signal: signalName(signal), services: [...services] },
    schema: anyResult(),
  });
}
