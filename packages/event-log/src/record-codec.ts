import { hash as digest } from 'node:crypto';

/** `prev` of the first record of a log. */
export const GENESIS_HASH = '0'.repeat(64);

/** A record as stored: one JSON line. */
export interface RawRecord {
  seq: number;
  time: string;
  type: string;
  /** Schema version of `type` the payload was written with. */
  v: number;
  payload: unknown;
  /** SHA-256 (hex) of this line's bytes before `,"hash":`; the next record's `prev`. */
  hash: string;
}

/** The fields the writer encodes; `prev` is the previous record's hash (GENESIS_HASH for the first). */
export type RecordFields = Omit<RawRecord, 'hash' | 'payload'> & { prev: string };

/** The integrity fields of a line, read without parsing its JSON. */
export interface LineIntegrity {
  seq: number;
  hash: string;
  /** Offset in the buffer of the 64 hex digits of `prev`. */
  prevAt: number;
}

const HEAD = Buffer.from('{"seq":');
const HASH_KEY = Buffer.from(',"hash":"');
const PREV_KEY = Buffer.from(',"prev":"');
/** `,"hash":"` + 64 hex + `"}` */
export const HASH_TAIL = HASH_KEY.length + 64 + 2;
/** `,"prev":"` + 64 hex + `"` */
const PREV_TAIL = PREV_KEY.length + 64 + 1;
const MIN_LINE = HEAD.length + 1 + PREV_TAIL + HASH_TAIL + 1;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;

/** SHA-256 hex of `data`. */
export function sha256(data: string | Buffer): string {
  return digest('sha256', data, 'hex');
}

/** Encodes one record as a line (with trailing newline) and returns it with its hash. */
export function encodeRecord(fields: RecordFields, payloadJson: string): { line: Buffer; hash: string } {
  const body =
    `{"seq":${fields.seq},"time":${JSON.stringify(fields.time)},"type":${JSON.stringify(fields.type)},` +
    `"v":${fields.v},"payload":${payloadJson},"prev":"${fields.prev}"`;
  const hash = sha256(body);
  return { line: Buffer.from(`${body},"hash":"${hash}"}\n`), hash };
}

interface FastSlices {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/** `buf.toString('latin1', start, end)` without the encoding dispatch (hot path). */
function latin1(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as FastSlices).latin1Slice(start, end);
}

/** `buf.toString('utf8', start, end)` without the encoding dispatch (hot path). */
function utf8(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as FastSlices).utf8Slice(start, end);
}

/** True when the `prev` digits at `integrity.prevAt` equal `expected`. */
export function prevMatches(buf: Buffer, integrity: LineIntegrity, expected: string): boolean {
  const at = integrity.prevAt;
  for (let i = 0; i < 64; i++) if (buf[at + i] !== expected.charCodeAt(i)) return false;
  return true;
}

function matches(buf: Buffer, at: number, expected: Buffer): boolean {
  for (let i = 0; i < expected.length; i++) if (buf[at + i] !== expected[i]) return false;
  return true;
}

/**
 * Checks a line's own integrity (framing and hash over its bytes) without parsing its JSON.
 * Returns the integrity fields, or the reason the line is not a record. With `digestChecked` the
 * SHA-256 comparison is skipped (a {@link startDigestVerifier} worker already made it).
 */
export function verifyLine(
  buf: Buffer,
  start: number,
  end: number,
  digestChecked = false,
): LineIntegrity | 'unparsable' | 'bad-hash' {
  if (end - start < MIN_LINE || !matches(buf, start, HEAD)) return 'unparsable';
  if (buf[end - 1] !== CLOSE_BRACE || buf[end - 2] !== QUOTE || !matches(buf, end - HASH_TAIL, HASH_KEY))
    return 'unparsable';
  const bodyEnd = end - HASH_TAIL;
  if (!matches(buf, bodyEnd - PREV_TAIL, PREV_KEY) || buf[bodyEnd - 1] !== QUOTE) return 'unparsable';
  const storedAt = end - 66;
  let computed: string;
  if (digestChecked) computed = latin1(buf, storedAt, end - 2);
  else {
    // compare the computed digest with the stored digits in place: no string slice per line
    computed = digest('sha256', buf.subarray(start, bodyEnd), 'hex');
    for (let k = 0; k < 64; k++) if (buf[storedAt + k] !== computed.charCodeAt(k)) return 'bad-hash';
  }
  let seq = 0;
  let i = start + HEAD.length;
  for (; i < bodyEnd; i++) {
    const c = buf[i] as number;
    if (c < 0x30 || c > 0x39) break;
    seq = seq * 10 + (c - 0x30);
  }
  if (i === start + HEAD.length || buf[i] !== 0x2c) return 'unparsable';
  return { seq, hash: computed, prevAt: bodyEnd - 65 };
}

