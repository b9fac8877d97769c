/**
 * The secret triggers (Juju's secretrotate and secretexpire workers, run by the unit agent of each
 * owner): when a secret's rotate time or a revision's expire time passes, secret-rotate or
 * secret-expired is queued for the unit that manages the secret. The runtime arms one timer at
 * {@link nextSecretTrigger} and calls {@link timerSecrets} when it fires.
 */
import {
  isoNow,
  type Change,
  type Effect,
  type OpOptions,
  secretRetryMs,
  willRotate,
  type Model,
  type Secret,
  clone,
  unitsOf,
} from '@charms/juju-model';

function ms(iso: string | null): number | null {
  return iso === null ? null : Date.parse(iso);
}

/** The earliest rotate or expire time not yet queued, or null when nothing will come due. Pure. */
export function nextSecretTrigger(model: Model): Date | null {
  let next: number | null = null;
  const consider = (t: number | null) => {
    if (t !== null && (next === null || t < next)) next = t;
  };
  for (const s of Object.values(model.secrets)) {
    if (willRotate(s.rotate) && !s.rotateDue) consider(ms(s.rotateNext));
    for (const r of s.revisions) if (!r.expireDue) consider(ms(r.expireNext));
  }
  return next === null ? null : new Date(next);
}

/** The unit that runs the secret's hooks now: the app's leader (app secrets) or the owner unit; '' if none. */
function manager(m: Model, s: Secret): string {
  if (s.owner.kind === 'unit') return m.units[s.owner.name] ? s.owner.name : '';
  return m.apps[s.owner.name]?.leader ?? '';
}

/**
 * The secret timer fired at `o.now`: every rotation whose time has come is queued (secret-rotate;
 * its next time is set when the hook commits), and every revision whose expiry time has come is
 * queued (secret-expired) and re-armed one retry delay later, so it fires again until the owner
 * removes the revision or re-times it, as Juju does.
 */
export function timerSecrets(model: Model, o?: OpOptions): Change {
  const now = Date.parse(isoNow(o));
  const m = clone(model);
  const effects: Effect[] = [];
  const woken = new Set<string>();
  const log = (unit: string, message: string) =>
    effects.push({
      type: 'log',
      entry: {
        time: new Date(now).toISOString(),
        unit,
        hook: '',
        level: 'DEBUG',
        logger: 'juju.worker.uniter.secrets',
        message,
      },
    });
  for (const s of Object.values(m.secrets).sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const unit = manager(m, s);
    const rotateAt = ms(s.rotateNext);
    if (willRotate(s.rotate) && !s.rotateDue && rotateAt !== null && rotateAt <= now) {
      s.rotateDue = true;
      log(unit, `${s.id} is due to rotate (${s.rotate}); secret-rotate queued`);
      woken.add(s.owner.name);
    }
    for (const r of s.revisions) {
      const expireAt = ms(r.expireNext);
      if (r.expireDue || expireAt === null || expireAt > now) continue;
      const retry = r.expire !== null && expireAt > Date.parse(r.expire);
      r.expireDue = true;
      r.expireNext = new Date(Math.max(expireAt, now) + secretRetryMs(m.secretTimeScale)).toISOString();
      log(unit, `${s.id} revision ${r.revision} expired${retry ? ' and was not removed' : ''}; secret-expired queued`);
      woken.add(s.owner.name);
    }
  }
  if (effects.length === 0) return { model, effects: [] };
  const units = [...woken].flatMap((owner) => (m.units[owner] ? [owner] : unitsOf(m, owner).map((u) => u.name)));
  effects.push({ type: 'wake', units });
  return { model: m, effects };
}
