import { sha256 } from './record-codec.js';

const HASH_KEY = ',"hash":"';
const HASH_TAIL = HASH_KEY.length + 64 + 2;

/**
 * Serializes `fields` as one JSON object line ending in `"hash"`: the SHA-256 of the bytes before
 * `,"hash":"` (the same rule as records). `fields` must be a non-empty plain object.
 */
export function sealJson(fields: Record<string, unknown>): string {
  const body = JSON.stringify(fields).slice(0, -1);
  return `${body}${HASH_KEY}${sha256(body)}"}\n`;
}

/** Checks and parses a file written by {@link sealJson}; returns the reason when it is not intact. */
export function unsealJson(data: Buffer): { value: Record<string, unknown> } | { reason: string } {
  let end = data.length;
  if (data[end - 1] === 0x0a) end--;
  if (end < HASH_TAIL + 2) return { reason: 'too short to be sealed JSON' };
  const text = data.toString('utf8', 0, end);
  if (!text.endsWith('"}') || text.slice(-HASH_TAIL, -HASH_TAIL + HASH_KEY.length) !== HASH_KEY)
    return { reason: 'no trailing hash field' };
  const body = text.slice(0, -HASH_TAIL);
  if (sha256(body) !== text.slice(-66, -2)) return { reason: 'hash mismatch (the file was altered or torn)' };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { reason: 'not a JSON object' };
    return { value: value as Record<string, unknown> };
  } catch {
    return { reason: 'not valid JSON' };
  }
}
