import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { APIError, ProtocolError } from './errors.js';
import {
  apiErrorFromEnvelope,
  checkEnvelope,
  envelopeSchema,
  errorFromBody,
  isRetryable,
  mapTransportError,
  parseEnvelope,
  parseResult,
  plainEnvelope,
} from './request.js';

const ctx = { method: 'GET', path: '/v1/things', socketPath: '/run/p.sock' };

/** Canned wire envelopes, as Pebble sends them. */
const wire = {
  sync: '{"type":"sync","status-code":200,"status":"OK","result":[{"name":"a"}]}',
  async: '{"type":"async","status-code":202,"status":"Accepted","result":null,"change":"12"}',
  notFound:
    '{"type":"error","status-code":404,"status":"Not Found","result":{"message":"cannot find change with id \\"9\\"","kind":"not-found"}}',
  badRequest:
    '{"type":"error","status-code":400,"status":"Bad Request","result":{"message":"no default services","kind":"no-default-services","value":{"x":1}}}',
  unknownEndpoint:
    '{"type":"error","status-code":404,"status":"Not Found","result":{"message":"invalid API endpoint requested"}}',
  errorNoResult: '{"type":"error","status-code":500,"status":"Internal Server Error"}',
  healthDown: '{"type":"sync","status-code":502,"status":"Bad Gateway","result":{"healthy":false}}',
  timeout504:
    '{"type":"error","status-code":504,"status":"Gateway Timeout","result":{"message":"timed out waiting for change after 1s"}}',
};

function check(text: string, status: number, expect: Parameters<typeof checkEnvelope>[2]) {
  return checkEnvelope(parseEnvelope(text, status, ctx), status, expect, ctx);
}

