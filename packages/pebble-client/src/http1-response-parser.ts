import { joinPieces } from './body-pieces.js';
import { Http1Error } from './http1-error.js';

/** A complete HTTP/1.1 response. */
export interface Http1Response {
  statusCode: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  /** The connection may carry another request (HTTP/1.1, no `Connection: close`, framed body, no stray bytes). */
  keepAlive: boolean;
}

/** Where a streamed body's bytes go, as views of the received chunks, instead of being collected. */
export type BodySink = (chunk: Buffer) => void;

/** The status line and headers of a response, known before its body. */
export interface Http1Head {
  statusCode: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
}

/** Caps against a hostile or broken server. */
export interface ParserLimits {
  /** Bytes of status line plus headers (default 64 KiB). */
  maxHeaderBytes?: number | undefined;
  /** Bytes of body (default 64 MiB). */
  maxBodyBytes?: number | undefined;
}

export const DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
/** A chunk-size or trailer line longer than this is not from a sane server. */
const MAX_LINE = 4096;

const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: [^\r\n]*)?$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const DIGITS = /^\d{1,16}$/;
const CHUNK_SIZE = /^([0-9A-Fa-f]{1,15})[ \t]*(?:;.*)?$/;
const CRLF_CRLF = Buffer.from('\r\n\r\n', 'latin1');

type State = 'head' | 'fixed' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'until-close' | 'done';

const parseError = (message: string) => new Http1Error('HTTP1_PARSE', `invalid HTTP response: ${message}`, true);

/**
 * Incremental parser of one HTTP/1.1 response: status line, headers, then a body framed by
 * Content-Length, chunked transfer coding, or the end of the connection. Feed it socket reads with
 * {@link push} and the end of the stream with {@link end}.
 */
export class ResponseParser {
  /** True once any byte arrived. */
  started = false;
  private state: State = 'head';
  private pending: Buffer | undefined;
  private statusCode = 0;
  private headers: Record<string, string> = {};
  private keepAlive = true;
  private remaining = 0;
  private line = '';
  private readonly parts: Buffer[] = [];
  private size = 0;
  private readonly maxHeaderBytes: number;
  private readonly maxBodyBytes: number;
  private headDone = false;
  /** Body pieces of the chunk being pushed (sink mode), handed on as one view at the end of the push. */
  private readonly pieces: Buffer[] = [];

