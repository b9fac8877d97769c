import { z } from 'zod';
import { APIError, PathError } from './errors.js';
import {
  callShape,
  fileResultsSchema,
  ownerFields,
  ownerShape,
  parseOptions,
  throwItemError,
  type CallOptions,
  type OwnerOptions,
  type Permissions,
} from './files-common.js';
import type { Transport } from './transport.js';
import { lazySchema } from './request.js';

/** File types Pebble reports. */
export type FileType = 'file' | 'directory' | 'symlink' | 'socket' | 'named-pipe' | 'device' | 'unknown';

export const fileInfoSchema = z
  .object({
    path: z.string(),
    name: z.string(),
    type: z.enum(['file', 'directory', 'symlink', 'socket', 'named-pipe', 'device', 'unknown']).catch('unknown'),
    size: z.number().int().nonnegative().optional(),
    permissions: z.string().regex(/^[0-7]{3,4}$/),
    'last-modified': z.string(),
    'user-id': z.int().nullish(),
    user: z.string().optional(),
    'group-id': z.int().nullish(),
    group: z.string().optional(),
  })
  .loose()
  .transform((f) => ({
    path: f.path,
    name: f.name,
    type: f.type as FileType,
    /** Size in bytes; only for regular files. */
    size: f.size,
    /** Permission bits as a number (compare with `0o644`). */
    permissions: Number.parseInt(f.permissions, 8),
    /** RFC 3339 modification time as the server sent it. */
    lastModified: f['last-modified'],
    userId: f['user-id'] ?? undefined,
    /** Owner name, undefined when the uid has no name. */
    user: f.user || undefined,
    groupId: f['group-id'] ?? undefined,
    group: f.group || undefined,
  }));
/** One entry of `listFiles`. */
export type FileInfo = z.output<typeof fileInfoSchema>;

export interface ListFilesOptions extends CallOptions {
  /** Go `path.Match` glob applied to entry names, e.g. `*.conf`. */
  pattern?: string | undefined;
  /** For a directory, return its own entry instead of its contents. */
  itself?: boolean | undefined;
}

const listSchema = z.object({ ...callShape, pattern: z.string().optional(), itself: z.boolean().optional() }).strict();

/** The list answer; null when empty. Built on first use. */
const fileListSchema = lazySchema(() =>
  z
    .array(fileInfoSchema)
    .nullable()
    .transform((x) => x ?? []),
);

/**
 * `GET /v1/files?action=list`. A missing path, a permission problem or another file error throws
 * {@link PathError} (`kind` `not-found`, `permission-denied`, `generic-file-error`) with the APIError
 * as its cause; ops raises APIError 404 here, but one error class for every file call is easier to
 * branch on. Other failures (a relative path: 400 without kind) stay APIError.
 */
export async function listFiles(t: Transport, path: string, options: ListFilesOptions = {}): Promise<FileInfo[]> {
  const { pattern, itself, ...call } = parseOptions(listSchema, options, `list ${path}`);
  try {
    return await t.sync('GET', '/v1/files', {
      ...call,
      query: { action: 'list', path, pattern, itself: itself === undefined ? undefined : String(itself) },
      schema: fileListSchema(),
    });
  } catch (err) {
    if (
      err instanceof APIError &&
      err.kind &&
      ['not-found', 'permission-denied', 'generic-file-error'].includes(err.kind)
    ) {
      throw new PathError(
        {
          kind: err.kind,
          path,
          message: `cannot list ${path}: ${err.message.replace(/^cannot GET \S+: /, '')} (${err.kind})`,
        },
        { cause: err },
      );
    }
    throw err;
  }
}

export interface MakeDirOptions extends CallOptions, OwnerOptions {
  /** Create missing parents, and accept an existing directory (like `mkdir -p`). */
  makeParents?: boolean | undefined;
  /** Mode of the new directory (default 0o755; applied with chmod, so umask does not narrow it). */
  permissions?: Permissions | undefined;
}

const makeDirSchema = z.object({ ...callShape, ...ownerShape, makeParents: z.boolean().optional() }).strict();

/**
 * `POST /v1/files` make-dirs. Without `makeParents` an existing path fails; per-item errors throw
 * {@link PathError}.
 */
export async function makeDir(t: Transport, path: string, options: MakeDirOptions = {}): Promise<void> {
  const { signal, timeout, makeParents, ...owner } = parseOptions(makeDirSchema, options, `make directory ${path}`);
  const results = await t.sync('POST', '/v1/files', {
    signal,
    timeout,
    body: { action: 'make-dirs', dirs: [{ path, 'make-parents': makeParents ?? false, ...ownerFields(owner) }] },
    schema: fileResultsSchema,
  });
  throwItemError('make directory', path, results);
}

export interface RemovePathOptions extends CallOptions {
  /** Remove a directory and its contents, like `rm -rf` (a missing path is then no error). */
  recursive?: boolean | undefined;
}

const removeSchema = z.object({ ...callShape, recursive: z.boolean().optional() }).strict();

/**
 * `POST /v1/files` remove. Without `recursive`, a missing path (`not-found`) or a non-empty directory
 * throws {@link PathError}.
 */
export async function removePath(t: Transport, path: string, options: RemovePathOptions = {}): Promise<void> {
  const { signal, timeout, recursive } = parseOptions(removeSchema, options, `remove ${path}`);
  const results = await t.sync('POST', '/v1/files', {
    signal,
    timeout,
    body: { action: 'remove', paths: [{ path, recursive: recursive ?? false }] },
    schema: fileResultsSchema,
  });
  throwItemError('remove', path, results);
}
