import { describe, expect, it } from 'vitest';
import { redisWithClient, Sim } from '../model/testing-fixtures/sim.js';
import { toolHelp, tools } from '@charms/juju-model';

const model = (): Sim => redisWithClient();

/** ops 2.x (ops/model.py _ModelBackend._STORAGE_KEY_RE, up to ops 3.8): the `-s` default of storage-get --help. */
const opsStorageKey = /.*^-s\s+\(=\s+(?<storage_key>.*?)\)\s*?$/ms;

interface ParsedHelp {
  usage: string;
  summary: string;
  options: Map<string, { names: string[]; def: string; quoted: boolean; usage: string }>;
  details: string;
}

/** Parses juju/cmd's help layout strictly: any line out of place fails the test. */
function parseHelp(text: string): ParsedHelp {
  const m = /^Usage: (.+)\n\nSummary:\n(.+)\n(?:\nOptions:\n((?:.+\n {4}.*\n)+))?(?:\nDetails:\n([\s\S]+\n))?$/.exec(
    text,
  );
  if (!m) throw new Error(`not Juju's help layout:\n${text}`);
  const options = new Map<string, { names: string[]; def: string; quoted: boolean; usage: string }>();
  const lines = (m[3] ?? '').split('\n').slice(0, -1);
  for (let i = 0; i < lines.length; i += 2) {
    const o = /^((?:--?[a-z0-9-]+)(?:, --?[a-z0-9-]+)*)(?: \(= ("[^"]*")\)| {2}\(= (.*)\))$/.exec(lines[i]!);
    if (!o) throw new Error(`bad option line ${JSON.stringify(lines[i])}`);
    const names = o[1]!.split(', ').map((n) => n.replace(/^-+/, ''));
    const quoted = o[2] !== undefined;
    const entry = { names, def: quoted ? (JSON.parse(o[2]!) as string) : o[3]!, quoted, usage: lines[i + 1]!.slice(4) };
    for (const n of names) options.set(n, entry);
  }
  return { usage: m[1]!, summary: m[2]!, options, details: m[4] ?? '' };
}

describe('hook-tool --help', () => {
  it('has one help entry per tool, naming exactly the flags the tool parses', () => {
    expect(Object.keys(toolHelp).sort()).toEqual(Object.keys(tools).sort());
    for (const [name, def] of Object.entries(tools)) {
      if (def.anyArgs) continue;
      const parsed = [...(def.flags ?? []).map((f) => f.names), ...(def.format ? [['format'], ['o', 'output']] : [])];
      const shown = toolHelp[name]!.options.map((o) => o.names);
      expect(shown.map((n) => n.join('|')).sort(), name).toEqual(parsed.map((n) => n.join('|')).sort());
    }
  });

  it.each(Object.keys(tools).sort())('%s --help parses in Juju’s layout and shows its defaults', (name) => {
    const { t } = model().open('redis/0');
    const r = t(name, '--help');
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    const h = parseHelp(r.stdout);
    const help = toolHelp[name]!;
    expect(h.usage.startsWith(help.options.length > 0 ? `${name} [options]` : name)).toBe(true);
    expect(h.options.size).toBe(help.options.reduce((n, o) => n + o.names.length, 0));
    const def = tools[name]!;
    if (def.format) {
      expect(h.options.get('format')).toMatchObject({ def: def.format.default, quoted: false });
      expect(h.options.get('o')).toMatchObject({ names: ['o', 'output'], def: '', quoted: true });
    }
    for (const o of help.options) {
      const shown = h.options.get(o.names[0]!)!;
      if (o.kind === 'bool') expect(shown.def).toBe('false');
      expect(shown.quoted).toBe(o.kind === 'string');
    }
    // same text for -h
    expect(t(name, '-h').stdout).toBe(r.stdout);
  });

  it('storage-get --help gives ops 2.x the hook’s storage id as the -s default', () => {
    const sim = model();
    const hook = sim.open('redis/1', { kind: 'storage-attached', storageId: 'database/1' });
    const text = hook.t('storage-get', '--help').stdout;
    expect(parseHelp(text).options.get('s')).toMatchObject({ def: 'database/1', quoted: false });
    expect(opsStorageKey.exec(text)?.groups?.storage_key).toBe('database/1');
    expect(text).toContain('\n-s  (= database/1)\n');
    hook.commit();
    // outside a storage hook the default is empty and -s must be given
    const plain = sim.open('redis/1').t('storage-get', '--help').stdout;
    expect(opsStorageKey.exec(plain)?.groups?.storage_key).toBe('');
  });

  it('defaults -r to the hook’s <endpoint>:<id>, and relation-get/relation-ids to the hook’s unit and endpoint', () => {
    const sim = model();
    const id = Number(Object.keys(sim.model.relations).find((k) => sim.model.relations[k]!.endpoints.length === 2));
    const info = {
      kind: 'relation-changed',
      relationId: id,
      endpoint: 'redis',
      remoteApp: 'client',
      remoteUnit: 'client/0',
      departingUnit: '',
      version: 0,
    } as const;
    const hook = sim.open('redis/0', info);
    for (const tool of [
      'relation-get',
      'relation-set',
      'relation-list',
      'relation-model-get',
      'network-get',
      'secret-grant',
      'secret-revoke',
    ]) {
      const h = parseHelp(hook.t(tool, '--help').stdout);
      expect(h.options.get('relation'), tool).toMatchObject({
        names: ['r', 'relation'],
        def: `redis:${id}`,
        quoted: false,
      });
    }
    const get = parseHelp(hook.t('relation-get', '--help').stdout);
    expect(get.usage).toBe('relation-get [options] [<key> [<unit id>]]');
    expect(get.details).toContain('"client/0"');
    expect(parseHelp(hook.t('relation-ids', '--help').stdout).usage).toBe('relation-ids [options] [<name>]');
    hook.commit();
    const plain = sim.open('redis/0');
    expect(parseHelp(plain.t('relation-get', '--help').stdout).usage).toBe('relation-get [options] <key> <unit id>');
    expect(parseHelp(plain.t('relation-list', '--help').stdout).options.get('r')?.def).toBe('');
  });

  it('prints the exact gnuflag lines of a tool with every kind of default', () => {
    const { t } = model().open('redis/0');
    const text = t('juju-log', '--help').stdout;
    expect(text.split('\nOptions:\n')[1]).toBe(
      [
        '--debug  (= false)',
        '    log at DEBUG level',
        '--format (= "")',
        '    deprecated format flag',
        '-l, --log-level (= "INFO")',
        '    the level to log at (TRACE, DEBUG, INFO, WARNING, ERROR)',
        '',
      ].join('\n'),
    );
    expect(text.startsWith('Usage: juju-log [options] <message>\n\nSummary:\n')).toBe(true);
    expect(t('secret-remove', '--help').stdout).toContain('\n--revision  (= 0)\n');
    expect(t('secret-add', '--help').stdout).toContain('\n--owner (= "application")\n');
    expect(t('action-fail', '--help').stdout).toMatch(/^Usage: action-fail \["<failure message>"\]\n\nSummary:\n/);
  });

  it('follows gnuflag’s order: an error before --help wins, --help before an error wins, after -- it is an argument', () => {
    const { t } = model().open('redis/0');
    expect(t('config-get', '--nope', '--help')).toMatchObject({
      exitCode: 2,
      stderr: 'ERROR flag provided but not defined: --nope\n',
    });
    expect(t('config-get', '--help', '--nope').exitCode).toBe(0);
    expect(t('juju-log', '--', '--help')).toMatchObject({ exitCode: 0, stdout: '' });
    expect(t('pod-spec-set', '--help').stdout).toMatch(/^Usage: pod-spec-set \[options\] /);
    expect(t('pod-spec-set', '--', '--help').exitCode).toBe(1);
  });

  it('-o/--output sends the formatted output to a file the client writes', () => {
    const { t } = model().open('redis/0');
    expect(t('is-leader', '--format=json', '-o', 'out.json')).toEqual({
      stdout: 'true\n',
      stderr: '',
      exitCode: 0,
      outputPath: 'out.json',
    });
    expect(t('is-leader', '--output=x')).toMatchObject({ outputPath: 'x' });
    expect(t('is-leader')).not.toHaveProperty('outputPath');
  });
});
