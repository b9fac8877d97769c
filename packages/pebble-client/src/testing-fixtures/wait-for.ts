import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Poll `probe` until it returns a value other than undefined/false, or fail after `bound` ms
 * with the last probe error or the description. This waits on a condition; it is not a fixed sleep.
 */
export async function waitFor<T>(
  description: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  bound = 10_000,
): Promise<T> {
  const deadline = Date.now() + bound;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${bound}ms waiting for ${description}${lastError ? `: ${String(lastError)}` : ''}`,
      );
    }
    await sleep(20);
  }
}
