import { describe, expect, it } from 'vitest';
import { checkEmpty, parseArgs } from './flags.js';
import { formatJson, formatSmart, formatYaml, parseFormat, struct } from './format.js';

const specs = [
  { names: ['r', 'relation'], kind: 'string' as const },
  { names: ['app'], kind: 'bool' as const },
  { names: ['application'], kind: 'bool' as const },
  { names: ['format'], kind: 'string' as const },
];

describe('gnuflag-style parsing', () => {
  it('accepts flags after positionals, = forms, Go bool spellings and --', () => {
    const p = parseArgs(
      ['-', 'redis/0', '--format=json', '-r', 'db:1', '--app', '--application=False', '--', '--not-a-flag'],
      specs,
    );
    expect(p.positionals).toEqual(['-', 'redis/0', '--not-a-flag']);
    expect(p.flags.get('r')).toBe('db:1');
    expect(p.flags.get('format')).toBe('json');
    expect(p.flags.get('app')).toBe(true);
    expect(p.flags.get('application')).toBe(false);
    expect(parseArgs(['--relation=3', '--application=True'], specs).flags).toEqual(
      new Map<string, string | boolean>([
        ['r', '3'],
        ['application', true],
      ]),
    );
    expect(parseArgs(['-r=4'], specs).flags.get('r')).toBe('4');
  });

  it('fails with gnuflag texts and exit 2', () => {
    expect(() => parseArgs(['--nope'], specs)).toThrow(
      expect.objectContaining({ message: 'flag provided but not defined: --nope', exitCode: 2 }),
    );
    expect(() => parseArgs(['-x'], specs)).toThrow('flag provided but not defined: -x');
    expect(() => parseArgs(['-r'], specs)).toThrow('flag needs an argument: -r');
    expect(() => parseArgs(['--app=maybe'], specs)).toThrow('invalid value "maybe" for flag --app: parse error');
    expect(() => checkEmpty(['a', 'b'])).toThrow('unrecognized args: ["a" "b"]');
  });
});

describe('output formats', () => {
  it('smart: raw strings, True/False, nothing for null, one string per line, YAML otherwise', () => {
    expect(formatSmart('x')).toBe('x\n');
    expect(formatSmart(true)).toBe('True\n');
    expect(formatSmart(false)).toBe('False\n');
    expect(formatSmart(null)).toBe('');
    expect(formatSmart(['db:1', 'db:2'])).toBe('db:1\ndb:2\n');
    expect(formatSmart([])).toBe('');
    expect(formatSmart({ b: '1', a: '2' })).toBe('a: "2"\nb: "1"\n');
  });

  it('json: Go map order, struct order, HTML-safe escaping, trailing newline', () => {
    expect(formatJson({ b: 1, a: { d: true, c: null } })).toBe('{"a":{"c":null,"d":true},"b":1}\n');
    expect(formatJson(struct({ z: 1, a: 2 }))).toBe('{"z":1,"a":2}\n');
    expect(formatJson('<a&b>')).toBe('"\\u003ca\\u0026b\\u003e"\n');
    expect(formatJson(null)).toBe('null\n');
    expect(formatYaml({ b: 'x', a: 1 })).toBe('a: 1\nb: x\n');
  });

  it('rejects formats a tool does not offer', () => {
    expect(() => parseFormat('xml', ['smart', 'json', 'yaml'], 'smart')).toThrow(
      'invalid value "xml" for flag --format: unknown format "xml"',
    );
    expect(() => parseFormat('smart', ['yaml', 'json'], 'yaml')).toThrow(/unknown format "smart"/);
  });
});