describe('envelope checks on canned responses', () => {
  test('sync 200 passes and its result parses with the schema', () => {
    const env = check(wire.sync, 200, { type: 'sync' });
    expect(parseResult(z.array(z.object({ name: z.string() })), env.result, ctx)).toEqual([{ name: 'a' }]);
  });

  test('async 202 with a change passes', () => {
    expect(check(wire.async, 202, { type: 'async' }).change).toBe('12');
  });

  test('error envelope -> APIError with kind, status and the server message', () => {
    const err = (() => {
      try {
        check(wire.notFound, 404, { type: 'sync' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(APIError);
    expect(err).toMatchObject({
      code: 'api',
      statusCode: 404,
      status: 'Not Found',
      kind: 'not-found',
      method: 'GET',
      path: '/v1/things',
    });
    expect((err as APIError).message).toBe('cannot find change with id "9"');
  });

  test('error value and kind are kept; a message without "cannot" gets the request prefixed', () => {
    const err = apiErrorFromEnvelope(parseEnvelope(wire.badRequest, 400, ctx), 400, ctx);
    expect(err).toMatchObject({ kind: 'no-default-services', value: { x: 1 }, statusCode: 400 });
    expect(err.message).toBe('cannot GET /v1/things: no default services');
  });

  test('unknown endpoint 404 has no kind', () => {
    expect(() => check(wire.unknownEndpoint, 404, { type: 'sync' })).toThrow(
      expect.objectContaining({ code: 'api', kind: undefined, statusCode: 404 }),
    );
  });

  test('error envelope without a result still gives an APIError from the status', () => {
    expect(() => check(wire.errorNoResult, 500, { type: 'sync' })).toThrow(
      /cannot GET \/v1\/things: 500 Internal Server Error/,
    );
  });

  test('504 from a wait is an APIError with statusCode 504', () => {
    expect(() => check(wire.timeout504, 504, { type: 'sync' })).toThrow(
      expect.objectContaining({ code: 'api', statusCode: 504 }),
    );
  });

  test('sync when async was expected -> ProtocolError', () => {
    expect(() => check(wire.sync, 200, { type: 'async' })).toThrow(
      expect.objectContaining({
        code: 'protocol',
        message: expect.stringContaining('expected a async response, got sync'),
      }),
    );
  });

  test('async when sync was expected -> ProtocolError', () => {
    expect(() => check(wire.async, 202, { type: 'sync' })).toThrow(ProtocolError);
  });

  test('async without a change id, or not 202 -> ProtocolError', () => {
    expect(() => check('{"type":"async","status-code":202,"status":"Accepted"}', 202, { type: 'async' })).toThrow(
      /without a change/,
    );
    expect(() => check(wire.async, 200, { type: 'async' })).toThrow(/must be 202/);
  });

  test('sync with 502 is a ProtocolError unless the call allows it (health)', () => {
    expect(() => check(wire.healthDown, 502, { type: 'sync' })).toThrow(/unexpected status 502/);
    expect(check(wire.healthDown, 502, { type: 'sync', okStatuses: [200, 502] }).result).toEqual({ healthy: false });
  });

  test('malformed JSON -> ProtocolError quoting the body', () => {
    expect(() => parseEnvelope('{"type": "sync", ', 200, ctx)).toThrow(
      expect.objectContaining({
        code: 'protocol',
        statusCode: 200,
        message: expect.stringContaining('body is not JSON: {"type": "sync",'),
      }),
    );
  });

  test('JSON that is not an envelope -> ProtocolError naming the bad field', () => {
    expect(() => parseEnvelope('{"type":"weird","status-code":200,"status":"OK"}', 200, ctx)).toThrow(
      /not a Pebble envelope \(type:/,
    );
    expect(() => parseEnvelope('[1,2]', 200, ctx)).toThrow(ProtocolError);
  });

  test('a result that does not match the schema -> ProtocolError naming the path', () => {
    expect(() => parseResult(z.array(z.object({ name: z.string() })), [{ name: 3 }], ctx)).toThrow(
      /cannot parse result of GET \/v1\/things: 0\.name:/,
    );
  });
});

describe('errorFromBody (raw responses)', () => {
  test('an error envelope becomes APIError', () => {
    expect(errorFromBody(wire.notFound, 404, 'application/json', ctx)).toBeInstanceOf(APIError);
  });

  test('a non-JSON error body becomes ProtocolError naming status and content type', () => {
    const err = errorFromBody('# internal server error', 500, 'text/plain; charset=utf-8', ctx);
    expect(err).toMatchObject({ code: 'protocol', statusCode: 500 });
    expect(err.message).toContain('status 500 with text/plain; charset=utf-8: # internal server error');
  });

  test('a sync envelope where an error was expected becomes ProtocolError', () => {
    expect(errorFromBody(wire.sync, 200, 'application/json', ctx).code).toBe('protocol');
  });
});

describe('mapTransportError', () => {
  const sys = (code: string) => Object.assign(new Error(`connect ${code} /run/p.sock`), { code });

  test('ENOENT -> socket-not-found naming the socket', () => {
    const err = mapTransportError(sys('ENOENT'), ctx);
    expect(err).toMatchObject({ code: 'socket-not-found', path: '/run/p.sock' });
    expect(err.cause).toBeInstanceOf(Error);
  });

  test('ECONNREFUSED -> connection, saying the daemon is not running', () => {
    const err = mapTransportError(sys('ECONNREFUSED'), ctx);
    expect(err.code).toBe('connection');
    expect(err.message).toMatch(/connection refused; the daemon is not running there, the container may be restarting/);
  });

  test('EACCES -> connection with what to do', () => {
    expect(mapTransportError(sys('EACCES'), ctx).message).toMatch(/permission denied; run as a user/);
  });

  test.each(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET'])('%s -> connection, retryable', (code) => {
    expect(mapTransportError(sys(code), ctx).code).toBe('connection');
    expect(isRetryable(mapTransportError(sys(code), ctx), sys(code))).toBe(true);
  });

  test.each(['UND_ERR_CLOSED', 'UND_ERR_DESTROYED'])('%s (client closed) -> connection, not retryable', (code) => {
    expect(mapTransportError(sys(code), ctx).message).toContain('the client was closed');
    expect(isRetryable(mapTransportError(sys(code), ctx), sys(code))).toBe(false);
  });

  test('undici header/body timeouts -> timeout', () => {
    expect(mapTransportError(sys('UND_ERR_HEADERS_TIMEOUT'), ctx).code).toBe('timeout');
    expect(mapTransportError(sys('UND_ERR_BODY_TIMEOUT'), ctx).code).toBe('timeout');
  });

  test('DOM/undici abort errors -> aborted', () => {
    expect(
      mapTransportError(Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }), ctx).code,
    ).toBe('aborted');
    expect(mapTransportError(sys('UND_ERR_ABORTED'), ctx).code).toBe('aborted');
  });

  test('anything else -> protocol, keeping the cause; Pebble errors pass through', () => {
    const odd = new Error('parser exploded');
    const err = mapTransportError(odd, ctx);
    expect(err).toMatchObject({ code: 'protocol', cause: odd });
    const api = new APIError({ message: 'cannot x', statusCode: 400, status: 'Bad Request' });
    expect(mapTransportError(api, ctx)).toBe(api);
  });
});

describe('plainEnvelope (the hand-checked fast path)', () => {
  const cases: unknown[] = [
    JSON.parse(wire.sync),
    JSON.parse(wire.async),
    { type: 'sync', 'status-code': 200, status: 'OK', result: null, 'latest-warning': 'w', extra: 1 },
    { type: 'sync', 'status-code': 200, status: 'OK' },
    { type: 'sync', 'status-code': 200.5, status: 'OK' },
    { type: 'sync', 'status-code': 2 ** 60, status: 'OK' },
    { type: 'sync', 'status-code': '200', status: 'OK' },
    { type: 'sync', 'status-code': 200 },
    { type: 'async', 'status-code': 202, status: 'Accepted', change: 12 },
    { type: 'sync', 'status-code': 200, status: 'OK', 'latest-warning': 3 },
    { type: 'sync', 'status-code': 200, status: 'OK', maintenance: { kind: 'x' } },
    { type: 'error', 'status-code': 404, status: 'Not Found', result: { message: 'no' } },
    { type: 'weird', 'status-code': 200, status: 'OK' },
    [],
    null,
    'sync',
  ];

  test.each(cases.map((c) => [JSON.stringify(c), c]))(
    'agrees with the zod envelope schema or defers to it: %s',
    (_label, input) => {
      const fast = plainEnvelope(input);
      const slow = envelopeSchema.safeParse(input);
      if (fast === undefined) return;
      expect(slow.success).toBe(true);
      expect(fast).toEqual(slow.data);
      expect(Object.keys(fast)).toEqual(Object.keys(slow.data ?? {}).filter((k) => k in fast));
    },
  );

  test('takes the plain sync and async shapes, defers errors, maintenance and bad fields to zod', () => {
    expect(plainEnvelope(JSON.parse(wire.sync))).toEqual({
      type: 'sync',
      'status-code': 200,
      status: 'OK',
      result: [{ name: 'a' }],
    });
    expect(plainEnvelope({ type: 'sync', 'status-code': 200, status: 'OK', extra: 1 })).not.toHaveProperty('extra');
    for (const i of [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]) expect(plainEnvelope(cases[i])).toBeUndefined();
  });

  test('a bad envelope still gets the precise zod message', () => {
    expect(() => parseEnvelope('{"type":"sync","status-code":"200","status":"OK"}', 200, ctx)).toThrow(
      /not a Pebble envelope \(status-code: /,
    );
  });
});