const TIME_KEY = Buffer.from(',"time":"');
const TYPE_KEY = Buffer.from('","type":"');
const V_KEY = Buffer.from('","v":');
const PAYLOAD_KEY = Buffer.from(',"payload":');
const BACKSLASH = 0x5c;

/** End of a plain ASCII string value starting at `i` (no escapes), or -1. */
function plainStringEnd(buf: Buffer, i: number, end: number): number {
  for (; i < end; i++) {
    const c = buf[i] as number;
    if (c === QUOTE) return i;
    if (c === BACKSLASH || c >= 0x80 || c < 0x20) return -1;
  }
  return -1;
}

// a log has few event types: reuse the previous record's type string when the bytes match
let lastType = '';

function typeString(buf: Buffer, start: number, end: number): string {
  const n = end - start;
  if (n === lastType.length) {
    let k = 0;
    while (k < n && buf[start + k] === lastType.charCodeAt(k)) k++;
    if (k === n) return lastType;
  }
  lastType = latin1(buf, start, end);
  return lastType;
}

/** Reads the envelope by position (the layout the writer produces) and JSON-parses only the payload. */
function parseByLayout(
  buf: Buffer,
  start: number,
  end: number,
  integrity: LineIntegrity,
): RawRecord | 'unparsable' | undefined {
  let i = start + HEAD.length;
  while ((buf[i] as number) >= 0x30 && (buf[i] as number) <= 0x39) i++;
  if (!matches(buf, i, TIME_KEY)) return undefined;
  const timeStart = i + TIME_KEY.length;
  const timeEnd = plainStringEnd(buf, timeStart, end);
  if (timeEnd === -1 || !matches(buf, timeEnd, TYPE_KEY)) return undefined;
  const typeStart = timeEnd + TYPE_KEY.length;
  const typeEnd = plainStringEnd(buf, typeStart, end);
  if (typeEnd <= typeStart || !matches(buf, typeEnd, V_KEY)) return undefined;
  i = typeEnd + V_KEY.length;
  let v = 0;
  const vStart = i;
  for (; (buf[i] as number) >= 0x30 && (buf[i] as number) <= 0x39; i++) v = v * 10 + ((buf[i] as number) - 0x30);
  if (i === vStart || v < 1 || !matches(buf, i, PAYLOAD_KEY)) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(utf8(buf, i + PAYLOAD_KEY.length, end - HASH_TAIL - PREV_TAIL));
  } catch {
    return 'unparsable';
  }
  return {
    seq: integrity.seq,
    time: latin1(buf, timeStart, timeEnd),
    type: typeString(buf, typeStart, typeEnd),
    v,
    payload,
    hash: integrity.hash,
  };
}

/**
 * Parses a line already checked by {@link verifyLine} into its record; `bad-envelope` if fields are
 * malformed. `hash` comes from the checked integrity; lines in the writer's exact layout
 * skip the generic JSON parse of the envelope.
 */
export function parseRecord(
  buf: Buffer,
  start: number,
  end: number,
  integrity: LineIntegrity,
): RawRecord | 'unparsable' | 'bad-envelope' {
  const fast = parseByLayout(buf, start, end, integrity);
  if (fast !== undefined) return fast;
  let value: unknown;
  try {
    value = JSON.parse(buf.toString('utf8', start, end));
  } catch {
    return 'unparsable';
  }
  if (typeof value !== 'object' || value === null) return 'bad-envelope';
  const r = value as RawRecord;
  if (
    r.seq !== integrity.seq ||
    typeof r.time !== 'string' ||
    typeof r.type !== 'string' ||
    r.type.length === 0 ||
    typeof r.v !== 'number' ||
    !Number.isInteger(r.v) ||
    r.v < 1 ||
    !('payload' in r)
  ) {
    return 'bad-envelope';
  }
  return { seq: r.seq, time: r.time, type: r.type, v: r.v, payload: r.payload, hash: integrity.hash };
}
