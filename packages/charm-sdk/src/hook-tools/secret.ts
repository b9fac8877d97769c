import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { CharmError } from '../errors.js';
import { registerSecret } from '../logging/secret-registry.js';
import { callJson, callVoid, opt } from './call.js';
import { runTool, type HookToolRunner } from './runner.js';

/** Secret content: keys of 3+ lowercase letters, digits and single hyphens, starting with a letter. */
export type SecretContent = Record<string, string>;

const KEY = /^[a-z](?:-?[a-z0-9]){2,}$/;

/** Metadata options shared by secret-add and secret-set. */
export interface SecretMetaOptions {
  label?: string;
  description?: string;
  /** RFC 3339 time or a duration like `24h`. */
  expire?: string;
  rotate?: 'never' | 'hourly' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly';
}

/** Options of {@link secretAdd}. */
export interface SecretAddOptions extends SecretMetaOptions {
  owner?: 'application' | 'unit';
}

/** Secret metadata as secret-info-get prints it. */
export const SecretInfo = z
  .object({
    revision: z.number(),
    label: z.string().optional(),
    description: z.string().optional(),
    owner: z.string().optional(),
    rotation: z.string().optional(),
    expiry: z.string().optional(),
    rotates: z.string().optional(),
  })
  .loose();
export type SecretInfo = z.infer<typeof SecretInfo>;

/** Creates a secret (buffered) and returns its id; values travel in 0600 files, never argv. */
export async function secretAdd(
  runner: HookToolRunner,
  content: SecretContent,
  options: SecretAddOptions = {},
): Promise<string> {
  return withContentFiles(content, async (files) => {
    const args = [...meta(options), '--owner', options.owner ?? 'application', ...files];
    return (await runTool(runner, 'secret-add', args)).trim();
  });
}

/** Updates a secret's content and/or metadata (owner only): `secret-set [opts] <id> k#file=...`. */
export async function secretSet(
  runner: HookToolRunner,
  id: string,
  content: SecretContent | undefined,
  options: SecretMetaOptions & { owner?: 'application' | 'unit' } = {},
): Promise<void> {
  return withContentFiles(content ?? {}, (files) =>
    callVoid(runner, 'secret-set', [...meta(options), ...opt('--owner', options.owner), id, ...files]),
  );
}

/** Options of {@link secretGet}. */
export interface SecretGetOptions {
  id?: string;
  label?: string;
  /** Track and return the latest revision. */
  refresh?: boolean;
  /** Return the latest revision without tracking it. */
  peek?: boolean;
}

/** Secret content (values registered for redaction): `secret-get --format=json <id> [--label L] [--refresh|--peek]`. */
export async function secretGet(runner: HookToolRunner, options: SecretGetOptions): Promise<SecretContent> {
  if (options.id === undefined && options.label === undefined) {
    throw new CharmError('invalid-argument', 'cannot get a secret: pass an id or a label');
  }
  const args = ['--format=json', ...(options.id === undefined ? [] : [options.id]), ...opt('--label', options.label)];
  if (options.refresh) args.push('--refresh');
  if (options.peek) args.push('--peek');
  const content = await callJson(runner, 'secret-get', args, z.record(z.string(), z.string()));
  for (const value of Object.values(content)) registerSecret(value);
  return content;
}

/** Metadata of an owned secret, keyed by id: `secret-info-get --format=json <id>` or `--label L`. */
export function secretInfoGet(
  runner: HookToolRunner,
  options: { id?: string; label?: string },
): Promise<Record<string, SecretInfo>> {
  const args = ['--format=json', ...(options.id === undefined ? opt('--label', options.label) : [options.id])];
  return callJson(runner, 'secret-info-get', args, z.record(z.string(), SecretInfo));
}

/**
 * Grants read access to the remote side of a relation (buffered): `secret-grant --relation <id> [--unit u] <secret>`.
 */
export function secretGrant(
  runner: HookToolRunner,
  id: string,
  relationId: number,
  options: { unit?: string } = {},
): Promise<void> {
  return callVoid(runner, 'secret-grant', ['--relation', String(relationId), ...opt('--unit', options.unit), id]);
}

/** Revokes access (buffered): `secret-revoke --relation <id> [--unit u] <secret>`. */
export function secretRevoke(
  runner: HookToolRunner,
  id: string,
  relationId: number,
  options: { unit?: string } = {},
): Promise<void> {
  return callVoid(runner, 'secret-revoke', ['--relation', String(relationId), ...opt('--unit', options.unit), id]);
}

/** Removes a secret or one revision (buffered): `secret-remove <id> [--revision N]`. */
export function secretRemove(runner: HookToolRunner, id: string, options: { revision?: number } = {}): Promise<void> {
  return callVoid(runner, 'secret-remove', [id, ...opt('--revision', options.revision)]);
}

/** Ids of the secrets this unit owns: `secret-ids --format=json`. */
export function secretIds(runner: HookToolRunner): Promise<string[]> {
  return callJson(
    runner,
    'secret-ids',
    ['--format=json'],
    z
      .array(z.string())
      .nullable()
      .transform((v) => v ?? []),
  );
}

function meta(o: SecretMetaOptions): string[] {
  return [
    ...opt('--label', o.label),
    ...opt('--description', o.description),
    ...opt('--expire', o.expire),
    ...opt('--rotate', o.rotate),
  ];
}

async function withContentFiles<T>(content: SecretContent, fn: (args: string[]) => Promise<T>): Promise<T> {
  const entries = Object.entries(content);
  for (const [key, value] of entries) {
    if (!KEY.test(key)) {
      throw new CharmError(
        'invalid-argument',
        `cannot store secret key "${key}": keys are 3+ lowercase letters, digits and single hyphens, starting with a letter`,
        { key },
      );
    }
    if (typeof value !== 'string' || value === '') {
      throw new CharmError(
        'invalid-argument',
        `cannot store secret key "${key}": the value must be a non-empty string`,
        { key },
      );
    }
    registerSecret(value);
  }
  if (entries.length === 0) return fn([]);
  const dir = await mkdtemp(join(tmpdir(), 'charm-secret-'));
  try {
    const args: string[] = [];
    for (const [key, value] of entries) {
      const file = join(dir, key);
      await writeFile(file, value, { mode: 0o600 });
      args.push(`${key}#file=${file}`);
    }
    return await fn(args);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
