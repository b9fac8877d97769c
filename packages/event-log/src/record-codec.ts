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
  /** `hash` of the previous record (GENESIS_HASH for seq 1). */
  prev: string;
  /** SHA-256 (hex) of this line's bytes before `,"hash":`. */
  hash: string;
}

/** The integrity fields of a line, read without parsing its JSON. */
export interface LineIntegrity {
  seq: number;
  prev: string;
  hash: string;
}

const HEAD = Buffer.from('{"seq":');
const HASH_KEY = Buffer.from(',"hash":"');
const PREV_KEY = Buffer.from(',"prev":"');
/** `,"hash":"` + 64 hex + `"}` */
const HASH_TAIL = HASH_KEY.length + 64 + 2;
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
export function encodeRecord(fields: Omit<RawRecord, 'hash' | 'payload'>, payloadJson: string): { line: Buffer; hash: string } {
  const body =
    `{"seq":${fields.seq},"time":${JSON.stringify(fields.time)},"type":${JSON.stringify(fields.type)},` +
    `"v":${fields.v},"payload":${payloadJson},"prev":"${fields.prev}"`;
  const hash = sha256(body);
  return { line: Buffer.from(`${body},"hash":"${hash}"}\n`), hash };
}

function matches(buf: Buffer, at: number, expected: Buffer): boolean {
  return buf.compare(expected, 0, expected.length, at, at + expected.length) === 0;
}

/**
 * Checks a line's own integrity (framing and hash over its bytes) without parsing its JSON.
 * Returns the integrity fields, or the reason the line is not a record.
 */
export function verifyLine(buf: Buffer, start: number, end: number): LineIntegrity | 'unparsable' | 'bad-hash' {
  if (end - start < MIN_LINE || !matches(buf, start, HEAD)) return 'unparsable';
  if (buf[end - 1] !== CLOSE_BRACE || buf[end - 2] !== QUOTE || !matches(buf, end - HASH_TAIL, HASH_KEY)) return 'unparsable';
  const bodyEnd = end - HASH_TAIL;
  if (!matches(buf, bodyEnd - PREV_TAIL, PREV_KEY) || buf[bodyEnd - 1] !== QUOTE) return 'unparsable';
  const stored = buf.toString('latin1', end - 66, end - 2);
  if (digest('sha256', buf.subarray(start, bodyEnd), 'hex') !== stored) return 'bad-hash';
  let seq = 0;
  let i = start + HEAD.length;
  for (; i < bodyEnd; i++) {
    const c = buf[i] as number;
    if (c < 0x30 || c > 0x39) break;
    seq = seq * 10 + (c - 0x30);
  }
  if (i === start + HEAD.length || buf[i] !== 0x2c) return 'unparsable';
  return { seq, prev: buf.toString('latin1', bodyEnd - 65, bodyEnd - 1), hash: stored };
}

/** Parses a line already checked by {@link verifyLine} into its record; `bad-envelope` if fields are malformed. */
export function parseRecord(buf: Buffer, start: number, end: number, integrity: LineIntegrity): RawRecord | 'unparsable' | 'bad-envelope' {
  let value: unknown;
  try {
    value = JSON.parse(buf.toString('utf8', start, end));
  } catch {
    return 'unparsable';
  }
  if (typeof value !== 'object' || value === null) return 'bad-envelope';
  const r = value as Partial<RawRecord>;
  if (
    r.seq !== integrity.seq ||
    typeof r.time !== 'string' ||
    typeof r.type !== 'string' ||
    r.type.length === 0 ||
    typeof r.v !== 'number' ||
    !Number.isInteger(r.v) ||
    r.v < 1 ||
    !('payload' in r) ||
    r.prev !== integrity.prev ||
    r.hash !== integrity.hash
  ) {
    return 'bad-envelope';
  }
  return r as RawRecord;
}
