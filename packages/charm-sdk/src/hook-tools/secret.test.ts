import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CharmError, HookToolError } from '../errors.js';
import { secrets } from '../logging/secret-registry.js';
import { CannedTools } from '../testing-fixtures/canned-tools.js';
import { actionSet } from './action.js';
import { secretAdd, secretSet } from './secret.js';

let tools: CannedTools;
beforeAll(async () => {
  tools = await CannedTools.create();
});
afterAll(() => tools.dispose());
afterEach(() => secrets.clear());

describe('secret content never travels in argv', () => {
  it('secret-add passes each value through a 0600 file that is removed afterwards', async () => {
    await tools.reply('secret-add', { stdout: 'secret:cq5c2hbkmh9s7kgpk0og\n' });
    const id = await secretAdd(
      tools.runner,
      { password: 's3cret-value', username: 'redis-admin' },
      { label: 'admin', rotate: 'monthly' },
    );
    expect(id).toBe('secret:cq5c2hbkmh9s7kgpk0og');
    const call = await tools.last('secret-add');
    expect(call.argv.slice(0, 6)).toEqual(['--label', 'admin', '--rotate', 'monthly', '--owner', 'application']);
    expect(call.argv.slice(6).map((a) => a.replace(/=.*/, '='))).toEqual(['password#file=', 'username#file=']);
    expect(call.argv.join(' ')).not.toContain('s3cret-value');
    expect(call.files).toBe('password=s3cret-value\nusername=redis-admin\n');
    for (const a of call.argv.slice(6)) expect(existsSync(a.slice(a.indexOf('=') + 1))).toBe(false);
  });

  it('secret-set passes the id then content files, with the owner when given', async () => {
    await tools.reply('secret-set');
    await secretSet(tools.runner, 'secret:abc', { password: 'n3w-value' }, { owner: 'application', description: 'd' });
    const call = await tools.last('secret-set');
    expect(call.argv.slice(0, 5)).toEqual(['--description', 'd', '--owner', 'application', 'secret:abc']);
    expect(call.argv[5]).toMatch(/^password#file=\//);
    expect(call.files).toBe('password=n3w-value\n');
  });

  it('rejects keys Juju would reject, before running anything', async () => {
    await expect(secretAdd(tools.runner, { Bad_Key: 'value' })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(secretAdd(tools.runner, { ok: 'value' })).rejects.toBeInstanceOf(CharmError);
  });

  it('refuses to put a known secret value into argv (action-set has no file form)', async () => {
    await tools.reply('secret-add', { stdout: 'secret:x\n' });
    await secretAdd(tools.runner, { password: 'do-not-leak-me' });
    await tools.reply('action-set');
    const err = await actionSet(tools.runner, { password: 'do-not-leak-me' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HookToolError);
    expect((err as HookToolError).code).toBe('secret-in-argv');
    expect(JSON.stringify(err)).not.toContain('do-not-leak-me');
  });

  it('action-set carries a secret only under a key the action lists in "reveal"', async () => {
    await tools.reply('secret-add', { stdout: 'secret:x\n' });
    await secretAdd(tools.runner, { password: 'shown-on-purpose', other: 'still-hidden-value' });
    await tools.reply('action-set');
    await actionSet(tools.runner, { password: 'shown-on-purpose', note: 'plain' }, { reveal: ['password'] });
    expect((await tools.last('action-set')).argv).toEqual(['password=shown-on-purpose', 'note=plain']);
    const err = await actionSet(
      tools.runner,
      { password: 'shown-on-purpose', extra: 'still-hidden-value' },
      { reveal: ['password'] },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'secret-in-argv' });
    expect((err as Error).message).toContain('"extra"');
    expect(JSON.stringify(err)).not.toContain('still-hidden-value');
  });
});
