import { createHash, X509Certificate } from 'node:crypto';
import { z } from 'zod';

/** This charm's TLS file resources (charmcraft.yaml `resources:`): sentinel's own certificate and key. */
export const TLS_RESOURCES = ['cert-file', 'key-file'] as const;
export type TlsResourceName = (typeof TLS_RESOURCES)[number];

/** File names under `paths.tlsDir`. */
export const TLS_FILES = { cert: 'sentinel.crt', key: 'sentinel.key', ca: 'ca.crt' } as const;

/** A TLS file resource as a hook saw it: attached (non-empty) with a digest of its content, or not. */
export const TlsResourceFacts = z.object({
  attached: z.boolean(),
  sha256: z.string().optional(),
  problem: z.string().optional(),
});
export type TlsResourceFacts = z.infer<typeof TlsResourceFacts>;

/** Both TLS resources (only read while redis-k8s serves TLS). */
export const TlsFacts = z.object({ 'cert-file': TlsResourceFacts, 'key-file': TlsResourceFacts });
export type TlsFacts = z.infer<typeof TlsFacts>;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[A-Za-z0-9+/=\r\n]+?-----END \1-----/g;

/**
 * The CA bundle redis-k8s publishes as `tls-ca`: one or more PEM certificates and nothing else.
 * Anything that is not a parsable certificate (a private key above all) is refused.
 */
export const CaBundle = z.string().transform((text, ctx) => {
  const blocks = [...text.matchAll(PEM_BLOCK)];
  const rest = text.replace(PEM_BLOCK, '').trim();
  if (/PRIVATE KEY/.test(text)) {
    ctx.addIssue({ code: 'custom', message: 'holds a private key; it must carry CA certificates only' });
    return z.NEVER;
  }
  if (blocks.length === 0 || rest !== '' || blocks.some((b) => b[1] !== 'CERTIFICATE')) {
    ctx.addIssue({ code: 'custom', message: 'must be one or more PEM certificates (-----BEGIN CERTIFICATE-----)' });
    return z.NEVER;
  }
  for (const [i, b] of blocks.entries()) {
    try {
      new X509Certificate(b[0]);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `certificate ${i + 1} of ${blocks.length} is not a valid X.509 certificate`,
      });
      return z.NEVER;
    }
  }
  return `${blocks.map((b) => b[0].replace(/\r\n/g, '\n')).join('\n')}\n`;
});

/** SHA-256 of a text, hex. */
export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The resources a TLS plan needs that are not attached (pure). */
export function missingTlsResources(facts: TlsFacts | null): TlsResourceName[] {
  return TLS_RESOURCES.filter((r) => facts?.[r]?.attached !== true);
}

/** The attached resources whose content is unusable, with why (pure). */
export function unusableTlsResources(facts: TlsFacts | null): Array<[TlsResourceName, string]> {
  return TLS_RESOURCES.flatMap((r): Array<[TlsResourceName, string]> => {
    const f = facts?.[r];
    return f?.attached === true && f.problem !== undefined ? [[r, f.problem]] : [];
  });
}

/** How a client reaches a sentinel or redis that serves TLS: the chain is verified against `ca`. */
export interface ClientTls {
  ca: string;
}

/**
 * The options for a TLS connection from this charm (ioredis/Node tls). The chain is verified;
 * names are not, as redis and sentinel themselves do not (certificates rarely carry pod addresses).
 */
export function clientTlsOptions(tls: ClientTls): { ca: string; checkServerIdentity: () => undefined } {
  return { ca: tls.ca, checkServerIdentity: () => undefined };
}
