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

type State = 'preamble' | 'after-boundary' | 'headers' | 'body' | 'epilogue';

/**
 * Parse a multipart body incrementally. Part bodies are handed out as they arrive (views into the
 * received chunks, never accumulated), so memory stays bounded by one chunk plus the boundary,
 * and the consumer's pace drives reading: this is an async generator, so it pulls only on demand.
 * @throws {ProtocolError} when the body is malformed or ends before the closing boundary.
 */
export async function* parseMultipart(
  source: AsyncIterable<Uint8Array>,
  boundary: string,
  limits: MultipartLimits = {},
): AsyncGenerator<MultipartEvent, void, undefined> {
  const maxHeaderBytes = limits.maxHeaderBytes ?? 16 * 1024;
  // The body is read as if it started with CRLF, so the first delimiter looks like every other one.
  const delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  const keep = delimiter.length - 1;
  let buf: Buffer = CRLF;
  let state = 'preamble' as State;

  const step = function* (): Generator<MultipartEvent, boolean> {
    switch (state) {
      case 'preamble': {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          if (buf.length > keep) buf = buf.subarray(buf.length - keep);
          return false;
        }
        buf = buf.subarray(at + delimiter.length);
        state = 'after-boundary';
        return true;
      }
      case 'after-boundary': {
        if (buf.length < 2) return false;
        if (buf.subarray(0, 2).equals(DASH_DASH)) {
          state = 'epilogue';
          return true;
        }
        const eol = buf.indexOf(CRLF);
        if (eol < 0) {
          if (buf.length > 256)
            throw new ProtocolError({ message: 'cannot parse multipart response: no line end after a boundary' });
          return false;
        }
        if (buf.subarray(0, eol).toString('latin1').trim() !== '') {
          throw new ProtocolError({ message: 'cannot parse multipart response: unexpected bytes after a boundary' });
        }
        buf = buf.subarray(eol); // keep the CRLF: an empty header block is then CRLF CRLF
        state = 'headers';
        return true;
      }
      case 'headers': {
        const end = buf.indexOf(HEADER_END);
        if (end < 0) {
          if (buf.length > maxHeaderBytes)
            throw new ProtocolError({
              message: `cannot parse multipart response: part headers exceed ${maxHeaderBytes} bytes`,
            });
          return false;
        }
        yield partEvent(buf.subarray(2, end).toString('utf8'));
        buf = buf.subarray(end + HEADER_END.length);
        state = 'body';
        return true;
      }
      case 'body': {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          const safe = buf.length - keep;
          if (safe > 0) {
            yield { type: 'data', chunk: buf.subarray(0, safe) };
            buf = buf.subarray(safe);
          }
          return false;
        }
        if (at > 0) yield { type: 'data', chunk: buf.subarray(0, at) };
        yield { type: 'part-end' };
        buf = buf.subarray(at + delimiter.length);
        state = 'after-boundary';
        return true;
      }
      case 'epilogue':
        buf = Buffer.alloc(0);
        return false;
    }
  };

  for await (const raw of source) {
    const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    if (state === 'body' && buf.length > 0 && buf.length <= keep && chunk.length >= keep) {
      // Inside a body the kept tail is shorter than the delimiter: look for a delimiter that straddles
      // the two chunks in a small joint buffer instead of copying every chunk onto the tail.
      const joint = Buffer.concat([buf, chunk.subarray(0, keep)]);
      const at = joint.indexOf(delimiter);
      if (at < 0 || at >= buf.length) {
        yield { type: 'data', chunk: buf };
        buf = chunk;
      } else {
        buf = Buffer.concat([buf, chunk]);
      }
    } else {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    }
    while (yield* step());
  }
  while (yield* step());
  if (state !== 'epilogue') {
    throw new ProtocolError({
      message: `cannot parse multipart response: the body ended before the closing boundary (in ${state})`,
    });
  }
}
