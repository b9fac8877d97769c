import { ProtocolError } from './errors.js';

/** What the incremental multipart parser reports, in order: `part`, its `data` chunks, `part-end`. */
export type MultipartEvent =
  | { type: 'part'; headers: Record<string, string>; name: string | undefined; filename: string | undefined }
  | { type: 'data'; chunk: Buffer }
  | { type: 'part-end' };

/** Limits that keep a hostile or broken body from growing the parser's buffer. */
export interface MultipartLimits {
  /** Largest header block of one part, in bytes (default 16 KiB). */
  maxHeaderBytes?: number;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const DASH_DASH = Buffer.from('--');

/** The `boundary` parameter of a multipart Content-Type, or undefined when it is not multipart/form-data. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^\s*multipart\/form-data\s*(;|$)/i.test(contentType)) return undefined;
  const params = parseParams(contentType.slice(contentType.indexOf(';') + 1));
  return params['boundary'] || undefined;
}

/** Parse `; key=value; key="quoted \" value"` parameters (keys lower-cased). */
export function parseParams(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /\s*;?\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/gy;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const key = (m[1] ?? '').toLowerCase();
    out[key] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '').trim();
  }
  return out;
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0)
      throw new ProtocolError({
        message: `cannot parse multipart response: bad header line ${JSON.stringify(line.slice(0, 100))}`,
      });
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function partEvent(headerBlock: string): MultipartEvent {
  const headers = parseHeaders(headerBlock);
  const disposition = headers['content-disposition'] ?? '';
  const semi = disposition.indexOf(';');
  const params = semi >= 0 ? parseParams(disposition.slice(semi + 1)) : {};
  return { type: 'part', headers, name: params['name'], filename: params['filename'] };
}

/**
 * Length of the longest tail of `buf` (at most `keep` bytes) that could be the start of `delimiter`:
 * the bytes a body chunk must hold back until the next chunk shows whether the delimiter follows.
 * Usually 0 (the delimiter starts with CR LF), so a whole received chunk goes out as one view; holding
 * back a fixed `keep` bytes instead cut every chunk in two and made the stream join them again.
 */
export function partialDelimiter(buf: Buffer, delimiter: Buffer, keep: number): number {
  const from = Math.max(0, buf.length - keep);
  for (let p = buf.indexOf(delimiter[0] ?? 13, from); p >= 0; p = buf.indexOf(delimiter[0] ?? 13, p + 1)) {
    const n = buf.length - p;
    if (buf.compare(delimiter, 0, n, p) === 0) return n;
  }
  return 0;
}

type State = 'preamble' | 'after-boundary' | 'headers' | 'body' | 'epilogue';

/**
 * The incremental multipart state machine, push-style: `feed` each received chunk and it calls
 * `emit` for what that chunk completes. Part bodies are handed out as views into the received
 * chunks, never accumulated, so memory stays bounded by one chunk plus the boundary.
 * @throws {ProtocolError} from `feed` or `end` when the body is malformed or ends early.
 */
export class MultipartScanner {
  private readonly maxHeaderBytes: number;
  // The body is read as if it started with CRLF, so the first delimiter looks like every other one.
  private readonly delimiter: Buffer;
  private readonly keep: number;
  private buf: Buffer = CRLF;
  private state: State = 'preamble';

  constructor(boundary: string, limits: MultipartLimits = {}) {
    this.maxHeaderBytes = limits.maxHeaderBytes ?? 16 * 1024;
    this.delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
    this.keep = this.delimiter.length - 1;
  }

  /** Scan one received chunk. */
  feed(raw: Uint8Array, emit: (event: MultipartEvent) => void): void {
    const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const { keep } = this;
    if (this.state === 'body' && this.buf.length > 0 && this.buf.length <= keep && chunk.length >= keep) {
      // Inside a body the kept tail is shorter than the delimiter: look for a delimiter that straddles
      // the two chunks in a small joint buffer instead of copying every chunk onto the tail.
      const joint = Buffer.concat([this.buf, chunk.subarray(0, keep)]);
      const at = joint.indexOf(this.delimiter);
      if (at < 0 || at >= this.buf.length) {
        emit({ type: 'data', chunk: this.buf });
        this.buf = chunk;
      } else {
        this.buf = Buffer.concat([this.buf, chunk]);
      }
    } else {
      this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    }
    while (this.step(emit));
  }

