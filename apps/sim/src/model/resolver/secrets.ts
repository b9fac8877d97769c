/**
 * The secrets part of the resolver, in Juju's order: secret-expired and secret-rotate for the
 * managing unit when their timers queued them, secret-changed for consumers, secret-remove for owners.
 */
import type { HookInfo, Model, Secret, Unit } from '@charms/juju-model';

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
  const managed = secrets.filter((s) => isManager(m, unit, s));
  for (const s of managed) {
    const r = s.revisions.filter((x) => x.expireDue).sort((a, b) => a.revision - b.revision)[0];
    if (r) return { kind: 'secret-expired', secretId: s.id, revision: r.revision };
  }
  const rotating = managed.find((s) => s.rotateDue);
  if (rotating) return { kind: 'secret-rotate', secretId: rotating.id, revision: rotating.latest };
  for (const s of secrets) {
    const c = s.consumers[unit.name];
    if (c && s.latest > c.tracked && c.notified < s.latest)
      return { kind: 'secret-changed', secretId: s.id, revision: s.latest };
  }
  for (const s of managed) {
    const rev = obsoleteRevisions(s).find((r) => !s.removeNotified.includes(r));
    if (rev !== undefined) return { kind: 'secret-remove', secretId: s.id, revision: rev };
  }
  return null;
}
