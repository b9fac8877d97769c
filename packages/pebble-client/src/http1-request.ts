import { Http1Error } from './http1-error.js';

/** Request targets we send: visible ASCII only, so nothing can split the request line. */
const TARGET = /^\/[\x21-\x7e]*$/;
const METHOD = /^[A-Z]+$/;

/**
 * One HTTP/1.1 request as the text to write: request line, Host, Content-Length (and Content-Type)
 * when there is a body, then the body. Keep-alive is HTTP/1.1's default, so no Connection header.
 * @throws {Http1Error} `HTTP1_BAD_REQUEST` for a method or path that would not be one request line.
 */
export function serializeRequest(method: string, target: string, body?: string, contentType?: string): string {
  if (!METHOD.test(method) || !TARGET.test(target))
    throw new Http1Error('HTTP1_BAD_REQUEST', `invalid request line: ${JSON.stringify(`${method} ${target}`)}`);
  let head = `${method} ${target} HTTP/1.1\r\nHost: localhost\r\n`;
  if (body === undefined) return method === 'GET' ? `${head}\r\n` : `${head}Content-Length: 0\r\n\r\n`;
  if (contentType !== undefined) head += `Content-Type: ${contentType}\r\n`;
  return `${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}
