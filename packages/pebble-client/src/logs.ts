import { z } from 'zod';
import { ProtocolError } from './errors.js';
import { describeZodError, mapTransportError, type CallOptions } from './request.js';
import { readRawError, type RawResponse, type Transport } from './transport.js';

export const logEntrySchema = z.object({ time: z.string(), service: z.string(), message: z.string() }).loose();
/** One line of service output. `time` is the server's RFC 3339 string. */
export type LogEntry = z.output<typeof logEntrySchema>;

export interface LogsOptions extends CallOptions {
  /** Services to read (default: all in the plan). */
  services?: readonly string[] | undefined;
  /**
   * Lines of backlog: the last N across the services, -1 for everything buffered, 0 for none.
   * Defaults to 30 for `getLogs` and 0 for `followLogs`.
   */
  n?: number | undefined;
}

async function openLogs(t: Transport, options: LogsOptions, follow: boolean): Promise<RawResponse> {
  const { services, n, ...call } = options;
  const res = await t.raw('GET', '/v1/logs', {
    ...call,
    query: {
      services: services && services.length > 0 ? [...services] : undefined,
      n: n === undefined ? undefined : String(n),
      follow: follow ? 'true' : undefined,
    },
    idempotent: true,
  });
  const type = String(res.headers['content-type'] ?? '');
  if (res.statusCode !== 200) throw await readRawError(res);
  if (!type.includes('ndjson')) {
    res.body.destroy();
    throw new ProtocolError({
      message: `cannot use response to GET /v1/logs: expected application/x-ndjson, got ${type || 'no content type'}`,
      statusCode: res.statusCode,
    });
  }
  return res;
}

function parseLine(line: string): LogEntry {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (cause) {
    throw new ProtocolError(
      { message: `cannot parse log line from GET /v1/logs: not JSON: ${line.slice(0, 200)}` },
      { cause },
    );
  }
  const parsed = logEntrySchema.safeParse(json);
  if (!parsed.success)
    throw new ProtocolError({ message: `cannot parse log line from GET /v1/logs: ${describeZodError(parsed.error)}` });
  return parsed.data;
}

/** Yield the entries of an ndjson body; the body is destroyed when iteration stops for any reason. */
async function* entries(res: RawResponse): AsyncGenerator<LogEntry, void, undefined> {
  const body = res.body;
  body.setEncoding('utf8');
  let pending = '';
  try {
    for await (const chunk of body as AsyncIterable<string>) {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        if (line) yield parseLine(line);
      }
    }
    if (pending.trim()) yield parseLine(pending.trim());
  } catch (err) {
    throw mapTransportError(err, res.context);
  } finally {
    body.destroy();
  }
}

/** `GET /v1/logs`: the buffered output of services (not following). */
export async function getLogs(t: Transport, options: LogsOptions = {}): Promise<LogEntry[]> {
  const res = await openLogs(t, options, false);
  const out: LogEntry[] = [];
  for await (const entry of entries(res)) out.push(entry);
  return out;
}

/**
 * `GET /v1/logs?follow=true` as an async iterable of entries, until the signal aborts (the loop then
 * throws an `aborted` error) or the loop breaks. Either way the request is closed.
 * `timeout` bounds only the wait for the response to start.
 */
export async function* followLogs(t: Transport, options: LogsOptions = {}): AsyncGenerator<LogEntry, void, undefined> {
  const res = await openLogs(t, options, true);
  yield* entries(res);
}
