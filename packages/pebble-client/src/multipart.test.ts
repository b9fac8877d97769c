import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isPebbleError } from './errors.js';
import {
  boundaryOf,
  MultipartScanner,
  parseMultipart,
  parseParams,
  partialDelimiter,
  type MultipartEvent,
} from './multipart-parser.js';
import { multipartBody, quoteParam, randomBoundary } from './multipart-writer.js';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function* chunked(data: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  let at = 0;
  let i = 0;
  while (at < data.length) {
    const n = Math.max(1, sizes[i++ % Math.max(1, sizes.length)] ?? 1);
    yield data.subarray(at, at + n);
    at += n;
  }
}

interface Parsed {
  name: string | undefined;
  filename: string | undefined;
  body: Buffer;
}

async function parts(events: AsyncIterable<MultipartEvent>): Promise<Parsed[]> {
  const out: Parsed[] = [];
  let chunks: Buffer[] = [];
  let current: Parsed | undefined;
  for await (const e of events) {
    if (e.type === 'part') {
      current = { name: e.name, filename: e.filename, body: Buffer.alloc(0) };
      chunks = [];
    } else if (e.type === 'data') chunks.push(e.chunk);
    else if (current) {
      current.body = Buffer.concat(chunks);
      out.push(current);
    }
  }
  return out;
}

describe('multipart writer and parser', () => {
  it('makes boundaries of at least 32 characters that differ each time', () => {
    const a = randomBoundary();
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(randomBoundary()).not.toBe(a);
  });

  it('escapes quotes and backslashes in parameters and refuses line breaks', () => {
    expect(quoteParam('/a/"b"\\c')).toBe('"/a/\\"b\\"\\\\c"');
    expect(parseParams(`; name="files"; filename=${quoteParam('/a/"b"\\c')}`)).toEqual({
      name: 'files',
      filename: '/a/"b"\\c',
    });
    expect(() => quoteParam('/a\nb')).toThrow(/line break/);
  });

  it('reads the boundary of a multipart content type only', () => {
    expect(boundaryOf('multipart/form-data; boundary=abc')).toBe('abc');
    expect(boundaryOf('multipart/form-data; boundary="a b"')).toBe('a b');
    expect(boundaryOf('application/json')).toBeUndefined();
    expect(boundaryOf('multipart/form-data')).toBeUndefined();
  });

  it('streams a source part only as the body is read', async () => {
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 1000; i++) {
        pulled++;
        yield Buffer.alloc(1024, i);
      }
    }
    const body = multipartBody(randomBoundary(), [
      { name: 'request', body: '{}' },
      { name: 'files', filename: '/x', body: source() },
    ]);
    for (let i = 0; i < 5; i++) await body.next();
    expect(pulled).toBeLessThan(5);
    await body.return();
  });

  it('round-trips any parts under any chunking (property)', async () => {
    // Bodies that contain CRLF, dashes and prefixes of the boundary stress the delimiter search.
    const boundary = randomBoundary();
    const tricky = fc.constantFrom(
      '\r\n',
      '--',
      `\r\n--${boundary.slice(0, 10)}`,
      `\r\n--${boundary.slice(0, -1)}`,
      '\r',
      'x',
    );
    const bodyArb = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((u) => Buffer.from(u)),
      fc.array(tricky, { maxLength: 20 }).map((a) => Buffer.from(a.join(''))),
    );
    const partArb = fc.record({
      name: fc.constantFrom('request', 'files', 'response'),
      filename: fc.option(
        fc.string({ maxLength: 20 }).map((s) => `/${s.replace(/[\r\n]/g, '')}`),
        { nil: undefined },
      ),
      body: bodyArb,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(partArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 8 }),
        async (input, sizes) => {
          const whole = Buffer.concat(await collect(multipartBody(boundary, input)));
          const got = await parts(parseMultipart(chunked(whole, sizes), boundary));
          expect(got).toEqual(input.map((p) => ({ name: p.name, filename: p.filename, body: p.body })));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('parses what Pebble sends for a missing file (only the response part)', async () => {
    const b = '86df80fefdfad1bbcc6fd47c9e1c759bcf7b14cdc05d22c52644004e773a';
    const text = `--${b}\r\nContent-Disposition: form-data; name="response"\r\nContent-Type: application/json\r\n\r\n{"type":"sync"}\r\n--${b}--\r\n`;
    const got = await parts(parseMultipart(Readable.from([Buffer.from(text)]), b));
    expect(got).toEqual([{ name: 'response', filename: undefined, body: Buffer.from('{"type":"sync"}') }]);
  });

  it('fails with a protocol error when the body is cut before the closing boundary', async () => {
    const b = randomBoundary();
    const whole = Buffer.concat(
      await collect(multipartBody(b, [{ name: 'files', filename: '/f', body: 'hello world' }])),
    );
    const cut = whole.subarray(0, whole.length - 10);
    const err = await parts(parseMultipart(chunked(cut, [7]), b)).catch((e: unknown) => e);
    expect(isPebbleError(err) && err.code).toBe('protocol');
    expect(String(err)).toMatch(/ended before the closing boundary/);
  });

  it('bounds the header block', async () => {
    const b = randomBoundary();
    const text = `--${b}\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\nbody\r\n--${b}--`;
    const err = await parts(parseMultipart(chunked(Buffer.from(text), [1000]), b)).catch((e: unknown) => e);
    expect(String(err)).toMatch(/headers exceed/);
  });
});

describe('body chunks', () => {
  const delimiter = Buffer.from('\r\n--abc');

  it('holds back only a tail that could start the delimiter', () => {
    expect(partialDelimiter(Buffer.from('hello'), delimiter, 6)).toBe(0);
    expect(partialDelimiter(Buffer.from('hello\r'), delimiter, 6)).toBe(1);
    expect(partialDelimiter(Buffer.from('hello\r\n-'), delimiter, 6)).toBe(3);
    expect(partialDelimiter(Buffer.from('he\r\n--ab'), delimiter, 6)).toBe(6);
    expect(partialDelimiter(Buffer.from('hello\rx'), delimiter, 6)).toBe(0);
    expect(partialDelimiter(Buffer.from('\r\r\n'), delimiter, 6)).toBe(2);
  });

  it('hands each received body chunk on whole, as one view, when no delimiter can straddle it', () => {
    const scanner = new MultipartScanner('abc');
    const data: Buffer[] = [];
    const emit = (e: MultipartEvent) => void (e.type === 'data' && data.push(e.chunk));
    scanner.feed(Buffer.from('--abc\r\nContent-Disposition: form-data; name="files"\r\n\r\n'), emit);
    const chunks = [Buffer.alloc(1000, 1), Buffer.alloc(1000, 2), Buffer.from('tail\r')];
    for (const c of chunks) scanner.feed(c, emit);
    expect(data).toHaveLength(3);
    expect(data[0]?.buffer).toBe(chunks[0]?.buffer);
    expect(data[1]?.buffer).toBe(chunks[1]?.buffer);
    expect(data[2]?.toString()).toBe('tail');
    scanner.feed(Buffer.from('\n--abc--\r\n'), emit);
    scanner.end(emit);
    expect(Buffer.concat(data).length).toBe(2004);
  });
});
