import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charmErrorFromJSON, HookToolError } from '../errors.js';
import { CannedTools } from '../testing-fixtures/canned-tools.js';
import { configGet } from './config.js';
import { relationGet, relationSet } from './relation.js';
import { execFileRunner } from './runner.js';
import { statusSet } from './status.js';
import { resourceGet } from './resource.js';
import { secretGet } from './secret.js';
import { actionSet } from './action.js';

let tools: CannedTools;
beforeAll(async () => {
  tools = await CannedTools.create();
});
afterAll(() => tools.dispose());

async function failure(p: Promise<unknown>): Promise<HookToolError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HookToolError);
  return err as HookToolError;
}

describe('HookToolError classification', () => {
  it.each([
    ['relation-get', 'ERROR permission denied\n', 1, 'permission-denied'],
    [
      'relation-get',
      'ERROR cannot read relation application settings: permission denied (unauthorized access)\n',
      1,
      'permission-denied',
    ],
    ['relation-get', 'ERROR invalid value "db:9" for flag -r: relation not found\n', 2, 'relation-not-found'],
    ['relation-set', 'ERROR cannot write relation settings\n', 1, 'not-leader'],
    ['status-set', 'ERROR this unit is not the leader\n', 1, 'not-leader'],
    ['secret-get', 'ERROR secret "secret:x" not found\n', 1, 'not-found'],
    ['resource-get', 'ERROR could not download resource: HTTP request failed\n', 1, 'not-found'],
    ['status-set', 'ERROR invalid status "bogus", expected one of [maintenance blocked waiting active]\n', 2, 'usage'],
    ['config-get', 'ERROR JUJU_CONTEXT_ID not set\n', 1, 'no-context'],
    ['config-get', 'ERROR bad request: bad context: app/0-install-1\n', 1, 'no-context'],
    ['config-get', 'ERROR something else broke\n', 1, 'unknown'],
  ])('%s: %j -> %s', async (tool, stderr, exitCode, code) => {
    await tools.reply(tool, { stderr, exitCode });
    const calls: Record<string, () => Promise<unknown>> = {
      'relation-get': () => relationGet(tools.runner, 'db:9', 'app/1'),
      'relation-set': () => relationSet(tools.runner, 'db:9', { a: 'b' }, { app: true }),
      'status-set': () => statusSet(tools.runner, 'active'),
      'secret-get': () => secretGet(tools.runner, { id: 'secret:x' }),
      'resource-get': () => resourceGet(tools.runner, 'cert-file'),
      'config-get': () => configGet(tools.runner),
    };
    const err = await failure((calls[tool] as () => Promise<unknown>)());
    expect(err.code).toBe(code);
    expect(err.exitCode).toBe(exitCode);
    expect(err.stderr).toBe(stderr);
    expect(err.argv[0]).toBe(tool);
    expect(err.message).toMatch(new RegExp(`^cannot run ${tool}: `));
    expect(err.message).not.toContain('ERROR ');
  });

  it('round-trips through JSON', async () => {
    await tools.reply('config-get', { stderr: 'ERROR permission denied\n', exitCode: 1 });
    const err = await failure(configGet(tools.runner));
    const back = charmErrorFromJSON(JSON.parse(JSON.stringify(err)));
    expect(back).toBeInstanceOf(HookToolError);
    expect(back.toJSON()).toEqual(err.toJSON());
  });

  it('reports unparseable output as invalid-output', async () => {
    await tools.reply('config-get', { stdout: 'not json\n' });
    const err = await failure(configGet(tools.runner));
    expect(err.code).toBe('invalid-output');
    await tools.reply('config-get', { stdout: '{"a":{"nested":1}}\n' });
    expect((await failure(configGet(tools.runner))).code).toBe('invalid-output');
  });

  it('kills a tool whose output passes the limit and reports output-too-large, keeping none of it', async () => {
    await tools.reply('relation-get', { stdout: `{"huge":"${'A'.repeat(256 << 10)}"}\n` });
    const runner = execFileRunner({ toolsDir: tools.dir, maxOutputBytes: 64 << 10 });
    const err = await failure(relationGet(runner, 'sentinel:3', 'hostile/0'));
    expect(err.code).toBe('output-too-large');
    expect(err.message).toBe(
      'cannot run relation-get: its output passed 65536 bytes and was dropped (a relation bag that large is refused)',
    );
    expect(await relationGet(tools.runner, 'sentinel:3', 'hostile/0')).toMatchObject({
      huge: expect.stringMatching(/^A+$/) as unknown,
    });
  });

  it('reports a missing tool as spawn-failed', async () => {
    const runner = execFileRunner({ toolsDir: `${tools.dir}/nowhere` });
    const err = await failure(configGet(runner));
    expect(err.code).toBe('spawn-failed');
    expect(err.exitCode).toBeNull();
  });

  it('validates action result keys before running the tool', async () => {
    await expect(actionSet(tools.runner, { Bad: 'x' })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(actionSet(tools.runner, { stdout: 'x' })).rejects.toMatchObject({ code: 'invalid-argument' });
  });
});
