import { describe, expect, it } from 'vitest';
import {
  nextRotateAfterHook,
  nextRotateTime,
  parseExpire,
  parseGoDuration,
  rfc3339Seconds,
  willRotate,
} from './secret-schedule.js';

const t = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('nextRotateTime (Juju RotatePolicy.NextRotateTime)', () => {
  const last = t('2026-01-31T10:20:30.000Z');

  it('adds one period per policy, calendar months with Go AddDate normalisation', () => {
    const at = (p: string) => iso(nextRotateTime(p, last, last));
    expect(at('hourly')).toBe('2026-01-31T11:20:30.000Z');
    expect(at('daily')).toBe('2026-02-01T10:20:30.000Z');
    expect(at('weekly')).toBe('2026-02-07T10:20:30.000Z');
    // Feb 31 does not exist: Go normalises it to Mar 3 (2026 is not a leap year).
    expect(at('monthly')).toBe('2026-03-03T10:20:30.000Z');
    expect(at('quarterly')).toBe('2026-05-01T10:20:30.000Z');
    expect(iso(nextRotateTime('yearly', t('2028-02-29T00:00:00Z'), t('2028-02-29T00:00:00Z')))).toBe(
      '2029-03-01T00:00:00.000Z',
    );
  });

  it('is null for never and for no policy', () => {
    expect(nextRotateTime('never', last, last)).toBeNull();
    expect(nextRotateTime(null, last, last)).toBeNull();
    expect(willRotate('never')).toBe(false);
    expect(willRotate('bogus')).toBe(false);
    expect(willRotate('daily')).toBe(true);
  });

  it('never lies in the past: a period that already passed gives now', () => {
    const now = t('2026-03-01T00:00:00Z');
    expect(iso(nextRotateTime('daily', last, now))).toBe('2026-03-01T00:00:00.000Z');
  });

  it('scales the period: 0.001 makes hourly 3.6 s and monthly a thousandth of the calendar month', () => {
    expect(iso(nextRotateTime('hourly', last, last, 0.001))).toBe('2026-01-31T10:20:33.600Z');
    const month = t('2026-03-03T10:20:30.000Z').getTime() - last.getTime();
    expect(nextRotateTime('monthly', last, last, 0.001)!.getTime() - last.getTime()).toBeCloseTo(month * 0.001, 0);
  });
});

describe('nextRotateAfterHook (Juju SecretRotated)', () => {
  const scheduled = t('2026-01-01T01:00:00Z');
  const now = t('2026-01-01T01:00:02Z');
  const base = { policy: 'hourly', scheduled, latestExpire: null, now };

  it('moves one period on from the rotate time that fired when the charm made a new revision', () => {
    expect(iso(nextRotateAfterHook({ ...base, originalRevision: 1, latestRevision: 2 }))).toBe(
      '2026-01-01T02:00:00.000Z',
    );
  });

  it('retries 5 minutes after the rotate time that fired when the charm did not rotate', () => {
    expect(iso(nextRotateAfterHook({ ...base, originalRevision: 2, latestRevision: 2 }))).toBe(
      '2026-01-01T01:05:00.000Z',
    );
    expect(iso(nextRotateAfterHook({ ...base, originalRevision: 2, latestRevision: 2, scale: 0.001 }))).toBe(
      '2026-01-01T01:00:00.300Z',
    );
  });

  it('rotates early when the latest revision would expire before the next rotation, unless it expires first', () => {
    const soon = t('2026-01-01T01:30:00Z');
    expect(iso(nextRotateAfterHook({ ...base, latestExpire: soon, originalRevision: 1, latestRevision: 2 }))).toBe(
      '2026-01-01T01:05:00.000Z',
    );
    const sooner = t('2026-01-01T01:03:00Z');
    expect(iso(nextRotateAfterHook({ ...base, latestExpire: sooner, originalRevision: 1, latestRevision: 2 }))).toBe(
      '2026-01-01T02:00:00.000Z',
    );
  });

  it('counts from now when no rotate time was recorded, and stops for never', () => {
    expect(iso(nextRotateAfterHook({ ...base, scheduled: null, originalRevision: 1, latestRevision: 2 }))).toBe(
      '2026-01-01T02:00:02.000Z',
    );
    expect(nextRotateAfterHook({ ...base, policy: 'never', originalRevision: 1, latestRevision: 2 })).toBeNull();
  });
});

describe('parseExpire (jujuc --expire)', () => {
  const now = t('2026-01-01T00:00:00Z');
  const ok = (spec: string) => {
    const r = parseExpire(spec, now);
    if (!r.ok) throw new Error(r.message);
    return r.time.toISOString();
  };
  const bad = (spec: string) => {
    const r = parseExpire(spec, now);
    return r.ok ? `parsed as ${r.time.toISOString()}` : r.message;
  };

  it('takes Go durations from now', () => {
    expect(ok('10s')).toBe('2026-01-01T00:00:10.000Z');
    expect(ok('1h30m')).toBe('2026-01-01T01:30:00.000Z');
    expect(ok('1.5s')).toBe('2026-01-01T00:00:01.500Z');
    expect(ok('+.5m')).toBe('2026-01-01T00:00:30.000Z');
    expect(ok('1500ms')).toBe('2026-01-01T00:00:01.500Z');
  });

  it('takes RFC 3339 times with a zone, or without one as UTC', () => {
    expect(ok('2026-05-01T12:00:00Z')).toBe('2026-05-01T12:00:00.000Z');
    expect(ok('2026-05-01T12:00:00+02:00')).toBe('2026-05-01T10:00:00.000Z');
    expect(ok('2026-05-01T12:00:00.25-01:30')).toBe('2026-05-01T13:30:00.250Z');
    expect(ok('2026-05-01T12:00:00')).toBe('2026-05-01T12:00:00.000Z');
  });

  it('rejects what jujuc rejects, with jujuc’s messages', () => {
    expect(bad('soon')).toBe('expire time or duration "soon" not valid');
    expect(bad('2022-01-01')).toBe('expire time or duration "2022-01-01" not valid');
    expect(bad('10')).toBe('expire time or duration "10" not valid');
    expect(bad('1d')).toBe('expire time or duration "1d" not valid');
    expect(bad('2026-02-30T00:00:00Z')).toBe('expire time or duration "2026-02-30T00:00:00Z" not valid');
    expect(bad('2026-01-01T24:00:00Z')).toBe('expire time or duration "2026-01-01T24:00:00Z" not valid');
    expect(bad('2026-01-01 00:00:00Z')).toBe('expire time or duration "2026-01-01 00:00:00Z" not valid');
    expect(bad('-1h')).toBe('negative expire duration "-1h" not valid');
    expect(bad('0')).toBe('negative expire duration "0" not valid');
    expect(bad('0s')).toBe('negative expire duration "0s" not valid');
  });

  it('reads Go durations exactly', () => {
    expect(parseGoDuration('2h45m30.5s')).toBe(9_930_500);
    expect(parseGoDuration('-1.5h')).toBe(-5_400_000);
    expect(parseGoDuration('1µs')).toBe(0.001);
    expect(parseGoDuration('.s')).toBeUndefined();
    expect(parseGoDuration('')).toBeUndefined();
  });

  it('formats stored times to the second, as Juju stores them', () => {
    expect(rfc3339Seconds(t('2026-01-01T00:00:02.600Z'))).toBe('2026-01-01T00:00:03Z');
    expect(rfc3339Seconds(t('2026-01-01T00:00:02.400Z'))).toBe('2026-01-01T00:00:02Z');
  });
});