  /**
   * With a `sink`, body bytes go to it as they arrive (no body cap: the consumer bounds what it keeps)
   * and the completed response has an empty body. The sink gets one view per pushed chunk: where the
   * chunk holds several body pieces (chunked framing between them), the parser moves them together
   * inside that chunk, so push only chunks nobody else reads (a socket's reads).
   */
  constructor(
    limits: ParserLimits = {},
    private readonly sink?: BodySink,
  ) {
    this.maxHeaderBytes = limits.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
    this.maxBodyBytes = sink ? Infinity : (limits.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  }

  /** The final (non-interim) head, once parsed. */
  get head(): Http1Head | undefined {
    return this.headDone ? { statusCode: this.statusCode, headers: this.headers } : undefined;
  }

  /**
   * Take the next bytes; returns the response once it is complete (bytes after it make it not keep-alive).
   * @throws {Http1Error} `HTTP1_PARSE`, `HTTP1_HEADERS_OVERFLOW` or `HTTP1_BODY_OVERFLOW`.
   */
  push(chunk: Buffer): Http1Response | undefined {
    if (chunk.length === 0) return undefined;
    this.started = true;
    if (this.state === 'done') {
      this.keepAlive = false;
      return undefined;
    }
    let pos = 0;
    if (this.state === 'head') {
      pos = this.readHead(chunk);
      if (pos < 0) return undefined;
    }
    try {
      while (pos < chunk.length && !this.done()) pos = this.step(chunk, pos);
    } finally {
      // the pieces before a framing error still go out
      if (this.pieces.length > 0) this.flush(chunk);
    }
    if (!this.done()) return undefined;
    if (pos < chunk.length) this.keepAlive = false;
    return this.result();
  }

  /**
   * The connection ended: completes a body framed by the end of the connection.
   * @throws {Http1Error} `HTTP1_SOCKET_CLOSED` when the response was not complete.
   */
  end(): Http1Response {
    if (this.state === 'until-close') {
      this.state = 'done';
      this.keepAlive = false;
      return this.result();
    }
    const where = this.state === 'head' ? (this.started ? 'in the response head' : 'before any response') : 'mid-body';
    throw new Http1Error('HTTP1_SOCKET_CLOSED', `the other side closed the connection ${where}`, this.started);
  }

  /** The bytes of the head, parsed once complete; returns where the body starts in `chunk`, or -1. */
  private readHead(chunk: Buffer): number {
    const prev = this.pending?.length ?? 0;
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const at = buf.indexOf(CRLF_CRLF, Math.max(0, prev - 3));
    if (at < 0 || at + 4 > this.maxHeaderBytes) {
      if (buf.length > this.maxHeaderBytes || at >= 0)
        throw new Http1Error('HTTP1_HEADERS_OVERFLOW', `response headers exceed ${this.maxHeaderBytes} bytes`, true);
      this.pending = buf;
      return -1;
    }
    this.pending = undefined;
    this.parseHead(buf.toString('latin1', 0, at));
    const bodyStart = at + 4 - prev;
    if (this.state !== 'head') return bodyStart;
    // An interim response: the real head follows in the same bytes or later ones.
    const next = bodyStart < chunk.length ? this.readHead(chunk.subarray(bodyStart)) : -1;
    return next < 0 ? -1 : bodyStart + next;
  }

  private parseHead(text: string): void {
    let eol = text.indexOf('\r\n');
    if (eol < 0) eol = text.length;
    const statusLine = text.slice(0, eol);
    const status = STATUS_LINE.exec(statusLine);
    if (!status) throw parseError(`bad status line ${JSON.stringify(statusLine.slice(0, 80))}`);
    const code = Number(status[2]);
    const headers: Record<string, string> = {};
    for (let at = eol + 2; at < text.length; at = eol + 2) {
      eol = text.indexOf('\r\n', at);
      if (eol < 0) eol = text.length;
      const colon = text.indexOf(':', at);
      const name = colon > at && colon < eol ? text.slice(at, colon) : '';
      if (!HEADER_NAME.test(name))
        throw parseError(`bad header line ${JSON.stringify(text.slice(at, eol).slice(0, 80))}`);
      const key = name.toLowerCase();
      const value = text.slice(colon + 1, eol).trim();
      const seen = headers[key];
      headers[key] = seen === undefined ? value : `${seen}, ${value}`;
    }
    // Interim responses (100 Continue and the like) carry no body; the real one follows.
    if (code >= 100 && code < 200) return;
    this.statusCode = code;
    this.headers = headers;
    this.headDone = true;
    const connection = headers['connection']?.toLowerCase() ?? '';
    this.keepAlive = status[1] === '1' && !/(?:^|,)\s*close\s*(?:,|$)/.test(connection);
    this.frameBody(code, headers);
  }

  private frameBody(code: number, headers: Record<string, string>): void {
    const te = headers['transfer-encoding'];
    const cl = headers['content-length'];
    if (code === 204 || code === 304) {
      this.state = 'done';
    } else if (te !== undefined) {
      // A length beside a transfer coding is a smuggling vector: honour the coding, never reuse.
      if (cl !== undefined) this.keepAlive = false;
      if (/(?:^|,)\s*chunked\s*$/i.test(te)) this.state = 'chunk-size';
      else this.untilClose();
    } else if (cl !== undefined) {
      const values = DIGITS.test(cl) ? [cl] : cl.split(',').map((v) => v.trim());
      if (!values.every((v) => DIGITS.test(v) && v === values[0]))
        throw parseError(`bad content-length ${JSON.stringify(cl.slice(0, 80))}`);
      this.remaining = Number(values[0]);
      this.checkBody(this.remaining);
      this.state = this.remaining === 0 ? 'done' : 'fixed';
    } else {
      this.untilClose();
    }
  }

  private untilClose(): void {
    this.keepAlive = false;
    this.state = 'until-close';
  }

  /** Consume from `pos` in the current body state; returns the new position. */
  private step(chunk: Buffer, pos: number): number {
    switch (this.state) {
      case 'fixed':
      case 'chunk-data': {
        const take = Math.min(this.remaining, chunk.length - pos);
        this.take(pos === 0 && take === chunk.length ? chunk : chunk.subarray(pos, pos + take));
        this.remaining -= take;
        if (this.remaining === 0) this.state = this.state === 'fixed' ? 'done' : 'chunk-end';
        return pos + take;
      }
      case 'until-close': {
        this.checkBody(this.size + chunk.length - pos);
        this.size += chunk.length - pos;
        this.take(pos === 0 ? chunk : chunk.subarray(pos));
        return chunk.length;
      }
      default:
        return this.stepLine(chunk, pos);
    }
  }

  /** The line-oriented states of chunked coding: size lines, the CRLF after data, trailers. */
  private stepLine(chunk: Buffer, pos: number): number {
    const nl = chunk.indexOf(10, pos);
    const end = nl < 0 ? chunk.length : nl;
    if (this.line.length + (end - pos) > MAX_LINE) throw parseError('chunked coding line too long');
    this.line += chunk.toString('latin1', pos, end);
    if (nl < 0) return chunk.length;
    const line = this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line;
    this.line = '';
    if (this.state === 'chunk-size') {
      const m = CHUNK_SIZE.exec(line);
      if (!m) throw parseError(`bad chunk size line ${JSON.stringify(line.slice(0, 80))}`);
      const size = parseInt(m[1] as string, 16);
      this.checkBody(this.size + size);
      this.size += size;
      this.remaining = size;
      this.state = size === 0 ? 'trailers' : 'chunk-data';
    } else if (this.state === 'chunk-end') {
      if (line !== '') throw parseError('missing CRLF after chunk data');
      this.state = 'chunk-size';
    } else if (line === '') {
      this.state = 'done';
    }
    return nl + 1;
  }

  private take(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.sink) this.pieces.push(bytes);
    else this.parts.push(bytes);
  }

  private flush(chunk: Buffer): void {
    const view = joinPieces(chunk, this.pieces);
    this.pieces.length = 0;
    this.sink?.(view);
  }

  private done(): boolean {
    return this.state === 'done';
  }

  private checkBody(size: number): void {
    if (size > this.maxBodyBytes)
      throw new Http1Error('HTTP1_BODY_OVERFLOW', `response body exceeds ${this.maxBodyBytes} bytes`, true);
  }

  private result(): Http1Response {
    const body = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts);
    return { statusCode: this.statusCode, headers: this.headers, body, keepAlive: this.keepAlive };
  }
}
