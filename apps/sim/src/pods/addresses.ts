/** The block pod addresses come from: every address in 127.0.0.0/8 is local without configuration. */
export const POD_ADDRESS_PREFIX = '127.42';

const MAX_INDEX = 254 * 256;

/** The loopback address for allocation index `i` (0-based): 127.42.0.1, 127.42.0.2, ... never .0 or .255. */
export function addressForIndex(i: number): string {
  if (!Number.isInteger(i) || i < 0 || i >= MAX_INDEX) throw new RangeError(`cannot allocate pod address #${i}: the block holds ${MAX_INDEX}`);
  const third = Math.floor(i / 254);
  const fourth = (i % 254) + 1;
  return `${POD_ADDRESS_PREFIX}.${third}.${fourth}`;
}

/** The lowest free pod address given those in use; stable for a unit once chosen. */
export function allocateAddress(inUse: Iterable<string>): string {
  const used = new Set(inUse);
  for (let i = 0; i < MAX_INDEX; i++) {
    const candidate = addressForIndex(i);
    if (!used.has(candidate)) return candidate;
  }
  throw new RangeError(`cannot allocate a pod address: all ${MAX_INDEX} addresses of ${POD_ADDRESS_PREFIX}.0.0/16 are in use`);
}
