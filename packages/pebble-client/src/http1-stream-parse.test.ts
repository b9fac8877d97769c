import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResponseParser } from './http1-response-parser.js';
import { MultipartScanner, type MultipartEvent } from './multipart-parser.js';
import { randomBoundary } from './multipart-writer.js';

/** A pull answer as Pebble frames it: chunked transfer coding around a multipart body. */
function pullAnswer(boundary: string, file: Buffer, chunkSizes: number[]): Buffer {
  const multipart = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="/f"\r\n\r\n`),
    file,
    Buffer.from(
      `\r\n--${boundary}\r\nContent-Disposition: form-data; name="response"\r\nContent-Type: application/json\r\n\r\n{}\r\n--${boundary}--\r\n`,
    ),
  ]);
  const framed: Buffer[] = [
    Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\n`),
    Buffer.from('Transfer-Encoding: chunked\r\n\r\n'),
  ];
  for (let at = 0, i = 0; at < multipart.length; i++) {
    const n = Math.min(multipart.length - at, chunkSizes[i % chunkSizes.length] ?? 1);
    framed.push(Buffer.from(`${n.toString(16)}\r\n`), multipart.subarray(at, at + n), Buffer.from('\r\n'));
    at += n;
  }
  framed.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(framed);
}

/** What the streamed pull does with socket reads: HTTP framing to a sink, the sink into the scanner. */
function parse(reads: Buffer[], boundary: string): { file: Buffer; response: string; complete: boolean } {
  const file: Buffer[] = [];
  const response: Buffer[] = [];
  let part: string | undefined;
  const scanner = new MultipartScanner(boundary);
  const emit = (e: MultipartEvent) => {
    if (e.type === 'part') part = e.name;
    else if (e.type === 'data') (part === 'files' ? file : response).push(Buffer.from(e.chunk));
  };
  const parser = new ResponseParser({}, (chunk) => scanner.feed(chunk, emit));
  let complete = false;
  for (const read of reads) complete = parser.push(read) !== undefined || complete;
  scanner.end(emit);
  return { file: Buffer.concat(file), response: Buffer.concat(response).toString(), complete };
}

function split(data: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0, i = 0; at < data.length; i++) {
    const n = Math.max(1, sizes[i % sizes.length] ?? 1);
    out.push(data.subarray(at, at + n));
    at += n;
  }
  return out;
}

describe('streamed pull parsing (HTTP/1.1 chunked framing, then multipart)', () => {
  it('gives the same file bytes however the framing and the socket reads are cut (property)', () => {
    const boundary = randomBoundary();
    const tricky = fc.constantFrom('\r\n', '--', `\r\n--${boundary.slice(0, 20)}`, '0\r\n\r\n', '\r', 'a');
    const fileArb = fc.oneof(
      fc.uint8Array({ maxLength: 2000 }).map((u) => Buffer.from(u)),
      fc.array(tricky, { maxLength: 40 }).map((a) => Buffer.from(a.join(''))),
    );
    const sizes = fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fileArb, sizes, sizes, (file, framing, reads) => {
        const got = parse(split(pullAnswer(boundary, file, framing), reads), boundary);
        expect(got.complete).toBe(true);
        expect(got.file.equals(file)).toBe(true);
        expect(got.response).toBe('{}');
      }),
      { numRuns: 400 },
    );
  });

  it('hands body bytes to the sink as views of the reads, and completes with an empty body', () => {
    const read = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello');
    const seen: Buffer[] = [];
    const res = new ResponseParser({}, (chunk) => seen.push(chunk)).push(read);
    expect(seen.map(String)).toEqual(['hello']);
    expect(seen[0]?.buffer).toBe(read.buffer);
    expect(res?.body.length).toBe(0);
  });

  it('hands the sink one view per read, with the chunked framing inside it squeezed out', () => {
    const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
    const read1 = Buffer.from(`${head}3\r\nabc\r\n5\r\ndefgh\r\n2\r\nij`);
    const read2 = Buffer.from('\r\n1\r\nk\r\n0\r\n\r\n');
    const seen: Buffer[] = [];
    const parser = new ResponseParser({}, (chunk) => seen.push(Buffer.from(chunk)));
    expect(parser.push(read1)).toBeUndefined();
    expect(seen.map(String)).toEqual(['abcdefghij']);
    expect(parser.push(read2)).toBeDefined();
    expect(seen.map(String)).toEqual(['abcdefghij', 'k']);
  });

  it('still hands on the body bytes of a read before bad framing in it, then throws', () => {
    const read = Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\nzz\r\n');
    const seen: string[] = [];
    const parser = new ResponseParser({}, (chunk) => seen.push(chunk.toString()));
    expect(() => parser.push(read)).toThrow(/bad chunk size line/);
    expect(seen).toEqual(['abcde']);
  });

  it('has no body cap with a sink (the consumer bounds what it keeps)', () => {
    const parser = new ResponseParser({ maxBodyBytes: 4 }, () => undefined);
    expect(parser.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789'))).toBeDefined();
  });
});
