import type { Readable } from 'node:stream';
import { Http1Error } from './http1-error.js';

/** What a streamed response body calls, in order: `data` per chunk, then `end` or `error` (once). */
export interface BodyEvents {
  data(chunk: Buffer): void;
  end(): void;
  error(err: unknown): void;
}

/**
 * A response body delivered push-style, without a stream in between: the files calls parse it as it
 * arrives. Nothing is delivered before {@link start}; after {@link destroy} nothing more is.
 */
export interface BodyReader {
  start(events: BodyEvents): void;
  /** Stop reading from the connection (the current chunk is still delivered). */
  pause(): void;
  resume(): void;
  /** Close the connection; no further events. */
  destroy(): void;
}

/** A Node Readable (a dispatcher's body stream) as a {@link BodyReader}. */
export function readableBody(stream: Readable): BodyReader {
  let done = false;
  return {
    start(events) {
      stream.on('data', (chunk: Buffer) => {
        if (!done) events.data(chunk);
      });
      stream.once('end', () => {
        if (done) return;
        done = true;
        events.end();
      });
      // stays after the first: destroying the stream may emit another
      stream.on('error', (err) => {
        if (done) return;
        done = true;
        events.error(err);
      });
    },
    pause: () => void stream.pause(),
    resume: () => void stream.resume(),
    destroy() {
      done = true;
      stream.destroy();
    },
  };
}

/**
 * Read a whole (small) body as utf8 text.
 * @throws {Http1Error} `HTTP1_BODY_OVERFLOW` past `limit` bytes, or the body's own error.
 */
export function readBodyText(body: BodyReader, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.start({
      data(chunk) {
        size += chunk.length;
        if (size > limit) {
          body.destroy();
          reject(new Http1Error('HTTP1_BODY_OVERFLOW', `response body exceeds ${limit} bytes`, true));
        } else chunks.push(chunk);
      },
      end: () => resolve(Buffer.concat(chunks).toString('utf8')),
      error: reject,
    });
  });
}
