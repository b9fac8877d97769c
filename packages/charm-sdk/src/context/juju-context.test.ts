import { describe, expect, it } from 'vitest';
import { ContextError } from '../errors.js';
import { opsEventName, parseDispatchPath } from './event-name.js';
import { parseJujuContext } from './juju-context.js';

const base = {
  JUJU_DISPATCH_PATH: 'hooks/install',
  JUJU_HOOK_NAME: 'install',
  JUJU_CONTEXT_ID: 'redis-k8s/0-install-123',
  JUJU_CHARM_DIR: '/var/lib/juju/agents/unit-redis-k8s-0/charm',
  JUJU_UNIT_NAME: 'redis-k8s/0',
  JUJU_MODEL_NAME: 'm',
  JUJU_MODEL_UUID: 'c0ffee00-0000-4000-8000-000000000000',
  JUJU_VERSION: '3.6.8',
  JUJU_AGENT_SOCKET_ADDRESS: '@/var/lib/juju/agents/unit-redis-k8s-0/agent.socket',
  JUJU_AGENT_SOCKET_NETWORK: 'unix',
  JUJU_API_ADDRESSES: '10.0.0.1:17070 10.0.0.2:17070',
  JUJU_MACHINE_ID: '',
  JUJU_PRINCIPAL_UNIT: '',
  JUJU_AVAILABILITY_ZONE: '',
};

function fails(env: Record<string, string | undefined>): ContextError {
  try {
    parseJujuContext(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ContextError);
    return e as ContextError;
  }
  throw new Error('expected parseJujuContext to throw');
}

describe('parseDispatchPath', () => {
  it.each([
    ['hooks/install', { family: 'unit', kind: 'install' }],
    ['hooks/update-status', { family: 'unit', kind: 'update-status' }],
    ['hooks/leader-settings-changed', { family: 'unit', kind: 'leader-settings-changed' }],
    ['hooks/secret-rotate', { family: 'secret', kind: 'secret-rotate' }],
    ['hooks/redis-peers-relation-changed', { family: 'relation', kind: 'relation-changed', endpoint: 'redis-peers' }],
    ['hooks/database-storage-attached', { family: 'storage', kind: 'storage-attached', storage: 'database' }],
    ['hooks/redis-pebble-ready', { family: 'workload', kind: 'pebble-ready', container: 'redis' }],
    [
      'hooks/sentinel-pebble-custom-notice',
      { family: 'workload', kind: 'pebble-custom-notice', container: 'sentinel' },
    ],
    ['hooks/redis-pebble-check-recovered', { family: 'workload', kind: 'pebble-check-recovered', container: 'redis' }],
    ['actions/get-initial-admin-password', { family: 'action', kind: 'action', action: 'get-initial-admin-password' }],
    ['/var/lib/juju/agents/unit-a-0/charm/hooks/start', { family: 'unit', kind: 'start' }],
  ])('%s', (path, expected) => {
    expect(parseDispatchPath(path)).toMatchObject(expected);
  });

  it('gives the ops event identifier', () => {
    expect(opsEventName(parseDispatchPath('hooks/redis-pebble-ready'))).toBe('redis_pebble_ready');
    expect(opsEventName(parseDispatchPath('actions/get-password'))).toBe('get_password_action');
  });

  it.each(['hooks/not-a-hook', 'bin/install', 'install', 'hooks/Bad-relation-joined'])(
    'rejects %s with unknown-hook',
    (path) => {
      expect(() => parseDispatchPath(path)).toThrow(ContextError);
      try {
        parseDispatchPath(path);
      } catch (e) {
        expect((e as ContextError).code).toBe('unknown-hook');
        expect((e as ContextError).variable).toBe('JUJU_DISPATCH_PATH');
        expect((e as Error).message).toContain(path);
      }
    },
  );
});

