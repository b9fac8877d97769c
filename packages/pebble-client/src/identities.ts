import { z } from 'zod';
import { anyResult, type CallOptions } from './request.js';
import type { Transport } from './transport.js';

/** Access level of an identity. */
export type IdentityAccess = 'admin' | 'read' | 'metrics' | 'untrusted';

/** A named identity (Pebble 1.15+). Secrets read back from Pebble are masked (`*****`). */
export interface Identity {
  access: IdentityAccess | (string & {});
  /** Matches unix-socket peers with this uid. */
  local?: { userId: number } | undefined;
  /** HTTP basic auth; `password` is a sha512-crypt hash (`openssl passwd -6`). */
  basic?: { password: string } | undefined;
  /** mTLS client certificate (PEM). */
  cert?: { pem: string } | undefined;
}

const identitySchema = z
  .object({
    access: z.string(),
    local: z.object({ 'user-id': z.int().nonnegative() }).loose().optional(),
    basic: z.object({ password: z.string() }).loose().optional(),
    cert: z.object({ pem: z.string() }).loose().optional(),
  })
  .loose()
  .transform((i): Identity => ({
    access: i.access,
    local: i.local ? { userId: i.local['user-id'] } : undefined,
    basic: i.basic ? { password: i.basic.password } : undefined,
    cert: i.cert ? { pem: i.cert.pem } : undefined,
  }));

const identitiesSchema = z
  .record(z.string(), identitySchema)
  .nullable()
  .transform((r) => r ?? {});

function toWire(identity: Identity | null) {
  if (identity === null) return null;
  return {
    access: identity.access,
    local: identity.local ? { 'user-id': identity.local.userId } : undefined,
    basic: identity.basic,
    cert: identity.cert,
  };
}

/** `GET /v1/identities`. */
export function getIdentities(t: Transport, options: CallOptions = {}): Promise<Record<string, Identity>> {
  return t.sync('GET', '/v1/identities', { ...options, schema: identitiesSchema });
}

async function post(
  t: Transport,
  action: string,
  identities: Record<string, Identity | null>,
  options: CallOptions,
): Promise<void> {
  const wire = Object.fromEntries(Object.entries(identities).map(([name, id]) => [name, toWire(id)]));
  await t.sync('POST', '/v1/identities', { ...options, body: { action, identities: wire }, schema: anyResult() });
}

/** Add new identities; 400 APIError if any already exists. */
export function addIdentities(
  t: Transport,
  identities: Record<string, Identity>,
  options: CallOptions = {},
): Promise<void> {
  return post(t, 'add', identities, options);
}

/** Update existing identities; 400 APIError if any does not exist. */
export function updateIdentities(
  t: Transport,
  identities: Record<string, Identity>,
  options: CallOptions = {},
): Promise<void> {
  return post(t, 'update', identities, options);
}

/** Add or update identities; a `null` value removes that identity. */
export function replaceIdentities(
  t: Transport,
  identities: Record<string, Identity | null>,
  options: CallOptions = {},
): Promise<void> {
  return post(t, 'replace', identities, options);
}

/** Remove identities by name; 400 APIError if any does not exist. */
export function removeIdentities(t: Transport, names: readonly string[], options: CallOptions = {}): Promise<void> {
  return post(t, 'remove', Object.fromEntries(names.map((n) => [n, null])), options);
}
