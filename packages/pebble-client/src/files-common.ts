import { z } from 'zod';
import { PathError } from './errors.js';
import { describeZodError, type CallOptions } from './request.js';

/** Who should own a created file or directory. Giving only a user implies that user's primary group. */
export interface OwnerOptions {
  userId?: number | undefined;
  user?: string | undefined;
  groupId?: number | undefined;
  group?: string | undefined;
}

/** Permission bits as a number (`0o644`) or a 3-digit octal string (`"644"`). */
export type Permissions = number | string;

const id = z
  .int()
  .min(0)
  .max(2 ** 32 - 2);
const name = z.string().min(1, 'must not be empty');

/** Owner and permission options as zod checks them, for the files calls. */
export const ownerShape = {
  userId: id.optional(),
  user: name.optional(),
  groupId: id.optional(),
  group: name.optional(),
  permissions: z
    .union([
      z.int().min(0).max(0o777, 'must be at most 0o777 (permission bits only)'),
      z.string().regex(/^[0-7]{3}$/, 'must be 3 octal digits like "644"'),
    ])
    .optional(),
};

/** Call options every files call accepts. */
export const callShape = {
  signal: z.instanceof(AbortSignal).optional(),
  timeout: z.number().nonnegative().finite().optional(),
};

/** Parse a call's options with zod; bad input throws a TypeError naming the field and the fix. */
export function parseOptions<T extends z.ZodType>(schema: T, options: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(options ?? {});
  if (!parsed.success) throw new TypeError(`cannot ${what}: invalid options.${describeZodError(parsed.error)}`);
  return parsed.data;
}

/** Pebble's 3-digit octal permission string for a number or string. */
export function permissionString(p: Permissions | undefined): string | undefined {
  if (p === undefined) return undefined;
  return typeof p === 'string' ? p : p.toString(8).padStart(3, '0');
}

/** The owner fields of a files request item, in Pebble's names (undefined fields are left out of the JSON). */
export function ownerFields(o: OwnerOptions & { permissions?: Permissions | undefined }): Record<string, unknown> {
  return {
    permissions: permissionString(o.permissions),
    'user-id': o.userId,
    user: o.user,
    'group-id': o.groupId,
    group: o.group,
  };
}

/** Result items of write, make-dirs and remove (and the pull `response` part). */
export const fileResultsSchema = z
  .array(
    z.object({
      path: z.string(),
      error: z.object({ message: z.string(), kind: z.string().optional() }).loose().nullish(),
    }),
  )
  .nullable()
  .transform((r) => r ?? []);
export type FileResults = z.output<typeof fileResultsSchema>;

/** A PathError for a per-item error; the message says what failed, then the server's text. */
export function pathError(
  verb: string,
  path: string,
  error: { message: string; kind?: string | undefined },
): PathError {
  const kind = error.kind || 'generic-file-error';
  return new PathError({ kind, path, message: `cannot ${verb} ${path}: ${error.message} (${kind})` });
}

/** Throw the first per-item error among `results` for `path`, if any. */
export function throwItemError(verb: string, path: string, results: FileResults): void {
  const item = results.find((r) => r.path === path) ?? results[0];
  if (item?.error) throw pathError(verb, path, item.error);
}

export type { CallOptions };
