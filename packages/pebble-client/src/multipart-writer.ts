import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

/** A source of bytes for a multipart part or a push. */
export type ByteSource = string | Uint8Array | Readable | AsyncIterable<Uint8Array>;

/** One part of a multipart/form-data body. */
export interface MultipartPart {
  /** The form field name (`request`, `files`). */
  name: string;
  /** The `filename` parameter; Pebble wants the full absolute path here. */
  filename?: string | undefined;
  contentType?: string | undefined;
  body: ByteSource;
  /** Encoding of a string body (default utf8). */
  encoding?: BufferEncoding | undefined;
}

/** A random boundary of 60 hex characters (Pebble requires at least 32). */
export function randomBoundary(): string {
  return randomBytes(30).toString('hex');
}

/** Escape a header parameter value for a quoted-string: backslash and double quote get a backslash. */
export function quoteParam(value: string): string {
  if (/[\r\n]/.test(value))
    throw new TypeError(`cannot use ${JSON.stringify(value)} in a multipart header: it contains a line break`);
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function partHeader(boundary: string, part: MultipartPart, first: boolean): Buffer {
  let head = `${first ? '' : '\r\n'}--${boundary}\r\nContent-Disposition: form-data; name=${quoteParam(part.name)}`;
  if (part.filename !== undefined) head += `; filename=${quoteParam(part.filename)}`;
  head += `\r\nContent-Type: ${part.contentType ?? 'application/octet-stream'}\r\n\r\n`;
  return Buffer.from(head, 'utf8');
}

/** Iterate a byte source as Buffers without copying Uint8Array chunks. */
export async function* bytesOf(
  source: ByteSource,
  encoding: BufferEncoding = 'utf8',
): AsyncGenerator<Buffer, void, undefined> {
  if (typeof source === 'string') {
    yield Buffer.from(source, encoding);
    return;
  }
  if (source instanceof Uint8Array) {
    yield Buffer.from(source.buffer, source.byteOffset, source.byteLength);
    return;
  }
  for await (const chunk of source as AsyncIterable<unknown>) {
    if (typeof chunk === 'string') yield Buffer.from(chunk, encoding);
    else if (chunk instanceof Uint8Array) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    else
      throw new TypeError(
        `cannot send a chunk of type ${typeof chunk}: a stream source must yield Uint8Array or string chunks`,
      );
  }
}

/** The multipart/form-data `Content-Type` header value for `boundary`. */
export function multipartContentType(boundary: string): string {
  return `multipart/form-data; boundary=${boundary}`;
}

/**
 * A multipart/form-data body as a stream of chunks, in part order. Streamed parts are pulled only as
 * the consumer reads, so memory stays constant whatever their size.
 */
export async function* multipartBody(
  boundary: string,
  parts: readonly MultipartPart[],
): AsyncGenerator<Buffer, void, undefined> {
  if (boundary.length < 1 || boundary.length > 70 || !/^[0-9A-Za-z'()+_,\-./:=?]+$/.test(boundary)) {
    throw new TypeError(`cannot use multipart boundary ${JSON.stringify(boundary)}: it must be 1-70 safe characters`);
  }
  let first = true;
  for (const part of parts) {
    yield partHeader(boundary, part, first);
    first = false;
    yield* bytesOf(part.body, part.encoding);
  }
  yield Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
}
