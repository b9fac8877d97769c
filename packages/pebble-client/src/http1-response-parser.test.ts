import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Http1Error } from './http1-error.js';
import { type Http1Response, type ParserLimits, ResponseParser } from './http1-response-parser.js';

const latin1 = (s: string) => Buffer.from(s, 'latin1');

/** Feed `bytes` cut at `cuts` (sorted offsets); returns the response, or what `end()` gives at EOF. */
function parse(bytes: Buffer, cuts: number[] = [], limits?: ParserLimits, eof = false): Http1Response | undefined {
  const parser = new ResponseParser(limits);
  let from = 0;
  let res: Http1Response | undefined;
  for (const at of [...cuts, bytes.length]) {
    res = parser.push(bytes.subarray(from, at)) ?? res;
    from = at;
  }
  return eof && !res ? parser.end() : res;
}

function chunked(body: Buffer, sizes: number[]): Buffer {
  const parts: Buffer[] = [
    latin1('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n'),
  ];
  let at = 0;
  for (const size of sizes) {
    if (at >= body.length) break;
    const piece = body.subarray(at, at + Math.max(1, size));
    at += piece.length;
    parts.push(latin1(`${piece.length.toString(16)};ext=1\r\n`), piece, latin1('\r\n'));
  }
  if (at < body.length) parts.push(latin1(`${(body.length - at).toString(16)}\r\n`), body.subarray(at), latin1('\r\n'));
  parts.push(latin1('0\r\nX-Trailer: t\r\n\r\n'));
  return Buffer.concat(parts);
}

describe('HTTP/1.1 response parser', () => {
  test('a Content-Length response: status, case-insensitive headers, body, keep-alive', () => {
    const res = parse(
      latin1('HTTP/1.1 404 Not Found\r\nCONTENT-type: application/json\r\nContent-Length: 2\r\n\r\n{}'),
    );
    expect(res).toMatchObject({ statusCode: 404, keepAlive: true, headers: { 'content-type': 'application/json' } });
    expect(res?.body.toString()).toBe('{}');
  });

  test('Connection: close, HTTP/1.0 and a body framed by the end of the connection are not kept alive', () => {
    expect(
      parse(latin1('HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n')),
    ).toMatchObject({
      keepAlive: false,
    });
    expect(parse(latin1('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n'))).toMatchObject({ keepAlive: false });
    const res = parse(latin1('HTTP/1.1 200 OK\r\n\r\nall of it'), [20], undefined, true);
    expect(res).toMatchObject({ keepAlive: false });
    expect(res?.body.toString()).toBe('all of it');
  });

  test('an interim 100 Continue is skipped; 204 has no body; bytes after the response forbid reuse', () => {
    const res = parse(latin1('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx'));
    expect(res).toMatchObject({ statusCode: 200, keepAlive: true });
    expect(parse(latin1('HTTP/1.1 204 No Content\r\n\r\n'))).toMatchObject({ statusCode: 204, keepAlive: true });
    expect(parse(latin1('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxy'))).toMatchObject({ keepAlive: false });
  });

  test('a chunked body split at every byte gives the same body and trailers are consumed', () => {
    const body = Buffer.from(JSON.stringify({ type: 'sync', result: ['é', 'ü', 'x'.repeat(50)] }));
    const bytes = chunked(body, [3, 7, 1, 20]);
    const every = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
    expect(parse(bytes, every)?.body.equals(body)).toBe(true);
    expect(parse(bytes)?.body.equals(body)).toBe(true);
  });

  test('property: any chunking of the input bytes gives the same body (Content-Length and chunked)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 300 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        (raw, sizes, cutSeeds, isChunked) => {
          const body = Buffer.from(raw);
          const bytes = isChunked
            ? chunked(body, sizes)
            : Buffer.concat([latin1(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`), body]);
          const cuts = [...new Set(cutSeeds.map((s) => s % (bytes.length + 1)))].sort((a, b) => a - b);
          const res = parse(bytes, cuts);
          return res !== undefined && res.body.equals(body) && res.keepAlive;
        },
      ),
    );
  });

  const fails = (bytes: string, code: string, message: RegExp, limits?: ParserLimits) => {
    let error: unknown;
    try {
      parse(latin1(bytes), [], limits);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(Http1Error);
    expect(error).toMatchObject({ code, message: expect.stringMatching(message) });
  };

  test('garbage and hostile input: precise errors', () => {
    fails('SSH-2.0-OpenSSH\r\n\r\n', 'HTTP1_PARSE', /bad status line "SSH-2.0-OpenSSH"/);
    fails('HTTP/1.1 200 OK\r\nno colon here\r\n\r\n', 'HTTP1_PARSE', /bad header line/);
    fails('HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n', 'HTTP1_PARSE', /bad content-length/);
    fails('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 'HTTP1_PARSE', /bad chunk size line "zz"/);
    fails('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n', 'HTTP1_PARSE', /missing CRLF/);
    fails(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(70_000)}\r\n\r\n`, 'HTTP1_HEADERS_OVERFLOW', /exceed 65536 bytes/);
    fails('HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n', 'HTTP1_BODY_OVERFLOW', /exceeds 10 bytes/, {
      maxBodyBytes: 10,
    });
    fails('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n', 'HTTP1_BODY_OVERFLOW', /10/, {
      maxBodyBytes: 10,
    });
  });

  test('a head over the cap fails before the blank line arrives, split or not', () => {
    const parser = new ResponseParser({ maxHeaderBytes: 100 });
    parser.push(latin1('HTTP/1.1 200 OK\r\n'));
    expect(() => parser.push(latin1(`X: ${'a'.repeat(100)}`))).toThrow(/response headers exceed 100 bytes/);
  });

  test('end() before the response is complete says where it stopped', () => {
    const early = new ResponseParser();
    expect(() => early.end()).toThrow(/closed the connection before any response/);
    const mid = new ResponseParser();
    mid.push(latin1('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
    expect(() => mid.end()).toThrow(expect.objectContaining({ code: 'HTTP1_SOCKET_CLOSED', responseStarted: true }));
  });
});
