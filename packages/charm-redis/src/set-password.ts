import { z } from 'zod';
import type { Passwords } from './passwords.js';

/** Which password `set-password` changes: the admin one (requirepass/masterauth) or sentinel's requirepass. */
export const PASSWORD_USERS = ['admin', 'sentinel'] as const;

// printable ASCII without space, quotes, backslash or '#': safe in redis.conf and sentinel.conf unquoted
const PASSWORD_CHARS = /^[A-Za-z0-9!$%&()*+,\-./:;<=>?@[\]^_`{|}~]+$/;

/** A password an operator may set (16 to 128 characters from a conf-safe set). */
export const OperatorPassword = z
  .string()
  .min(16, 'must be at least 16 characters')
  .max(128, 'must be at most 128 characters')
  .regex(
    PASSWORD_CHARS,
    'may hold only letters, digits and the punctuation !$%&()*+,-./:;<=>?@[]^_`{|}~ (no spaces, quotes, backslash or #)',
  );

/** The params of `set-password`. */
export const SetPasswordParams = z
  .object({
    username: z.enum(PASSWORD_USERS).default('admin'),
    password: OperatorPassword.optional(),
  })
  .strict();
export type SetPasswordParams = z.infer<typeof SetPasswordParams>;

/** The secret content after setting `user`'s password to `value` (pure). */
export function withPassword(current: Passwords, user: (typeof PASSWORD_USERS)[number], value: string): Passwords {
  return user === 'admin' ? { ...current, password: value } : { ...current, sentinelPassword: value };
}

/** The secret content as Juju stores it. */
export function secretContent(p: Passwords): Record<string, string> {
  return { password: p.password, 'sentinel-password': p.sentinelPassword };
}
