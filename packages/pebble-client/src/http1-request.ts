import { Http1Error } from './http1-error.js';

/** Request targets we send: visible ASCII only, so nothing can split the request line. */
const TARGET = /^\/[\x21-\x7e]*$/;
const METHOD = /^[A-Z]+$/;

/** The request line and Host header, or `HTTP1_BAD_REQUEST` for a method or path that would not be one line. */
function requestLine(method: string, target: string): string {
  if (!METHOD.test(method) || !TARGET.test(target))
    throw new Http1Error('HTTP1_BAD_REQUEST', `invalid request line: ${JSON.stringify(`${method} ${target}`)}`);
  return `${method} ${target} HTTP/1.1\r\nHost: localhost\r\n`;
}

/**
 * One HTTP/1.1 request as the text to write: request line, Host, Content-Length (and Content-Type)
 * when there is a body, then the body. Keep-alive is HTTP/1.1's default, so no Connection header.
 * @throws {Http1Error} `HTTP1_BAD_REQUEST` for a method or path that would not be one request line.
 */
export function serializeRequest(method: string, target: string, body?: string, contentType?: string): string {
  let head = requestLine(method, target);
  if (body === undefined) return method === 'GET' ? `${head}\r\n` : `${head}Content-Length: 0\r\n\r\n`;
  if (contentType !== undefined) head += `Content-Type: ${contentType}\r\n`;
  return `${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Header values we send: no control characters, so nothing can add a header line. */
const HEADER_VALUE = /^[\x20-\x7e\t]*$/;

/**
 * The head of a streamed request: request line, Host, the given headers, and `Transfer-Encoding:
 * chunked` when a body follows (its length is not known up front; see {@link chunkHeader}).
 * @throws {Http1Error} `HTTP1_BAD_REQUEST` for a method, path or header that would not be one line.
 */
export function serializeStreamHead(
  method: string,
  target: string,
  headers: Record<string, string>,
  chunked: boolean,
): string {
  let head = requestLine(method, target);
  for (const name in headers) {
    const value = headers[name] as string;
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || !HEADER_VALUE.test(value))
      throw new Http1Error('HTTP1_BAD_REQUEST', `invalid request header ${JSON.stringify(name)}`);
    head += `${name}: ${value}\r\n`;
  }
  if (chunked) head += 'Transfer-Encoding: chunked\r\n';
  else if (method !== 'GET') head += 'Content-Length: 0\r\n';
  return `${head}\r\n`;
}

/** The size line that precedes `length` bytes of chunked coding. */
export function chunkHeader(length: number): string {
  return `${length.toString(16)}\r\n`;
}

/** The last chunk (empty, no trailers) of chunked coding. */
export const LAST_CHUNK = '0\r\n\r\n';
