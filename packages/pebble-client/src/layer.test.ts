import { describe, expect, test } from 'vitest';
import { layerToYaml, parseLayer, parsePlan } from './layer.js';

const yaml = `
summary: redis
services:
  redis:
    override: replace
    command: redis-server /etc/redis.conf
    startup: enabled
    environment:
      PORT: 6379
      DEBUG: true
    kill-delay: 10s
    backoff-factor: 1.5
    on-check-failure:
      ping: restart
checks:
  ping:
    override: replace
    level: alive
    period: 5s
    exec:
      command: redis-cli ping
log-targets:
  loki:
    override: merge
    type: loki
    location: http://127.0.0.1:3100/loki/api/v1/push
    services: [all]
`;

describe('parseLayer', () => {
  test('reads YAML into a typed layer; scalar env values become strings as in Pebble', () => {
    const layer = parseLayer(yaml);
    expect(layer.services?.['redis']).toMatchObject({
      override: 'replace',
      command: 'redis-server /etc/redis.conf',
      environment: { PORT: '6379', DEBUG: 'true' },
      'kill-delay': '10s',
    });
    expect(layer.checks?.['ping']?.exec?.command).toBe('redis-cli ping');
    expect(layer['log-targets']?.['loki']?.services).toEqual(['all']);
  });

  test('layerToYaml round-trips', () => {
    const layer = parseLayer(yaml);
    expect(parseLayer(layerToYaml(layer))).toEqual(layer);
  });

  test('accepts an object as well as text', () => {
    expect(parseLayer({ services: { a: { override: 'merge', command: 'x' } } }).services?.['a']?.command).toBe('x');
  });

  test.each([
    ['a missing override', { services: { a: { command: 'x' } } }, /services\.a\.override/],
    ['an unknown top-level key', { servces: {} }, /Unrecognized key.*servces/],
    ['an unknown service field', { services: { a: { override: 'merge', commnd: 'x' } } }, /services\.a.*commnd/],
    ['a bad override', { services: { a: { override: 'add' } } }, /services\.a\.override/],
    [
      'a bad duration',
      { services: { a: { override: 'merge', 'kill-delay': '10' } } },
      /services\.a\.kill-delay: must be a Go duration/,
    ],
    [
      'a backoff factor below 1',
      { services: { a: { override: 'merge', 'backoff-factor': 0.5 } } },
      /backoff-factor: must be 1.0 or greater/,
    ],
    ['a bad check level', { checks: { c: { override: 'merge', level: 'live' } } }, /checks\.c\.level/],
    ['a service named pebble', { services: { pebble: { override: 'merge' } } }, /reserved/],
    ['a name starting with -', { checks: { '-c': { override: 'merge' } } }, /must not start with "-"/],
    ['a null entry', { services: { a: null } }, /services\.a/],
  ])('rejects %s with the field in the message', (_what, input, message) => {
    expect(() => parseLayer(input as never)).toThrow(message);
  });

  test('invalid YAML text gets a "cannot parse layer YAML" TypeError', () => {
    expect(() => parseLayer('services: [unclosed')).toThrow(/cannot parse layer YAML/);
  });
});

describe('parsePlan', () => {
  test('parses Pebble plan output, filling empty sections', () => {
    const plan = parsePlan('services:\n    a:\n        override: replace\n        command: sleep 1\n');
    expect(plan).toEqual({
      services: { a: { override: 'replace', command: 'sleep 1' } },
      checks: {},
      'log-targets': {},
    });
    expect(parsePlan('{}')).toEqual({ services: {}, checks: {}, 'log-targets': {} });
  });

  test('rejects a plan with summary (plans have none) or bad entries', () => {
    expect(() => parsePlan('summary: x\n')).toThrow(/cannot parse plan/);
  });

  test('reads plan YAML with the core schema: dates stay strings, duplicate keys and bad YAML are errors', () => {
    const plan = parsePlan(
      'services:\n    a:\n        override: replace\n        command: sleep 1\n        environment:\n            DAY: 2001-12-14\n',
    );
    expect(plan.services['a']?.environment).toEqual({ DAY: '2001-12-14' });
    expect(() => parsePlan('services:\n    a: {}\n    a: {}\n')).toThrow(
      /cannot parse plan YAML: duplicated mapping key/,
    );
    expect(() => parsePlan('services: [\n')).toThrow(/^cannot parse plan YAML: /);
    expect(parsePlan('')).toEqual({ services: {}, checks: {}, 'log-targets': {} });
  });
});
