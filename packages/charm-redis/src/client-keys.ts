import type { Primary } from './topology.js';
import type { RedisState } from './state.js';
import { REDIS_PORT, SENTINEL_PORT } from './paths.js';
import { endpoint } from './relation-address.js';

/** A redis-k8s unit and its pod address. */
export interface UnitAddress {
  unit: string;
  address: string;
}

const hostPort = (address: string, port: number) => `${address}:${port}`;
const byUnit = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/**
 * The application bag of a client relation (`redis`), written by the leader (pure). It keeps the
 * legacy keys (`leader-host`, `port`, `tls`) and adds data-interfaces style ones: `endpoints` (the
 * primary), `read-only-endpoints` (the other units), `sentinel-endpoints` and `master-name` while a
 * sentinel app is related (only valid addresses, each once), `tls-ca` with TLS. The password travels
 * as the granted `secret-id`.
 * A key that no longer applies is written empty, which removes it.
 */
export function clientAppData(
  state: RedisState,
  primary: Primary | null,
  units: readonly UnitAddress[],
  tls: boolean,
): Record<string, string> {
  const data: Record<string, string> = { port: String(REDIS_PORT), tls: String(tls) };
  const primaryAddress = primary?.address ?? null;
  if (primaryAddress !== null) data['leader-host'] = primaryAddress;
  data['endpoints'] = primaryAddress === null ? '' : hostPort(primaryAddress, REDIS_PORT);
  data['read-only-endpoints'] = units
    .filter((u) => u.address !== primaryAddress)
    .sort((a, b) => byUnit(a.unit, b.unit))
    .map((u) => hostPort(u.address, REDIS_PORT))
    .join(',');
  // a related app's unit address is its own claim: only an IP or host name reaches clients (older
  // logs hold addresses recorded before observe checked them)
  const sentinels = state.sentinels
    .flatMap((s) => Object.entries(s.addresses ?? {}))
    .sort(([a], [b]) => byUnit(a, b))
    .flatMap(([, address]) => (address === null ? [] : [endpoint(address, SENTINEL_PORT)]))
    .filter((e): e is string => e !== null);
  data['sentinel-endpoints'] = [...new Set(sentinels)].join(',');
  data['master-name'] = state.sentinels.length > 0 ? (state.app ?? 'redis-k8s') : '';
  data['tls-ca'] = tls ? (state.tls?.['ca-cert-file']?.pem ?? '') : '';
  return data;
}
