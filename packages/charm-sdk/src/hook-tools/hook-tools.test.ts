import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CannedTools } from '../testing-fixtures/canned-tools.js';
import * as t from './index.js';
import type { HookToolRunner } from './runner.js';

let tools: CannedTools;
let r: HookToolRunner;
beforeAll(async () => {
  tools = await CannedTools.create();
  r = tools.runner;
});
afterAll(() => tools.dispose());

interface Case {
  name: string;
  tool: string;
  stdout?: string;
  call: (r: HookToolRunner) => Promise<unknown>;
  argv: string[];
  result?: unknown;
  stdin?: string;
}

const NET =
  '{"bind-addresses":[{"mac-address":"","interface-name":"eth0","addresses":[{"hostname":"","value":"10.1.2.3","cidr":"10.1.0.0/16"}]}],"egress-subnets":["10.1.2.3/32"],"ingress-addresses":["10.1.2.3"]}\n';

const cases: Case[] = [
  {
    name: 'configGet all',
    tool: 'config-get',
    stdout: '{"enable-tls":false,"port":6379,"name":"x"}\n',
    call: (r) => t.configGet(r),
    argv: ['--format=json'],
    result: { 'enable-tls': false, port: 6379, name: 'x' },
  },
  {
    name: 'configGet key missing',
    tool: 'config-get',
    stdout: 'null\n',
    call: (r) => t.configGet(r, 'nope'),
    argv: ['--format=json', 'nope'],
    result: null,
  },
  {
    name: 'isLeader',
    tool: 'is-leader',
    stdout: 'true\n',
    call: (r) => t.isLeader(r),
    argv: ['--format=json'],
    result: true,
  },
  {
    name: 'leaderGet',
    tool: 'leader-get',
    stdout: '{"a":"1"}\n',
    call: (r) => t.leaderGet(r),
    argv: ['--format=json'],
    result: { a: '1' },
  },
  {
    name: 'leaderGet key',
    tool: 'leader-get',
    stdout: 'null\n',
    call: (r) => t.leaderGet(r, 'a'),
    argv: ['--format=json', 'a'],
    result: null,
  },
  { name: 'leaderSet', tool: 'leader-set', call: (r) => t.leaderSet(r, { a: '1', b: '' }), argv: ['a=1', 'b='] },
  {
    name: 'relationIds',
    tool: 'relation-ids',
    stdout: '["redis-peers:0"]\n',
    call: (r) => t.relationIds(r, 'redis-peers'),
    argv: ['redis-peers', '--format=json'],
    result: ['redis-peers:0'],
  },
  {
    name: 'relationIds none',
    tool: 'relation-ids',
    stdout: '[]\n',
    call: (r) => t.relationIds(r, 'x'),
    argv: ['x', '--format=json'],
    result: [],
  },
  {
    name: 'relationList',
    tool: 'relation-list',
    stdout: '["redis-k8s/1","redis-k8s/2"]\n',
    call: (r) => t.relationList(r, 'redis-peers:0'),
    argv: ['--format=json', '-r', 'redis-peers:0'],
    result: ['redis-k8s/1', 'redis-k8s/2'],
  },
  {
    name: 'relationListApp',
    tool: 'relation-list',
    stdout: '"redis-k8s"\n',
    call: (r) => t.relationListApp(r, 'db:3'),
    argv: ['--format=json', '-r', 'db:3', '--app'],
    result: 'redis-k8s',
  },
  {
    name: 'relationGet unit bag',
    tool: 'relation-get',
    stdout: '{"egress-subnets":"10.1.2.3/32","ingress-address":"10.1.2.3","private-address":"10.1.2.3"}\n',
    call: (r) => t.relationGet(r, 'db:3', 'app/1'),
    argv: ['--format=json', '-r', 'db:3', '-', 'app/1'],
    result: { 'egress-subnets': '10.1.2.3/32', 'ingress-address': '10.1.2.3', 'private-address': '10.1.2.3' },
  },
  {
    name: 'relationGet app bag',
    tool: 'relation-get',
    stdout: '{}\n',
    call: (r) => t.relationGet(r, 'db:3', 'other', { app: true }),
    argv: ['--format=json', '-r', 'db:3', '--app', '-', 'other'],
    result: {},
  },
  {
    name: 'relationGetKey',
    tool: 'relation-get',
    stdout: '"v"\n',
    call: (r) => t.relationGetKey(r, 'db:3', 'k', 'app/1'),
    argv: ['--format=json', '-r', 'db:3', 'k', 'app/1'],
    result: 'v',
  },
  {
    name: 'relationSet via stdin',
    tool: 'relation-set',
    call: (r) => t.relationSet(r, 'db:3', { host: 'h', gone: '' }, { app: true }),
    argv: ['-r', 'db:3', '--app', '--file', '-'],
    stdin: '{"host":"h","gone":""}',
  },
  {
    name: 'relationModelGet',
    tool: 'relation-model-get',
    stdout: '{"uuid":"abc"}\n',
    call: (r) => t.relationModelGet(r, 'db:3'),
    argv: ['--format=json', '-r', 'db:3'],
    result: { uuid: 'abc' },
  },
  {
    name: 'statusSet unit',
    tool: 'status-set',
    call: (r) => t.statusSet(r, 'active', ''),
    argv: ['--application=False', 'active', '--', ''],
  },
  {
    name: 'statusSet app',
    tool: 'status-set',
    call: (r) => t.statusSet(r, 'blocked', '-- odd message', { application: true }),
    argv: ['--application=True', 'blocked', '--', '-- odd message'],
  },
  {
    name: 'statusGet unit',
    tool: 'status-get',
    stdout: '{"message":"ready","status":"active","status-data":{}}\n',
    call: (r) => t.statusGet(r),
    argv: ['--include-data', '--format=json', '--application=false'],
    result: { message: 'ready', status: 'active', 'status-data': {} },
  },
  {
    name: 'statusGetApp',
    tool: 'status-get',
    stdout:
      '{"application-status":{"message":"","status":"active","status-data":{},"units":{"app/0":{"message":"m","status":"waiting","status-data":{}}}}}\n',
    call: (r) => t.statusGetApp(r),
    argv: ['--include-data', '--format=json', '--application=true'],
    result: {
      'application-status': {
        message: '',
        status: 'active',
        'status-data': {},
        units: { 'app/0': { message: 'm', status: 'waiting', 'status-data': {} } },
      },
    },
  },
  {
    name: 'applicationVersionSet',
    tool: 'application-version-set',
    call: (r) => t.applicationVersionSet(r, '7.2.4'),
    argv: ['--', '7.2.4'],
  },
  {
    name: 'actionGet',
    tool: 'action-get',
    stdout: '{"count":3,"deep":{"x":"y"}}\n',
    call: (r) => t.actionGet(r),
    argv: ['--format=json'],
    result: { count: 3, deep: { x: 'y' } },
  },
  {
    name: 'actionSet flattens',
    tool: 'action-set',
    call: (r) => t.actionSet(r, { ok: true, info: { n: 2, name: 'a b' } }),
    argv: ['ok=true', 'info.n=2', 'info.name=a b'],
  },
  { name: 'actionLog', tool: 'action-log', call: (r) => t.actionLog(r, 'half way'), argv: ['--', 'half way'] },
  { name: 'actionFail', tool: 'action-fail', call: (r) => t.actionFail(r, 'boom'), argv: ['--', 'boom'] },
  { name: 'actionFail default', tool: 'action-fail', call: (r) => t.actionFail(r), argv: [] },
  {
    name: 'jujuLog',
    tool: 'juju-log',
    call: (r) => t.jujuLog(r, 'WARNING', '-n not a flag'),
    argv: ['--log-level', 'WARNING', '--', '-n not a flag'],
  },
  {
    name: 'resourceGet no newline',
    tool: 'resource-get',
    stdout: '/var/lib/juju/agents/unit-redis-k8s-0/resources/cert-file/redis.crt',
    call: (r) => t.resourceGet(r, 'cert-file'),
    argv: ['cert-file'],
    result: '/var/lib/juju/agents/unit-redis-k8s-0/resources/cert-file/redis.crt',
  },
  {
    name: 'storageList',
    tool: 'storage-list',
    stdout: '["database/0"]\n',
    call: (r) => t.storageList(r, 'database'),
    argv: ['--format=json', 'database'],
    result: ['database/0'],
  },
  {
    name: 'storageGet',
    tool: 'storage-get',
    stdout: '{"kind":"filesystem","location":"/var/lib/juju/storage/database/0"}\n',
    call: (r) => t.storageGet(r, 'database/0'),
    argv: ['--format=json', '-s', 'database/0'],
    result: { kind: 'filesystem', location: '/var/lib/juju/storage/database/0' },
  },
  { name: 'storageAdd', tool: 'storage-add', call: (r) => t.storageAdd(r, { database: 2 }), argv: ['database=2'] },
  {
    name: 'networkGet',
    tool: 'network-get',
    stdout: NET,
    call: (r) => t.networkGet(r, 'db', { relationId: 3 }),
    argv: ['--format=json', '-r', '3', 'db'],
    result: {
      'bind-addresses': [
        {
          'mac-address': '',
          'interface-name': 'eth0',
          addresses: [{ hostname: '', value: '10.1.2.3', cidr: '10.1.0.0/16' }],
        },
      ],
      'egress-subnets': ['10.1.2.3/32'],
      'ingress-addresses': ['10.1.2.3'],
    },
  },
  {
    name: 'networkGet omitted lists',
    tool: 'network-get',
    stdout: '{}\n',
    call: (r) => t.networkGet(r, 'juju-info'),
    argv: ['--format=json', 'juju-info'],
    result: { 'bind-addresses': [], 'egress-subnets': [], 'ingress-addresses': [] },
  },
  {
    name: 'openPort',
    tool: 'open-port',
    call: (r) => t.openPort(r, { protocol: 'tcp', port: 6379 }),
    argv: ['6379/tcp'],
  },
  {
    name: 'openPort range endpoints',
    tool: 'open-port',
    call: (r) => t.openPort(r, { protocol: 'udp', port: 8000, toPort: 8010 }, { endpoints: ['a', 'b'] }),
    argv: ['8000-8010/udp', '--endpoints', 'a,b'],
  },
  { name: 'closePort icmp', tool: 'close-port', call: (r) => t.closePort(r, { protocol: 'icmp' }), argv: ['icmp'] },
  {
    name: 'openedPorts',
    tool: 'opened-ports',
    stdout: '["6379/tcp","8000-8010/udp","icmp"]\n',
    call: (r) => t.openedPorts(r),
    argv: ['--format=json'],
    result: [{ protocol: 'tcp', port: 6379 }, { protocol: 'udp', port: 8000, toPort: 8010 }, { protocol: 'icmp' }],
  },
  {
    name: 'secretGet by id',
    tool: 'secret-get',
    stdout: '{"password":"hunter2-long"}\n',
    call: (r) => t.secretGet(r, { id: 'secret:abc', refresh: true }),
    argv: ['--format=json', 'secret:abc', '--refresh'],
    result: { password: 'hunter2-long' },
  },
  {
    name: 'secretGet by label',
    tool: 'secret-get',
    stdout: '{"k":"vvvv"}\n',
    call: (r) => t.secretGet(r, { label: 'admin', peek: true }),
    argv: ['--format=json', '--label', 'admin', '--peek'],
    result: { k: 'vvvv' },
  },
  {
    name: 'secretInfoGet',
    tool: 'secret-info-get',
    stdout: '{"secret:abc":{"revision":3,"label":"admin","owner":"application","rotation":"never"}}\n',
    call: (r) => t.secretInfoGet(r, { id: 'secret:abc' }),
    argv: ['--format=json', 'secret:abc'],
    result: { 'secret:abc': { revision: 3, label: 'admin', owner: 'application', rotation: 'never' } },
  },
  {
    name: 'secretGrant',
    tool: 'secret-grant',
    call: (r) => t.secretGrant(r, 'secret:abc', 3, { unit: 'app/1' }),
    argv: ['--relation', '3', '--unit', 'app/1', 'secret:abc'],
  },
  {
    name: 'secretRevoke',
    tool: 'secret-revoke',
    call: (r) => t.secretRevoke(r, 'secret:abc', 3),
    argv: ['--relation', '3', 'secret:abc'],
  },
  {
    name: 'secretRemove',
    tool: 'secret-remove',
    call: (r) => t.secretRemove(r, 'secret:abc', { revision: 2 }),
    argv: ['secret:abc', '--revision', '2'],
  },
  {
    name: 'secretIds',
    tool: 'secret-ids',
    stdout: '["secret:abc"]\n',
    call: (r) => t.secretIds(r),
    argv: ['--format=json'],
    result: ['secret:abc'],
  },
  {
    name: 'stateGet all empty',
    tool: 'state-get',
    stdout: '{}\n',
    call: (r) => t.stateGet(r),
    argv: ['--format=json'],
    result: {},
  },
  {
    name: 'stateGet all null (Juju 4)',
    tool: 'state-get',
    stdout: 'null\n',
    call: (r) => t.stateGet(r),
    argv: ['--format=json'],
    result: {},
  },
  {
    name: 'stateGet key',
    tool: 'state-get',
    stdout: '"v"\n',
    call: (r) => t.stateGet(r, 'k'),
    argv: ['--format=json', 'k'],
    result: 'v',
  },
  {
    name: 'stateSet via stdin',
    tool: 'state-set',
    call: (r) => t.stateSet(r, { k: 'v' }),
    argv: ['--file', '-'],
    stdin: '{"k":"v"}',
  },
  { name: 'stateDelete', tool: 'state-delete', call: (r) => t.stateDelete(r, 'k'), argv: ['k'] },
  {
    name: 'goalState',
    tool: 'goal-state',
    stdout:
      '{"units":{"app/0":{"status":"active","since":"2025-01-01 00:00:00Z"}},"relations":{"db":{"other":{"status":"joined","since":"x"}}}}\n',
    call: (r) => t.goalState(r),
    argv: ['--format=json'],
    result: {
      units: { 'app/0': { status: 'active', since: '2025-01-01 00:00:00Z' } },
      relations: { db: { other: { status: 'joined', since: 'x' } } },
    },
  },
  {
    name: 'credentialGet',
    tool: 'credential-get',
    stdout:
      '{"type":"kubernetes","name":"k8s","endpoint":"https://1.2.3.4","credential":{"auth-type":"oauth2","attrs":{"Token":"tok-secret"}},"cacertificates":["PEM"]}\n',
    call: (r) => t.credentialGet(r),
    argv: ['--format=json'],
    result: {
      type: 'kubernetes',
      name: 'k8s',
      endpoint: 'https://1.2.3.4',
      credential: { 'auth-type': 'oauth2', attrs: { Token: 'tok-secret' } },
      cacertificates: ['PEM'],
    },
  },
];

describe('hook tools: argv and output parsing', () => {
  it.each(cases)('$name', async (c) => {
    await tools.reply(c.tool, { stdout: c.stdout ?? '' });
    const result = await c.call(r);
    const call = await tools.last(c.tool);
    expect(call.argv).toEqual(c.argv);
    if (c.stdin !== undefined) expect(call.stdin).toBe(c.stdin);
    else expect(call.stdin).toBe('');
    if ('result' in c) expect(result).toEqual(c.result);
  });
});
