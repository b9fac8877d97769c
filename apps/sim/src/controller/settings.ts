import { z } from 'zod';

/** Parses `300ms`, `5s`, `2m`, `1h` or a bare number of milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`cannot parse duration "${text}": use a number with ms, s, m or h (e.g. 500ms, 5s, 5m)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  return Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h']);
}

/** Parses the secret time scale: a number in (0, 1], e.g. `0.001` (hourly rotation every 3.6 s). */
export function parseTimeScale(text: string): number {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 1) {
    throw new Error(
      `cannot parse secret time scale "${text}": use a number greater than 0 and at most 1 (e.g. 0.001 makes hourly rotation 3.6s)`,
    );
  }
  return n;
}

/** Controller settings, fixed when the controller starts; persisted in `<model-dir>/settings.json`. */
export const Settings = z.object({
  /** Model name: the K8s namespace in pod FQDNs. */
  modelName: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'must be lowercase letters, digits and dashes')
    .default('sim'),
  /** update-status period (Juju's update-status-hook-interval). */
  updateStatusIntervalMs: z
    .number()
    .int()
    .min(100)
    .default(5 * 60_000),
  /** Pebble system-info and checks poll period (Juju: 5 s). */
  pebblePollIntervalMs: z.number().int().min(50).default(5_000),
  /** First retry delay of a failed hook; doubles per attempt. */
  hookRetryDelayMs: z.number().int().min(10).default(5_000),
  /** Longest retry delay (Juju caps at 5 min). */
  hookRetryMaxDelayMs: z
    .number()
    .int()
    .min(10)
    .default(5 * 60_000),
  /** Multiplies secret rotate periods and the 5-minute secret-rotate/secret-expired retry delay (1 = Juju's). */
  secretTimeScale: z.number().positive().max(1).default(1),
});
export type Settings = z.infer<typeof Settings>;

/** The delay before retry number `attempts` (1 = first retry) of a failed hook. */
export function retryDelay(settings: Settings, attempts: number): number {
  return Math.min(settings.hookRetryDelayMs * 2 ** Math.max(0, attempts - 1), settings.hookRetryMaxDelayMs);
}