describe('parseJujuContext', () => {
  it('parses the variables every hook gets', () => {
    const ctx = parseJujuContext({
      ...base,
      JUJU_DEBUG: '1',
      JUJU_DEBUG_AT: 'all, hook',
      JUJU_CHARM_HTTP_PROXY: 'http://p:3128',
    });
    expect(ctx).toMatchObject({
      event: { family: 'unit', kind: 'install' },
      unitName: 'redis-k8s/0',
      appName: 'redis-k8s',
      unitNumber: 0,
      modelName: 'm',
      jujuVersion: '3.6.8',
      apiAddresses: ['10.0.0.1:17070', '10.0.0.2:17070'],
      agentSocket: { network: 'unix' },
      debug: true,
      debugAt: ['all', 'hook'],
      proxy: { http: 'http://p:3128', https: '' },
      relation: undefined,
      action: undefined,
    });
  });

  it.each([
    'JUJU_DISPATCH_PATH',
    'JUJU_HOOK_NAME',
    'JUJU_UNIT_NAME',
    'JUJU_MODEL_NAME',
    'JUJU_MODEL_UUID',
    'JUJU_VERSION',
    'JUJU_CONTEXT_ID',
  ])('names a missing %s', (variable) => {
    const err = fails({ ...base, [variable]: undefined });
    expect(err.code).toBe('context-missing-variable');
    expect(err.variable).toBe(variable);
    expect(err.message).toMatch(new RegExp(`^cannot read the Juju context: ${variable} is not set \\(`));
  });

  it('falls back to CHARM_DIR and reports neither being set', () => {
    expect(parseJujuContext({ ...base, JUJU_CHARM_DIR: undefined, CHARM_DIR: '/c' }).charmDir).toBe('/c');
    expect(fails({ ...base, JUJU_CHARM_DIR: undefined }).variable).toBe('JUJU_CHARM_DIR');
  });

  it('accepts an empty JUJU_HOOK_NAME (actions) but rejects a malformed unit name', () => {
    expect(
      parseJujuContext({ ...base, JUJU_HOOK_NAME: '', JUJU_DISPATCH_PATH: 'actions/backup', JUJU_ACTION_UUID: '7' })
        .action,
    ).toEqual({
      name: 'backup',
      id: '7',
      tag: 'action-7',
    });
    const err = fails({ ...base, JUJU_UNIT_NAME: 'redis' });
    expect(err.code).toBe('context-invalid-variable');
    expect(err.message).toContain('JUJU_UNIT_NAME must look like "<app>/<number>"');
  });

  it('parses relation hooks and requires their variables', () => {
    const env = {
      ...base,
      JUJU_DISPATCH_PATH: 'hooks/db-relation-departed',
      JUJU_RELATION: 'db',
      JUJU_RELATION_ID: 'db:4',
      JUJU_REMOTE_APP: 'app',
      JUJU_REMOTE_UNIT: 'app/2',
      JUJU_DEPARTING_UNIT: 'app/2',
    };
    expect(parseJujuContext(env).relation).toEqual({
      endpoint: 'db',
      id: 4,
      ref: 'db:4',
      remoteApp: 'app',
      remoteUnit: 'app/2',
      departingUnit: 'app/2',
    });
    expect(fails({ ...env, JUJU_DEPARTING_UNIT: undefined }).variable).toBe('JUJU_DEPARTING_UNIT');
    expect(fails({ ...env, JUJU_REMOTE_APP: undefined }).variable).toBe('JUJU_REMOTE_APP');
    const appChanged = {
      ...env,
      JUJU_DISPATCH_PATH: 'hooks/db-relation-changed',
      JUJU_REMOTE_UNIT: '',
      JUJU_DEPARTING_UNIT: undefined,
    };
    expect(parseJujuContext(appChanged).relation?.remoteUnit).toBeUndefined();
    expect(fails({ ...appChanged, JUJU_REMOTE_UNIT: undefined }).variable).toBe('JUJU_REMOTE_UNIT');
    expect(fails({ ...env, JUJU_RELATION_ID: 'db:x' }).code).toBe('context-invalid-variable');
  });

  it('parses workload, notice, check, secret and storage hooks', () => {
    const notice = parseJujuContext({
      ...base,
      JUJU_DISPATCH_PATH: 'hooks/sentinel-pebble-custom-notice',
      JUJU_WORKLOAD_NAME: 'sentinel',
      JUJU_NOTICE_ID: '12',
      JUJU_NOTICE_TYPE: 'custom',
      JUJU_NOTICE_KEY: 'canonical.com/redis/failover',
    });
    expect(notice.workload).toEqual({ container: 'sentinel' });
    expect(notice.notice).toEqual({ id: '12', type: 'custom', key: 'canonical.com/redis/failover' });
    expect(fails({ ...base, JUJU_DISPATCH_PATH: 'hooks/redis-pebble-ready' }).variable).toBe('JUJU_WORKLOAD_NAME');
    const check = parseJujuContext({
      ...base,
      JUJU_DISPATCH_PATH: 'hooks/redis-pebble-check-failed',
      JUJU_WORKLOAD_NAME: 'redis',
      JUJU_PEBBLE_CHECK_NAME: 'ping',
    });
    expect(check.check).toEqual({ name: 'ping' });
    const secret = parseJujuContext({
      ...base,
      JUJU_DISPATCH_PATH: 'hooks/secret-remove',
      JUJU_SECRET_ID: 'secret:abc',
      JUJU_SECRET_LABEL: '',
      JUJU_SECRET_REVISION: '3',
    });
    expect(secret.secret).toEqual({ id: 'secret:abc', label: undefined, revision: 3 });
    const storage = parseJujuContext({
      ...base,
      JUJU_DISPATCH_PATH: 'hooks/database-storage-attached',
      JUJU_STORAGE_ID: 'database/7',
      JUJU_STORAGE_LOCATION: '/var/lib/juju/storage/database/7',
      JUJU_STORAGE_KIND: 'filesystem',
    });
    expect(storage.storage).toEqual({
      id: 'database/7',
      name: 'database',
      index: 7,
      location: '/var/lib/juju/storage/database/7',
      kind: 'filesystem',
    });
  });

  it('rejects an unknown hook', () => {
    expect(fails({ ...base, JUJU_DISPATCH_PATH: 'hooks/frobnicate' }).code).toBe('unknown-hook');
  });
});
