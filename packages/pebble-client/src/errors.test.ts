import { describe, expect, test } from 'vitest';
import {
  AbortError,
  APIError,
  ChangeError,
  ConnectionError,
  ExecError,
  isPebbleError,
  PathError,
  type PebbleError,
  pebbleErrorFromJSON,
  ProtocolError,
  SocketNotFoundError,
  TimeoutError,
} from './errors.js';

const change = {
  id: '7',
  kind: 'start',
  status: 'Error',
  err: 'cannot perform the following tasks:\n- Start service "x" (boom)',
  tasks: [
    { id: '8', kind: 'start', summary: 'Start service "x"', status: 'Error', log: ['2024-01-01T00:00:00Z ERROR boom'] },
  ],
};

const samples: [string, PebbleError][] = [
  [
    'api',
    new APIError({
      message: 'cannot find change with id "9"',
      statusCode: 404,
      status: 'Not Found',
      kind: 'not-found',
      value: { a: 1 },
      body: { type: 'error' },
      method: 'GET',
      path: '/v1/changes/9',
    }),
  ],
  ['change-failed', new ChangeError({ err: change.err, change })],
  [
    'connection',
    new ConnectionError(
      { message: 'cannot connect: refused', socketPath: '/x.sock' },
      { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) },
    ),
  ],
  ['socket-not-found', new SocketNotFoundError({ path: '/charm/containers/redis/pebble.socket' })],
  ['path', new PathError({ kind: 'not-found', path: '/etc/nope', message: 'cannot read /etc/nope: not found' })],
  ['exec-failed', new ExecError({ command: ['false', '--x'], exitCode: 1, stdout: 'out', stderr: null })],
  ['timeout', new TimeoutError({ message: 'cannot wait: timed out after 5ms', timeout: 5 })],
  ['aborted', new AbortError({ message: 'cannot GET /v1/x: aborted by the caller' })],
  [
    'protocol',
    new ProtocolError(
      { message: 'cannot parse response', statusCode: 500 },
      { cause: new SocketNotFoundError({ path: '/nested' }) },
    ),
  ],
];

describe('error family', () => {
  test.each(samples)('%s round-trips through JSON text with class, code, data and cause', (code, error) => {
    expect(error.code).toBe(code);
    expect(error.message).toMatch(/^cannot /);
    const revived = pebbleErrorFromJSON(JSON.parse(JSON.stringify(error)));
    expect(revived.constructor).toBe(error.constructor);
    expect(revived.name).toBe(error.name);
    expect(revived.toJSON()).toEqual(JSON.parse(JSON.stringify(error.toJSON())));
    expect(isPebbleError(revived)).toBe(true);
  });

  test('a nested Pebble cause is revived as its class; a plain cause keeps name, message and code', () => {
    const nested = pebbleErrorFromJSON(JSON.parse(JSON.stringify(samples[8]?.[1])));
    expect(nested.cause).toBeInstanceOf(SocketNotFoundError);
    const plain = pebbleErrorFromJSON(JSON.parse(JSON.stringify(samples[2]?.[1])));
    expect(plain.cause).toBeInstanceOf(Error);
    expect((plain.cause as Error & { code: string }).code).toBe('ECONNREFUSED');
    expect((plain.cause as Error).message).toBe('connect ECONNREFUSED');
  });

  test('SocketNotFoundError names the path and says the container may be restarting; it is a ConnectionError', () => {
    const err = new SocketNotFoundError({ path: '/charm/containers/redis/pebble.socket' });
    expect(err.message).toContain('/charm/containers/redis/pebble.socket');
    expect(err.message).toContain('container may be restarting');
    expect(err).toBeInstanceOf(ConnectionError);
  });

  test('ChangeError message carries the change error and the task logs', () => {
    const err = new ChangeError({ err: change.err, change });
    expect(err.message).toContain('Start service "x" (boom)');
    expect(err.message).toContain('Logs from task 8');
    expect(err.message).toContain('ERROR boom');
  });

  test('ExecError message names only the program and truncates output to 1024 characters', () => {
    const err = new ExecError({
      command: ['sh', '-c', 'secret'],
      exitCode: 3,
      stdout: 'x'.repeat(5000),
      stderr: 'bad',
    });
    expect(err.message).toContain('"sh"');
    expect(err.message).not.toContain('secret');
    expect(err.message).toContain('exited with code 3');
    expect(err.message.length).toBeLessThan(1200);
    expect(err.stdout).toHaveLength(5000);
  });

  test('pebbleErrorFromJSON rejects what is not a serialized Pebble error, naming the field', () => {
    expect(() => pebbleErrorFromJSON({ code: 'api', message: 'x' })).toThrow(/cannot revive Pebble error: statusCode/);
    expect(() => pebbleErrorFromJSON({ code: 'nope', message: 'x' })).toThrow(TypeError);
    expect(() => pebbleErrorFromJSON('text')).toThrow(TypeError);
  });

  test('isPebbleError is false for other errors', () => {
    expect(isPebbleError(new Error('x'))).toBe(false);
    expect(isPebbleError(null)).toBe(false);
  });
});
