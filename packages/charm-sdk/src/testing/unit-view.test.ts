import { describe, expect, it } from 'vitest';
import { FakeHookToolRunner } from './fake-hook-tool-runner.js';
import { modelState, relationState } from './model-state.js';

const peers = relationState({ endpoint: 'peers', id: 1, remoteApp: 'app', remoteUnits: ['app/1'], peer: true });
const db = relationState({ endpoint: 'db', id: 2, remoteApp: 'pg', remoteUnits: ['pg/0'] });

describe('FakeHookToolRunner through @charms/juju-model', () => {
  it('applies the leader rules with Juju’s texts and exit codes', async () => {
    const runner = new FakeHookToolRunner(modelState({ relations: [structuredClone(db)] }));
    expect(await runner.run('relation-set', ['-r', 'db:2', '--app', 'k=v'])).toEqual({
      stdout: '',
      stderr: 'ERROR cannot write relation settings\n',
      exitCode: 1,
    });
    expect(await runner.run('status-set', ['--application=True', 'active', '--', ''])).toMatchObject({
      stderr: 'ERROR this unit is not the leader\n',
      exitCode: 1,
    });
    expect(await runner.run('relation-get', ['--format=json', '-r', 'db:2', '--app', '-', 'app'])).toMatchObject({
      stderr: 'ERROR permission denied\n',
      exitCode: 1,
    });
    expect(await runner.run('status-set', ['bogus'])).toMatchObject({ exitCode: 2 });
  });

  it('lets a minion read the peer app bag and shows a hook its own pending writes', async () => {
    const state = modelState({ relations: [{ ...structuredClone(peers), localAppData: { a: '1' } }] });
    const runner = new FakeHookToolRunner(state);
    const app = await runner.run('relation-get', ['--format=json', '-r', 'peers:1', '--app', '-', 'app']);
    expect(JSON.parse(app.stdout)).toEqual({ a: '1' });
    await runner.run('relation-set', ['-r', 'peers:1', '--file', '-'], { stdin: '{"x":"y"}' });
    const own = await runner.run('relation-get', ['--format=json', '-r', 'peers:1', 'x', 'app/0']);
    expect(own.stdout).toBe('"y"\n');
    expect(JSON.parse((await runner.run('relation-list', ['--format=json', '-r', 'peers:1'])).stdout)).toEqual([
      'app/1',
    ]);
  });

  it('drops buffered writes of a failed hook and keeps its immediate ones', async () => {
    const runner = new FakeHookToolRunner(modelState({ leader: true, relations: [structuredClone(db)] }));
    await runner.run('relation-set', ['-r', 'db:2', '--app', 'k=v']);
    await runner.run('open-port', ['6379/tcp']);
    await runner.run('state-set', ['--file', '-'], { stdin: '{"s":"1"}' });
    await runner.run('status-set', ['blocked', '--', 'waiting for db']);
    await runner.run('juju-log', ['--log-level', 'WARNING', '--', 'hello']);
    const failed = runner.commit(false);
    expect(failed.relations[0]?.localAppData).toEqual({});
    expect(failed.openedPorts).toEqual([]);
    expect(failed.charmState).toEqual({});
    expect(failed.unitStatus).toEqual({ status: 'blocked', message: 'waiting for db' });
    expect(failed.logs).toEqual([{ level: 'WARNING', message: 'hello' }]);
    const ok = runner.commit(true);
    expect(ok.relations[0]?.localAppData).toEqual({ k: 'v' });
    expect(ok.openedPorts).toEqual(['6379/tcp']);
    expect(ok.charmState).toEqual({ s: '1' });
  });

  it('answers secrets, actions, resources and network-get from the model', async () => {
    const runner = new FakeHookToolRunner(
      modelState({
        relations: [structuredClone(db)],
        resources: { cert: '/res/cert/c.pem' },
        addresses: { 'juju-info': '10.0.0.7' },
        action: { params: { n: 1 }, results: {}, logs: [] },
      }),
    );
    expect(await runner.run('secret-add', ['key=value'])).toMatchObject({
      stderr: 'ERROR this unit is not the leader\n',
      exitCode: 1,
    });
    expect(await runner.run('secret-get', ['secret:nope'])).toMatchObject({ exitCode: 2 });
    expect(await runner.run('resource-get', ['cert'])).toEqual({ stdout: '/res/cert/c.pem', stderr: '', exitCode: 0 });
    expect(await runner.run('resource-get', ['key'])).toMatchObject({
      stderr: 'ERROR could not download resource: resource "key" not found\n',
    });
    const net = JSON.parse((await runner.run('network-get', ['--format=json', 'juju-info'])).stdout);
    expect(net['ingress-addresses']).toEqual(['10.0.0.7']);
    expect(JSON.parse((await runner.run('action-get', ['--format=json'])).stdout)).toEqual({ n: 1 });
    await runner.run('action-set', ['a.b=c', 'd=e']);
    await runner.run('action-fail', ['--', 'broke']);
    expect(runner.commit(false).action).toEqual({
      params: { n: 1 },
      results: { 'a.b': 'c', d: 'e' },
      logs: [],
      failure: 'broke',
    });
  });

  it('buffers a leader’s secrets and grants, with content from files', async () => {
    const runner = new FakeHookToolRunner(modelState({ leader: true, relations: [structuredClone(db)] }));
    const added = await runner.run('secret-add', ['--label', 'admin', 'password=pw1']);
    const id = added.stdout.trim();
    expect(id).toMatch(/^secret:[0-9a-v]{20}$/);
    await runner.run('secret-grant', ['--relation', '2', id]);
    expect(JSON.parse((await runner.run('secret-get', ['--format=json', '--label', 'admin'])).stdout)).toEqual({
      password: 'pw1',
    });
    await runner.run('secret-set', [id, 'password=pw2']);
    expect(runner.commit(true).secrets).toEqual([
      { id, owner: 'application', label: 'admin', revision: 2, content: { password: 'pw2' }, grants: { '2': ['*'] } },
    ]);
    expect(runner.commit(false).secrets).toEqual([]);
  });
});
