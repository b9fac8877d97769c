import { randomBytes } from 'node:crypto';
import { registerSecret, type Model } from '@charms/charm-sdk';
import { z } from 'zod';
import { RedisCharmError } from './errors.js';
import { SECRET_LABEL } from './paths.js';

/** The passwords in the application secret. */
export interface Passwords {
  /** redis requirepass and masterauth (the admin password). */
  password: string;
  /** redis-sentinel's own requirepass. */
  sentinelPassword: string;
}

const Content = z.object({ password: z.string().min(16), 'sentinel-password': z.string().min(16) });

/** A fresh random password (32 URL-safe characters, 192 bits), registered for redaction. */
export function generatePassword(): string {
  const value = randomBytes(24).toString('base64url');
  registerSecret(value);
  return value;
}

/** Leader only: creates the application secret with fresh passwords; returns its id and content. */
export async function createPasswordSecret(model: Model): Promise<{ id: string; passwords: Passwords }> {
  const passwords = { password: generatePassword(), sentinelPassword: generatePassword() };
  const id = await model.secrets.add(
    { password: passwords.password, 'sentinel-password': passwords.sentinelPassword },
    {
      owner: 'application',
      label: SECRET_LABEL,
      description: 'redis-k8s admin (requirepass/masterauth) and sentinel passwords',
    },
  );
  return { id, passwords };
}

/**
 * Reads the passwords (secret-get; values are registered for redaction by the kit).
 * @throws {RedisCharmError} `secret-unavailable` when the secret cannot be read or lacks a key.
 */
export async function readPasswords(model: Model, id: string): Promise<Passwords> {
  let content: Record<string, string>;
  try {
    content = await model.secrets.get({ id });
  } catch (e) {
    throw new RedisCharmError('secret-unavailable', `cannot read the password secret ${id}: ${(e as Error).message}`, {
      secretId: id,
    });
  }
  const parsed = Content.safeParse(content);
  if (!parsed.success) {
    throw new RedisCharmError(
      'secret-unavailable',
      `cannot use the password secret ${id}: it needs keys "password" and "sentinel-password" of 16+ characters (recreate it by removing the secret; the leader makes a new one)`,
      { secretId: id },
    );
  }
  return { password: parsed.data.password, sentinelPassword: parsed.data['sentinel-password'] };
}
