import type { Model } from '@charms/charm-sdk';
import type { SentinelSecrets } from './sentinel-conf.js';

/** The credentials secret's content, or why it cannot be used. */
export type CredentialsResult = { ok: true; secrets: SentinelSecrets } | { ok: false; problem: string };

/** The keys redis-k8s puts in the secret it grants to this relation (README.md, 'The relation'). */
export const SECRET_KEYS = { password: 'password', sentinelPassword: 'sentinel-password' } as const;

const cache = new WeakMap<Model, Map<string, Promise<CredentialsResult>>>();

async function fetchCredentials(model: Model, secretId: string): Promise<CredentialsResult> {
  let content: Record<string, string>;
  try {
    content = await model.secrets.get({ id: secretId, refresh: true });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'not-found' || code === 'permission-denied')
      return { ok: false, problem: `secret ${secretId} is not granted to this application yet` };
    throw e;
  }
  const password = content[SECRET_KEYS.password];
  const sentinelPassword = content[SECRET_KEYS.sentinelPassword];
  const missing = Object.values(SECRET_KEYS).filter((k) => !content[k]);
  if (password === undefined || sentinelPassword === undefined || missing.length > 0) {
    return { ok: false, problem: `secret ${secretId} lacks ${missing.map((k) => `"${k}"`).join(' and ')}` };
  }
  return { ok: true, secrets: { password, sentinelPassword } };
}

/**
 * The credentials secret's content, read once per hook (the Model lives for one hook). Values are
 * registered for redaction by the kit's secret-get.
 */
export function credentialsFor(model: Model, secretId: string): Promise<CredentialsResult> {
  let byId = cache.get(model);
  if (byId === undefined) {
    byId = new Map();
    cache.set(model, byId);
  }
  let found = byId.get(secretId);
  if (found === undefined) {
    found = fetchCredentials(model, secretId);
    byId.set(secretId, found);
  }
  return found;
}
