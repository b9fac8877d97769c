import { Readable } from 'node:stream';
import { z } from 'zod';
import { isPebbleError, ProtocolError } from './errors.js';
import {
  callShape,
  fileResultsSchema,
  parseOptions,
  pathError,
  throwItemError,
  type CallOptions,
} from './files-common.js';
import { boundaryOf, MultipartScanner, type MultipartEvent } from './multipart-parser.js';
import {
  checkEnvelope,
  errorFromBody,
  mapTransportError,
  parseEnvelope,
  parseResult,
  type RequestContext,
} from './request.js';
import { readBodyText } from './stream-body.js';
import { readStreamError } from './stream-exchange.js';
import type { Transport } from './transport.js';

export type PullOptions = CallOptions;

export interface PullTextOptions extends CallOptions {
  /** Text encoding of the file (default utf8). */
  encoding?: BufferEncoding | undefined;
}

const pullSchema = z.object(callShape).strict();
const pullTextSchema = z
  .object({
    ...callShape,
    encoding: z
      .string()
      .refine((e) => Buffer.isEncoding(e), 'must be a Node.js buffer encoding such as "utf8"')
      .optional(),
  })
  .strict();

/** Largest `response` part accepted (it is a small JSON envelope). */
const RESPONSE_LIMIT = 1024 * 1024;
/**
 * Chunks (views of socket reads, Pebble frames 32 KiB) the returned stream buffers before the socket is
 * paused. The stream is in object mode so that `read()` hands out one received chunk as is: in byte
 * mode it joins everything buffered into a new Buffer, a copy of every pulled byte.
 */
const STREAM_CHUNKS = 8;

/** The `response` part's text: the server's per-file error, if any, as a PathError. */
function responseError(text: string, path: string, ctx: RequestContext): unknown {
  try {
    const env = checkEnvelope(parseEnvelope(text, 200, ctx), 200, { type: 'sync' }, ctx);
    throwItemError('pull', path, parseResult(fileResultsSchema, env.result, ctx));
    return undefined;
  } catch (err) {
    return err;
  }
}

type Phase = 'first' | 'early-response' | 'content' | 'after-content' | 'response' | 'epilogue';

/**
 * Read a file through `GET /v1/files?action=read` as a stream of its bytes, parsed incrementally from
 * Pebble's multipart answer as the socket delivers it: file bytes go to the stream as views of the
 * received chunks (no copy), memory stays constant, and the socket is paused while the consumer lags.
 * The promise settles once Pebble has started answering: a missing file, a directory or another
 * per-file error rejects it with {@link PathError}. An error Pebble reports after the content (in the
 * trailing `response` part) errors the stream with PathError. Destroy the stream to stop early.
 * `timeout` covers the wait for the answer to start; the `signal` also governs the stream.
 */
