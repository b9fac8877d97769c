import { Readable } from 'node:stream';
import { z } from 'zod';
import {
  callShape,
  fileResultsSchema,
  ownerFields,
  ownerShape,
  parseOptions,
  throwItemError,
  type CallOptions,
  type OwnerOptions,
  type Permissions,
} from './files-common.js';
import { bytesOf, multipartBody, multipartContentType, randomBoundary, type ByteSource } from './multipart-writer.js';
import { checkEnvelope, errorFromBody, mapTransportError, parseEnvelope, parseResult } from './request.js';
import { readBodyText } from './stream-body.js';
import type { Transport } from './transport.js';

/** Largest answer read (a small JSON envelope). */
const RESPONSE_LIMIT = 1024 * 1024;

export interface PushOptions extends CallOptions, OwnerOptions {
  /** Create missing parent directories (mode 0o755, owned like the file). */
  makeDirs?: boolean | undefined;
  /** File mode (default 0o644). */
  permissions?: Permissions | undefined;
  /** Encoding of a string source, or of string chunks of a stream (default utf8). */
  encoding?: BufferEncoding | undefined;
}

const pushSchema = z
  .object({
    ...callShape,
    ...ownerShape,
    makeDirs: z.boolean().optional(),
    encoding: z
      .string()
      .refine((e) => Buffer.isEncoding(e), 'must be a Node.js buffer encoding such as "utf8"')
      .optional(),
  })
  .strict();

/** Bytes a byte-mode Readable source is asked for per read (see {@link widenReads}). */
const SOURCE_READ_SIZE = 1024 * 1024;

/**
 * Ask a byte-mode Readable source for {@link SOURCE_READ_SIZE} bytes at a time: `read(n)` above the
 * stream's high-water mark raises the mark, and a file stream then reads that much per `fs.read`. With
 * `createReadStream`'s 64 KiB, the 32 thread-pool round trips of a 2 MiB file took longer than Pebble
 * took to store it. Nothing is consumed (a stream short of `n` bytes returns null, and anything else
 * is put back).
 */
function widenReads(source: Readable): void {
  if (source.readableObjectMode || source.readableHighWaterMark >= SOURCE_READ_SIZE) return;
  if (source.readableLength > 0 || source.readableEnded || source.destroyed) return;
  const head: unknown = source.read(SOURCE_READ_SIZE);
  if (head !== null) source.unshift(head as Buffer);
}

function isByteSource(source: unknown): source is ByteSource {
  return (
    typeof source === 'string' ||
    source instanceof Uint8Array ||
    source instanceof Readable ||
    (typeof source === 'object' &&
      source !== null &&
      typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function')
  );
}

/**
 * Write a file through `POST /v1/files`, streaming `source` inside a multipart body: memory stays
 * constant whatever the size. Pebble writes atomically (temp file, then rename), so an interrupted
 * push leaves the old content. `timeout` covers the whole upload (pass 0 or a large value for big files).
 * @throws {PathError} for the server's per-file error (missing parent without `makeDirs`, unknown user, ...).
 * An error raised by `source` itself is rethrown unchanged.
 */
export async function push(t: Transport, path: string, source: ByteSource, options: PushOptions = {}): Promise<void> {
  const { signal, timeout, makeDirs, encoding, ...owner } = parseOptions(pushSchema, options, `push ${path}`);
  if (!isByteSource(source)) {
    throw new TypeError(
      `cannot push ${path}: source must be a string, Uint8Array, Readable or AsyncIterable<Uint8Array>, got ${typeof source}`,
    );
  }
  if (source instanceof Readable) widenReads(source);
  const meta = { action: 'write', files: [{ path, 'make-dirs': makeDirs ?? false, ...ownerFields(owner) }] };
  let sourceError: { error: unknown } | undefined;
  async function* guarded(): AsyncGenerator<Buffer> {
    try {
      yield* bytesOf(source, encoding as BufferEncoding | undefined);
    } catch (error) {
      sourceError = { error };
      throw error;
    }
  }
  const boundary = randomBoundary();
  const body = multipartBody(boundary, [
    { name: 'request', contentType: 'application/json', body: JSON.stringify(meta) },
    { name: 'files', filename: path, body: guarded() },
  ]);
  let res;
  try {
    res = await t.stream('POST', '/v1/files', {
      headers: { 'content-type': multipartContentType(boundary) },
      body,
      signal,
      timeout,
    });
  } catch (err) {
    if (sourceError) throw sourceError.error;
    throw err;
  }
  let text;
  try {
    text = await readBodyText(res.body, RESPONSE_LIMIT);
  } catch (err) {
    throw mapTransportError(err, res.context);
  }
  const contentType = res.headers['content-type'] ?? '';
  if (res.statusCode !== 200 || !/json/i.test(contentType))
    throw errorFromBody(text, res.statusCode, contentType, res.context);
  const env = checkEnvelope(
    parseEnvelope(text, res.statusCode, res.context),
    res.statusCode,
    { type: 'sync' },
    res.context,
  );
  throwItemError('push to', path, parseResult(fileResultsSchema, env.result, res.context));
}
