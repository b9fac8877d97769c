/** Go `time.Duration` text, as Pebble reads and prints it. */

const UNITS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
// micro sign and Greek mu as escapes: an all-ASCII bundle keeps a one-byte source string in V8
const PART = /(\d*)(?:\.(\d*))?(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/y;

/** Parse Go duration text (`300ms`, `1.5h`, `2h45m`) into nanoseconds; undefined if it is not one. */
export function parseGoDuration(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s.startsWith('-') ? -1 : 1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < s.length) {
    const at = PART.lastIndex;
    const m = PART.exec(s);
    if (!m || m.index !== at) return undefined;
    const [, whole = '', frac = '', unit = ''] = m;
    if (whole === '' && frac === '') return undefined;
    const scale = UNITS[unit] ?? 0;
    total += Number(whole || '0') * scale + (frac ? Math.round(Number(`0.${frac}`) * scale) : 0);
  }
  return sign * total;
}

function fraction(value: number, digits: number): string {
  const text = String(value).padStart(digits, '0').replace(/0+$/, '');
  return text ? `.${text}` : '';
}

/** Format nanoseconds the way Go's `Duration.String()` does (`1.5s`, `1m0s`, `168h0m0s`, `500ms`). */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  const n = Math.abs(Math.round(ns));
  if (n < 1e3) return `${sign}${n}ns`;
  if (n < 1e6) return `${sign}${Math.floor(n / 1e3)}${fraction(n % 1e3, 3)}µs`;
  if (n < 1e9) return `${sign}${Math.floor(n / 1e6)}${fraction(n % 1e6, 6)}ms`;
  const secs = `${Math.floor(n / 1e9) % 60}${fraction(n % 1e9, 9)}s`;
  const totalMin = Math.floor(n / 60e9);
  if (totalMin === 0) return `${sign}${secs}`;
  const hours = Math.floor(totalMin / 60);
  return hours === 0 ? `${sign}${totalMin}m${secs}` : `${sign}${hours}h${totalMin % 60}m${secs}`;
}

/** Normalise duration text to Go's canonical form; text that is not a duration is returned unchanged. */
export function canonicalDuration(text: string): string {
  const ns = parseGoDuration(text);
  return ns === undefined ? text : formatGoDuration(ns);
}

/** Milliseconds as Go duration text for a request parameter (`1500ms`). */
export function msToGoDuration(ms: number): string {
  return `${Math.max(0, Math.round(ms))}ms`;
}
