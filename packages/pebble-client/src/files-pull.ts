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
import { boundaryOf, parseMultipart, type MultipartEvent } from './multipart-parser.js';
import {
  checkEnvelope,
  errorFromBody,
  mapTransportError,
  parseEnvelope,
  parseResult,
  type RequestContext,
} from './request.js';
import { readRawError, type Transport } from './transport.js';

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

type Events = AsyncGenerator<MultipartEvent, void, undefined>;

async function nextPart(events: Events): Promise<MultipartEvent & { type: 'part' }> {
  for (;;) {
    const { value, done } = await events.next();
    if (done)
      throw new ProtocolError({ message: 'cannot read pull response: the multipart body has no response part' });
    if (value.type === 'part') return value;
  }
}

async function readPart(events: Events): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await events.next();
    if (done || value.type === 'part')
      throw new ProtocolError({ message: 'cannot read pull response: a part ended early' });
    if (value.type === 'part-end') return Buffer.concat(chunks).toString('utf8');
    size += value.chunk.length;
    if (size > RESPONSE_LIMIT)
      throw new ProtocolError({
        message: `cannot read pull response: the response part exceeds ${RESPONSE_LIMIT} bytes`,
      });
    chunks.push(Buffer.from(value.chunk));
  }
}

/** Read the final `response` part and throw the path's error, if the server reported one. */
async function checkResponse(events: Events, path: string, ctx: RequestContext): Promise<void> {
  const text = await readPart(events);
  const env = checkEnvelope(parseEnvelope(text, 200, ctx), 200, { type: 'sync' }, ctx);
  throwItemError('pull', path, parseResult(fileResultsSchema, env.result, ctx));
}

/**
 * Read a file through `GET /v1/files?action=read` as a stream of its bytes, parsed incrementally from
 * Pebble's multipart answer: memory stays constant and reading is paced by the consumer.
 * The promise settles once Pebble has started answering: a missing file, a directory or another
 * per-file error rejects it with {@link PathError}. An error Pebble reports after the content (in the
 * trailing `response` part) errors the stream with PathError. Destroy the stream to stop early.
 * `timeout` covers the wait for the answer to start; the `signal` also governs the stream.
 */
export async function pull(t: Transport, path: string, options: PullOptions = {}): Promise<Readable> {
  const { signal, timeout } = parseOptions(pullSchema, options, `pull ${path}`);
  const res = await t.raw('GET', '/v1/files', {
    query: { action: 'read', path },
    headers: { accept: 'multipart/form-data' },
    signal,
    timeout,
  });
  const ctx = res.context;
  const contentType = String(res.headers['content-type'] ?? '');
  const boundary = boundaryOf(contentType);
  let events: Events | undefined;
  try {
    if (res.statusCode !== 200) throw await readRawError(res);
    if (!boundary) throw errorFromBody(await res.body.text(), res.statusCode, contentType, ctx);
    events = parseMultipart(res.body, boundary);
    const first = await nextPart(events);
    if (first.name === 'response') {
      await checkResponse(events, path, ctx);
      throw pathError('pull', path, { message: 'Pebble sent no content and no error', kind: 'generic-file-error' });
    }
    if (first.name !== 'files')
      throw new ProtocolError({
        message: `cannot pull ${path}: unexpected multipart part ${JSON.stringify(first.name)}`,
      });
  } catch (err) {
    res.body.destroy();
    await events?.return();
    throw mapTransportError(err, ctx);
  }
  const parts = events;
  async function* content(): AsyncGenerator<Buffer> {
    try {
      for (;;) {
        const { value, done } = await parts.next();
        if (done) throw new ProtocolError({ message: `cannot pull ${path}: the answer ended inside the file` });
        if (value.type === 'part-end') break;
        if (value.type === 'data') yield value.chunk;
      }
      const next = await nextPart(parts);
      if (next.name !== 'response')
        throw new ProtocolError({
          message: `cannot pull ${path}: expected the response part, got ${JSON.stringify(next.name)}`,
        });
      await checkResponse(parts, path, ctx);
      for await (const _ of parts) {
        // the epilogue: reading it checks the closing boundary
      }
    } catch (err) {
      throw isPebbleError(err) ? err : mapTransportError(err, ctx);
    } finally {
      res.body.destroy();
    }
  }
  const stream = Readable.from(content(), { objectMode: false, highWaterMark: 64 * 1024 });
  stream.once('close', () => res.body.destroy());
  return stream;
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
