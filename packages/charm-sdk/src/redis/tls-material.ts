/**
 * Checks TLS files before a charm hands them to redis-server or sentinel: a file redis cannot load
 * makes the server exit at start, so Pebble restarts it in a loop while the unit looks healthy.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';

/** The files to check; an absent one is not checked (the caller says it is missing). */
export interface TlsMaterial {
  cert?: Buffer | string | undefined;
  key?: Buffer | string | undefined;
  /** One CA certificate or a bundle; without it the chain is not checked. */
  ca?: Buffer | string | undefined;
}

/** What is wrong with each file, by role; empty when all given files are usable together. */
export type TlsMaterialProblems = Partial<Record<keyof TlsMaterial, string>>;

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
// an intermediate chain deeper than this is not a charm's business
const MAX_CHAIN = 5;
// a certificate issued a moment ago on a host whose clock runs ahead is still usable
const SKEW_MS = 5 * 60_000;

function certs(pem: Buffer | string): X509Certificate[] | string {
  const blocks = pem.toString('utf8').match(PEM_CERT) ?? [];
  if (blocks.length === 0) return 'is not a PEM certificate (no BEGIN CERTIFICATE block)';
  try {
    return blocks.map((b) => new X509Certificate(b));
  } catch {
    return 'holds a PEM block that is not a valid X.509 certificate';
  }
}

function privateKey(pem: Buffer | string): KeyObject | string {
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    return 'is not an unencrypted PEM private key';
  }
}

function validity(cert: X509Certificate, now: Date): string | undefined {
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  if (Number.isFinite(to) && to < now.getTime()) return `expired on ${new Date(to).toISOString()}`;
  if (Number.isFinite(from) && from > now.getTime() + SKEW_MS)
    return `is not valid before ${new Date(from).toISOString()}`;
  return undefined;
}

function signedBy(leaf: X509Certificate, chain: X509Certificate[], roots: X509Certificate[]): boolean {
  let current = leaf;
  for (let i = 0; i < MAX_CHAIN; i += 1) {
    if (roots.some((r) => current.checkIssued(r) && current.verify(r.publicKey))) return true;
    const next = chain.find((c) => c !== current && current.checkIssued(c) && current.verify(c.publicKey));
    if (next === undefined) return false;
    current = next;
  }
  return false;
}

/**
 * Checks that each given file parses, the certificate is within its validity at `now`, the key is
 * the certificate's, and the certificate (through any intermediates in the cert file) is signed by
 * the CA. Pure apart from `now`; messages never include key material.
 */
export function checkTlsMaterial(material: TlsMaterial, now: Date): TlsMaterialProblems {
  const problems: TlsMaterialProblems = {};
  const cert = material.cert === undefined ? undefined : certs(material.cert);
  const key = material.key === undefined ? undefined : privateKey(material.key);
  const ca = material.ca === undefined ? undefined : certs(material.ca);
  if (typeof cert === 'string') problems.cert = cert;
  if (typeof key === 'string') problems.key = key;
  if (typeof ca === 'string') problems.ca = ca;
  const leaf = Array.isArray(cert) ? cert[0] : undefined;
  if (Array.isArray(ca)) {
    const stale = ca.map((c) => validity(c, now)).find((p) => p !== undefined);
    if (stale !== undefined) problems.ca = stale;
  }
  if (leaf === undefined) return problems;
  const stale = validity(leaf, now);
  if (stale !== undefined) problems.cert = stale;
  if (key !== undefined && typeof key !== 'string' && !leaf.checkPrivateKey(key))
    problems.key = "does not match the certificate's public key";
  const chain = (cert as X509Certificate[]).slice(1);
  if (Array.isArray(ca) && problems.ca === undefined && stale === undefined && !signedBy(leaf, chain, ca))
    problems.cert = 'is not signed by the CA certificate';
  return problems;
}