export async function pull(t: Transport, path: string, options: PullOptions = {}): Promise<Readable> {
  const { signal, timeout } = parseOptions(pullSchema, options, `pull ${path}`);
  const res = await t.stream('GET', '/v1/files', {
    query: { action: 'read', path },
    headers: { accept: 'multipart/form-data' },
    signal,
    timeout,
  });
  const ctx = res.context;
  const contentType = res.headers['content-type'] ?? '';
  const boundary = boundaryOf(contentType);
  try {
    if (res.statusCode !== 200) throw await readStreamError(res);
    if (!boundary) throw errorFromBody(await readBodyText(res.body, RESPONSE_LIMIT), res.statusCode, contentType, ctx);
  } catch (err) {
    res.body.destroy();
    throw mapTransportError(err, ctx);
  }
  const body = res.body;
  const scanner = new MultipartScanner(boundary);
  // an error that comes after content reaches the consumer once it has read that content
  let pending: Error | undefined;
  const out = new Readable({
    objectMode: true,
    highWaterMark: STREAM_CHUNKS,
    read: () => {
      if (pending) {
        if (out.readableLength === 0) out.destroy(pending);
      } else body.resume();
    },
    destroy: (err, done) => {
      body.destroy();
      done(err);
    },
  });
  // Every consumer (async iterator, 'data', pipe) takes chunks through read(): once it has taken the
  // last buffered one, a pending error follows (on the next tick, after that chunk was handed out).
  const read = out.read.bind(out);
  out.read = (size?: number) => {
    const chunk: unknown = read(size);
    if (pending && out.readableLength === 0)
      process.nextTick(() => {
        if (!out.destroyed) out.destroy(pending);
      });
    return chunk;
  };
  return new Promise<Readable>((resolve, reject) => {
    let phase: Phase = 'first';
    let settled = false;
    let response: Buffer[] = [];
    let responseSize = 0;
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      const mapped = isPebbleError(err) ? err : mapTransportError(err, ctx);
      body.destroy();
      if (settled) {
        pending = mapped;
        const consumed = out.listenerCount('readable') + out.listenerCount('data') > 0;
        if (consumed && out.readableLength === 0) out.destroy(mapped);
      } else {
        settled = true;
        reject(mapped);
      }
    };
    const emit = (e: MultipartEvent) => {
      if (e.type === 'part') {
        if (phase === 'first' && e.name === 'files') {
          phase = 'content';
          settled = true;
          resolve(out);
        } else if (phase === 'first' && e.name === 'response') phase = 'early-response';
        else if (phase === 'after-content' && e.name === 'response') phase = 'response';
        else
          throw new ProtocolError({
            message:
              phase === 'first'
                ? `cannot pull ${path}: unexpected multipart part ${JSON.stringify(e.name)}`
                : `cannot pull ${path}: expected the response part, got ${JSON.stringify(e.name)}`,
          });
      } else if (e.type === 'data') {
        if (phase === 'content') {
          if (!out.push(e.chunk)) body.pause();
        } else if (phase === 'early-response' || phase === 'response') {
          responseSize += e.chunk.length;
          if (responseSize > RESPONSE_LIMIT)
            throw new ProtocolError({
              message: `cannot read pull response: the response part exceeds ${RESPONSE_LIMIT} bytes`,
            });
          response.push(Buffer.from(e.chunk));
        }
      } else if (phase === 'content') phase = 'after-content';
      else if (phase === 'early-response' || phase === 'response') {
        const err = responseError(Buffer.concat(response).toString('utf8'), path, ctx);
        response = [];
        if (err) throw err;
        if (phase === 'early-response')
          throw pathError('pull', path, { message: 'Pebble sent no content and no error', kind: 'generic-file-error' });
        phase = 'epilogue';
      }
    };
    body.start({
      data(chunk) {
        if (failed) return;
        try {
          scanner.feed(chunk, emit);
        } catch (err) {
          fail(err);
        }
      },
      end() {
        try {
          scanner.end(emit);
          if (phase === 'first' || phase === 'early-response')
            throw new ProtocolError({ message: 'cannot read pull response: the multipart body has no response part' });
          if (phase === 'content')
            throw new ProtocolError({ message: `cannot pull ${path}: the answer ended inside the file` });
          if (phase !== 'epilogue')
            throw new ProtocolError({ message: 'cannot read pull response: a part ended early' });
          out.push(null);
        } catch (err) {
          fail(err);
        }
      },
      error: fail,
    });
    out.once('close', () => body.destroy());
  });
}

/** Pull a whole file into memory as a Buffer (use {@link pull} for large files). */
export async function pullBuffer(t: Transport, path: string, options: PullOptions = {}): Promise<Buffer> {
  const stream = await pull(t, path, options);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Pull a whole file into memory as text (default utf8). */
export async function pullText(t: Transport, path: string, options: PullTextOptions = {}): Promise<string> {
  const { encoding, ...call } = parseOptions(pullTextSchema, options, `pull ${path}`);
  return (await pullBuffer(t, path, call)).toString((encoding ?? 'utf8') as BufferEncoding);
}
