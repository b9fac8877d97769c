/** The key a unit publishes its own address under in its bags (ours, not Juju's). */
export const ADDRESS_KEY = 'address';

/**
 * The address to reach a remote unit at, from its unit bag (pure; one rule for every charm): the
 * address the unit published itself, else Juju's `ingress-address` (what Juju advertises to the
 * relation), else the legacy `private-address`. Empty values count as absent; null when none is set.
 */
export function unitAddress(bag: Readonly<Record<string, string>>): string | null {
  for (const key of [ADDRESS_KEY, 'ingress-address', 'private-address']) {
    const value = bag[key]?.trim();
    if (value) return value;
  }
  return null;
}