  /** The body ended: check it was complete. */
  end(emit: (event: MultipartEvent) => void): void {
    while (this.step(emit));
    if (this.state !== 'epilogue') {
      throw new ProtocolError({
        message: `cannot parse multipart response: the body ended before the closing boundary (in ${this.state})`,
      });
    }
  }

  private step(emit: (event: MultipartEvent) => void): boolean {
    const { delimiter, keep } = this;
    switch (this.state) {
      case 'preamble': {
        const at = this.buf.indexOf(delimiter);
        if (at < 0) {
          if (this.buf.length > keep) this.buf = this.buf.subarray(this.buf.length - keep);
          return false;
        }
        this.buf = this.buf.subarray(at + delimiter.length);
        this.state = 'after-boundary';
        return true;
      }
      case 'after-boundary': {
        if (this.buf.length < 2) return false;
        if (this.buf.subarray(0, 2).equals(DASH_DASH)) {
          this.state = 'epilogue';
          return true;
        }
        const eol = this.buf.indexOf(CRLF);
        if (eol < 0) {
          if (this.buf.length > 256)
            throw new ProtocolError({ message: 'cannot parse multipart response: no line end after a boundary' });
          return false;
        }
        if (this.buf.subarray(0, eol).toString('latin1').trim() !== '') {
          throw new ProtocolError({ message: 'cannot parse multipart response: unexpected bytes after a boundary' });
        }
        this.buf = this.buf.subarray(eol); // keep the CRLF: an empty header block is then CRLF CRLF
        this.state = 'headers';
        return true;
      }
      case 'headers': {
        const end = this.buf.indexOf(HEADER_END);
        if (end < 0) {
          if (this.buf.length > this.maxHeaderBytes)
            throw new ProtocolError({
              message: `cannot parse multipart response: part headers exceed ${this.maxHeaderBytes} bytes`,
            });
          return false;
        }
        emit(partEvent(this.buf.subarray(2, end).toString('utf8')));
        this.buf = this.buf.subarray(end + HEADER_END.length);
        this.state = 'body';
        return true;
      }
      case 'body': {
        const at = this.buf.indexOf(delimiter);
        if (at < 0) {
          const safe = this.buf.length - partialDelimiter(this.buf, delimiter, keep);
          if (safe > 0) {
            emit({ type: 'data', chunk: this.buf.subarray(0, safe) });
            this.buf = this.buf.subarray(safe);
          }
          return false;
        }
        if (at > 0) emit({ type: 'data', chunk: this.buf.subarray(0, at) });
        emit({ type: 'part-end' });
        this.buf = this.buf.subarray(at + delimiter.length);
        this.state = 'after-boundary';
        return true;
      }
      case 'epilogue':
        this.buf = Buffer.alloc(0);
        return false;
    }
  }
}

/**
 * Parse a multipart body incrementally (see {@link MultipartScanner}). This is an async generator,
 * so the consumer's pace drives reading: it pulls only on demand.
 * @throws {ProtocolError} when the body is malformed or ends before the closing boundary.
 */
export async function* parseMultipart(
  source: AsyncIterable<Uint8Array>,
  boundary: string,
  limits: MultipartLimits = {},
): AsyncGenerator<MultipartEvent, void, undefined> {
  const scanner = new MultipartScanner(boundary, limits);
  const events: MultipartEvent[] = [];
  const emit = (e: MultipartEvent) => void events.push(e);
  for await (const raw of source) {
    scanner.feed(raw, emit);
    yield* events.splice(0);
  }
  scanner.end(emit);
  yield* events.splice(0);
}
