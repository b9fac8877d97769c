import { z } from 'zod';
import { sha256 } from './record-codec.js';

/** What the log stores in place of a secret: a digest (`sha256:<hex>`) or a caller's reference. */
export const SecretRefSchema = z.strictObject({ $secret: z.string().min(1) });

/** A stored secret: a digest or a reference, never the value. */
export type SecretRef = z.infer<typeof SecretRefSchema>;

/** The digest form of a secret value: `{ $secret: 'sha256:<hex>' }`. */
export function digestSecret(value: string): SecretRef {
  return { $secret: `sha256:${sha256(value)}` };
}

/** A reference to a secret kept elsewhere, e.g. a Juju secret URI: `{ $secret: 'secret:cq1...' }`. */
export function secretRef(reference: string): SecretRef {
  return SecretRefSchema.parse({ $secret: reference });
}

/**
 * Declares a secret field in an event payload schema. Appending accepts the plain value (stored as its
 * SHA-256 digest) or a {@link SecretRef}; reading always yields the {@link SecretRef}.
 */
export function secret() {
  return z.union([SecretRefSchema, z.string().transform((value) => digestSecret(value))]);
}
