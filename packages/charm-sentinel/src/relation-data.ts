import { isIP } from 'node:net';
import { z } from 'zod';
import { CaBundle } from './tls.js';

/** The keys the redis-k8s leader must publish before sentinel can monitor it (README.md, 'The relation'). */
export const REQUIRED_KEYS = ['master-name', 'primary-address', 'port', 'secret-id'] as const;

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** An address sentinel can be given: an IP literal or a DNS name (nothing that could break a config line). */
export const Address = z
  .string()
  .refine((v) => isIP(v) !== 0 || HOSTNAME.test(v), { message: 'must be an IP address or a host name' });

/** A sentinel master-group name: letters, digits, dot, underscore, hyphen. */
export const MasterName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, ".", "_" or "-"');

const Port = z
  .string()
  .regex(/^\d{1,5}$/, 'must be a port number')
  .transform(Number)
  .refine((p) => p >= 1 && p <= 65535, { message: 'must be between 1 and 65535' });

const UnitAddress = z.object({ unit: z.string().min(1), address: Address });

const Units = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON list of {unit, address}' });
      return z.NEVER;
    }
  })
  .pipe(z.array(UnitAddress));

/** redis-k8s's `units` value read on its own: the {unit, address} list, or [] when absent or malformed (pure). */
export function parseUnitsList(text: string | undefined): Array<{ unit: string; address: string }> {
  if (text === undefined || text === '') return [];
  const parsed = Units.safeParse(text);
  return parsed.success ? parsed.data : [];
}

/** The redis-k8s application bag on the `redis` relation, parsed. */
export const RedisAppBag = z.object({
  'master-name': MasterName,
  primary: z.string().optional(),
  'primary-address': Address,
  port: Port,
  'secret-id': z.string().regex(/^\S+$/, 'must be a Juju secret id'),
  units: Units.optional(),
  /** "true" when redis-server serves TLS only. */
  tls: z.enum(['true', 'false'], { message: 'must be "true" or "false"' }).optional(),
  /** With `tls` "true": the CA certificates (PEM) that signed redis-k8s's certificates. */
  'tls-ca': CaBundle.optional(),
});
export type RedisAppBag = z.infer<typeof RedisAppBag>;

/** The outcome of reading the redis app bag. */
export type RedisBagResult =
  | { ok: true; bag: RedisAppBag }
  | { ok: false; reason: 'incomplete'; missing: string[] }
  | { ok: false; reason: 'invalid'; problems: string[] };

/**
 * Parses the redis application's bag (pure). Missing contract keys mean "not published yet";
 * present but malformed values name the key and what is wrong.
 */
export function parseRedisAppBag(raw: Record<string, string>): RedisBagResult {
  const missing = REQUIRED_KEYS.filter((k) => raw[k] === undefined || raw[k] === '');
  if (missing.length > 0) return { ok: false, reason: 'incomplete', missing };
  // an empty value is no value (relation-set deletes a key set to "")
  const parsed = RedisAppBag.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== '')));
  if (parsed.success) return { ok: true, bag: parsed.data };
  const problems = parsed.error.issues.map(
    (i) => `"${i.path.map(String).join('.') || '(bag)'}" ${i.message.charAt(0).toLowerCase()}${i.message.slice(1)}`,
  );
  return { ok: false, reason: 'invalid', problems };
}

/** What the sentinel leader publishes on the `redis` relation after a failover. */
export interface PublishedPrimary {
  'primary-address': string;
  'failover-epoch': string;
}

/** Reads back what this application published (missing or malformed values count as nothing). */
export function parsePublished(raw: Record<string, string> | null): { address: string | null; epoch: number } {
  const address = raw?.['primary-address'];
  const epoch = Number(raw?.['failover-epoch'] ?? '0');
  return {
    address: address === undefined || address === '' ? null : address,
    epoch: Number.isSafeInteger(epoch) && epoch >= 0 ? epoch : 0,
  };
}
