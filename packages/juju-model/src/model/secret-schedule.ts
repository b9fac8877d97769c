/**
 * Juju's secret timing, as pure functions: rotate policies and the next rotate time
 * (core/secrets/rotate.go), the next rotation after a secret-rotate hook (the secrets manager's
 * SecretRotated), the 5-minute re-fire delay of secret-rotate and secret-expired, and the
 * `--expire` argument of secret-add/secret-set (jujuc). Policy periods and the re-fire delay are
 * multiplied by `scale` (the model's secret time scale; 1 = Juju's real periods). Expire times
 * are absolute and never scaled.
 */

/** The rotate policies jujuc accepts. */
export const ROTATE_POLICIES = ['never', 'hourly', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly'] as const;
export type RotatePolicy = (typeof ROTATE_POLICIES)[number];

/** Juju's RotateRetryDelay and ExpireRetryDelay: re-fire when the charm did not rotate / remove. */
export const SECRET_RETRY_MS = 5 * 60_000;

/** True for a policy jujuc accepts. */
export function isRotatePolicy(s: string): s is RotatePolicy {
  return (ROTATE_POLICIES as readonly string[]).includes(s);
}

/** True when the policy makes the secret rotate (not unset, not `never`). */
export function willRotate(policy: string | null | undefined): policy is Exclude<RotatePolicy, 'never'> {
  return policy !== null && policy !== undefined && policy !== 'never' && isRotatePolicy(policy);
}

/** Go's `t.AddDate(years, months, days)` in UTC (out-of-range days normalise: Jan 31 + 1 month = Mar 3). */
function addDate(t: Date, years: number, months: number, days: number): Date {
  return new Date(
    Date.UTC(
      t.getUTCFullYear() + years,
      t.getUTCMonth() + months,
      t.getUTCDate() + days,
      t.getUTCHours(),
      t.getUTCMinutes(),
      t.getUTCSeconds(),
      t.getUTCMilliseconds(),
    ),
  );
}

/** One full (unscaled) period of the policy after `from`. */
function policyStep(policy: Exclude<RotatePolicy, 'never'>, from: Date): Date {
  switch (policy) {
    case 'hourly':
      return new Date(from.getTime() + 3_600_000);
    case 'daily':
      return addDate(from, 0, 0, 1);
    case 'weekly':
      return addDate(from, 0, 0, 7);
    case 'monthly':
      return addDate(from, 0, 1, 0);
    case 'quarterly':
      return addDate(from, 0, 3, 0);
    case 'yearly':
      return addDate(from, 1, 0, 0);
  }
}

/**
 * When the policy next rotates a secret last rotated (or created) at `last`: one period later
 * (calendar months for monthly/quarterly/yearly), scaled, and never before `now`. Null for
 * `never` or no policy.
 */
export function nextRotateTime(policy: string | null, last: Date, now: Date, scale = 1): Date | null {
  if (!willRotate(policy)) return null;
  const step = policyStep(policy, last).getTime() - last.getTime();
  const next = new Date(last.getTime() + Math.round(step * scale));
  return next < now ? now : next;
}

/** The re-fire delay of secret-rotate and secret-expired under `scale`, in whole milliseconds. */
export function secretRetryMs(scale = 1): number {
  return Math.round(SECRET_RETRY_MS * scale);
}

/** What the secrets manager knows when a secret-rotate hook has committed. */
export interface RotatedFacts {
  policy: string | null;
  /** The rotate time that fired (null: none recorded, `now` is used). */
  scheduled: Date | null;
  /** Expire time of the latest revision, if any. */
  latestExpire: Date | null;
  /** Latest revision when the hook began, and now. */
  originalRevision: number;
  latestRevision: number;
  now: Date;
  scale?: number;
}

/**
 * Juju's SecretRotated: the next rotate time after a secret-rotate hook. One policy period after
 * the rotate time that fired when the charm made a new revision; only the retry delay after it
 * when it did not (or when the latest revision would expire before the next rotation). Null when
 * the policy no longer rotates.
 */
export function nextRotateAfterHook(f: RotatedFacts): Date | null {
  if (!willRotate(f.policy)) return null;
  const scale = f.scale ?? 1;
  const last = f.scheduled ?? f.now;
  const next = nextRotateTime(f.policy, last, f.now, scale) ?? f.now;
  const forced = new Date(last.getTime() + secretRetryMs(scale));
  const expiresFirst = f.latestExpire !== null && f.latestExpire < next && forced < f.latestExpire;
  return expiresFirst || f.latestRevision === f.originalRevision ? forced : next;
}

/** Result of {@link parseExpire}: the expire time, or jujuc's error text (a usage error, exit 2). */
export type ExpireSpec = { ok: true; time: Date } | { ok: false; message: string };

// micro as \u escapes: packed bundles stay ASCII (V8 then stores their source one byte per character)
const goUnits: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  '\u00b5s': 1e-3,
  '\u03bcs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const goDuration = /^[-+]?(?:0|(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h))+)$/;

/** Go's time.ParseDuration in milliseconds, or undefined when it is not a Go duration. */
export function parseGoDuration(s: string): number | undefined {
  if (!goDuration.test(s)) return undefined;
  let total = 0;
  for (const [, n = '', unit = ''] of s.matchAll(/(\d+\.?\d*|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/g))
    total += Number(n) * (goUnits[unit] ?? 0);
  return s.startsWith('-') ? -total : total;
}

const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** Go's time.Parse with RFC3339 or `2006-01-02T15:04:05` (no zone = UTC), or undefined. */
function parseGoTime(s: string): Date | undefined {
  const m = rfc3339.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  let t = Date.UTC(y, mo - 1, d, h, mi, se, ms);
  const back = new Date(t);
  if (
    back.getUTCFullYear() !== y ||
    back.getUTCMonth() !== mo - 1 ||
    back.getUTCDate() !== d ||
    h > 23 ||
    mi > 59 ||
    se > 59
  )
    return undefined;
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const zh = Number(zone.slice(1, 3));
    const zm = Number(zone.slice(4, 6));
    if (zh > 23 || zm > 59) return undefined;
    t -= (zone[0] === '-' ? -1 : 1) * (zh * 60 + zm) * 60_000;
  }
  return new Date(t);
}

/**
 * The `--expire` argument of secret-add and secret-set as jujuc reads it: an RFC 3339 time
 * (`2026-05-01T12:00:00Z`, or without a zone for UTC), else a positive Go duration from `now`
 * (`10s`, `5m`, `1h30m`). Errors carry jujuc's texts.
 */
export function parseExpire(spec: string, now: Date): ExpireSpec {
  const time = parseGoTime(spec);
  if (time) return { ok: true, time };
  const ms = parseGoDuration(spec);
  if (ms === undefined) return { ok: false, message: `expire time or duration "${spec}" not valid` };
  if (ms <= 0) return { ok: false, message: `negative expire duration "${spec}" not valid` };
  return { ok: true, time: new Date(now.getTime() + ms) };
}

/** `t` rounded to the second (as Juju stores expire times), as RFC 3339 in UTC: `2026-05-01T12:00:03Z`. */
export function rfc3339Seconds(t: Date): string {
  return new Date(Math.round(t.getTime() / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}
