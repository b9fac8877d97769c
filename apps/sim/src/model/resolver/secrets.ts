/** The secrets part of the resolver: secret-changed for consumers, secret-remove for owners. */
import type { HookInfo, Model, Secret, Unit } from '../schema.js';

type SecretInfo = Extract<HookInfo, { secretId: string }>;

/** True when `unit` manages the secret (its app's leader for app secrets, itself for unit secrets). */
export function isManager(m: Model, unit: Unit, s: Secret): boolean {
  if (s.owner.kind === 'unit') return s.owner.name === unit.name;
  return s.owner.name === unit.app && m.apps[unit.app]?.leader === unit.name;
}

/** Revisions below the latest that no consumer tracks. */
export function obsoleteRevisions(s: Secret): number[] {
  const tracked = new Set(Object.values(s.consumers).map((c) => c.tracked));
  return s.revisions.map((r) => r.revision).filter((r) => r < s.latest && !tracked.has(r));
}

/** The next secret hook for the unit, or null. */
export function nextSecretHook(m: Model, unit: Unit): SecretInfo | null {
  const secrets = Object.values(m.secrets).sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const s of secrets) {
    const c = s.consumers[unit.name];
    if (c && s.latest > c.tracked && c.notified < s.latest) return { kind: 'secret-changed', secretId: s.id, revision: s.latest };
  }
  for (const s of secrets) {
    if (!isManager(m, unit, s)) continue;
    const rev = obsoleteRevisions(s).find((r) => !s.removeNotified.includes(r));
    if (rev !== undefined) return { kind: 'secret-remove', secretId: s.id, revision: rev };
  }
  return null;
}
