import type { ResourceContent } from '../model/model.js';
import { checkTlsMaterial, type TlsMaterial } from './tls-material.js';

/** A TLS file resource as a hook saw it: attached (non-empty) with a digest of its content, or not. */
export interface TlsResourceFacts {
  attached: boolean;
  /** Hex SHA-256 of the content this hook read (and pushes: {@link Model.resource} reads once a hook). */
  sha256?: string;
  /** The PEM text, only for resources named in `keepPem` (a CA certificate is public). */
  pem?: string;
  /** Why the file is unusable (unreadable, empty, or what {@link checkTlsMaterial} found). */
  problem?: string;
}

/** Which resource holds each role's file, e.g. `{ cert: 'cert-file', key: 'key-file' }`. */
export type TlsResourceRoles<N extends string> = { [R in keyof TlsMaterial]?: N };

/** Options of {@link readTlsResources}. */
export interface ReadTlsResourcesOptions<N extends string> {
  /** The CA to check the certificate against when no resource holds it (e.g. one from relation data). */
  ca?: string | Buffer | undefined;
  /** Resources whose PEM text the facts carry (public ones only: never a key). */
  keepPem?: readonly N[];
  now?: Date;
}

type Read = { facts: TlsResourceFacts; bytes?: Buffer };

async function readOne(
  model: { resource(name: string): Promise<ResourceContent> },
  name: string,
  keepPem: boolean,
): Promise<Read> {
  try {
    const { bytes, sha256 } = await model.resource(name);
    if (bytes.length === 0) return { facts: { attached: false, problem: 'the attached file is empty' } };
    return { facts: { attached: true, sha256, ...(keepPem ? { pem: bytes.toString('utf8') } : {}) }, bytes };
  } catch (e) {
    const code = (e as { code?: string }).code;
    return { facts: code === 'not-found' ? { attached: false } : { attached: false, problem: (e as Error).message } };
  }
}

/**
 * Reads a charm's TLS file resources through the hook's model (once a hook, so what a hook records
 * is what it pushes) and checks them together with {@link checkTlsMaterial}: facts by resource
 * name, in the order of `roles`, each with what is wrong with it (no key content).
 */
export async function readTlsResources<N extends string>(
  model: { resource(name: string): Promise<ResourceContent> },
  roles: TlsResourceRoles<N>,
  options: ReadTlsResourcesOptions<N> = {},
): Promise<Record<N, TlsResourceFacts>> {
  const entries = Object.entries(roles) as [keyof TlsMaterial, N][];
  const reads = await Promise.all(
    entries.map(([, name]) => readOne(model, name, options.keepPem?.includes(name) ?? false)),
  );
  const material: TlsMaterial = { ca: options.ca };
  entries.forEach(([role], i) => (material[role] = reads[i]?.bytes));
  const problems = checkTlsMaterial(material, options.now ?? new Date());
  const facts = {} as Record<N, TlsResourceFacts>;
  entries.forEach(([role, name], i) => {
    const read = reads[i] as Read;
    const problem = problems[role];
    facts[name] = problem === undefined ? read.facts : { ...read.facts, problem };
  });
  return facts;
}
