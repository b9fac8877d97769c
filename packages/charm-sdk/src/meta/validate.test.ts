import { describe, expect, it } from 'vitest';
import { MetadataError } from '../errors.js';
import { UNIFIED_FILES, validateCharmMeta } from './validate.js';

const good = {
  name: 'redis-k8s',
  summary: 's',
  containers: { redis: { resource: 'redis-image', mounts: [{ storage: 'database', location: '/var/lib/redis' }] } },
  resources: { 'redis-image': { type: 'oci-image' }, 'cert-file': { type: 'file', filename: 'redis.crt' } },
  storage: {
    database: {
      type: 'filesystem',
      location: '/var/lib/juju/storage/database',
      multiple: { range: '1-10' },
      'minimum-size': '1G',
    },
  },
  peers: { 'redis-peers': { interface: 'redis-peers' } },
  provides: { redis: { interface: 'redis', limit: 1 } },
  requires: { sentinel: { interface: 'sentinel', optional: true, scope: 'global' } },
};

function error(
  docs: Parameters<typeof validateCharmMeta>[0],
  files?: Parameters<typeof validateCharmMeta>[1],
): MetadataError {
  try {
    validateCharmMeta(docs, files);
  } catch (e) {
    expect(e).toBeInstanceOf(MetadataError);
    return e as MetadataError;
  }
  throw new Error('expected a MetadataError');
}

describe('validateCharmMeta', () => {
  it('accepts a valid charm and returns its declarations', () => {
    const meta = validateCharmMeta({
      metadata: good,
      config: {
        options: {
          'enable-tls': { type: 'boolean', default: false },
          port: { type: 'int', default: 6379 },
          ratio: { type: 'float', default: 1 },
        },
      },
      actions: {
        'get-password': {
          description: 'd',
          params: { user: { type: 'string' } },
          required: ['user'],
          additionalProperties: false,
        },
      },
    });
    expect(Object.keys(meta.config)).toEqual(['enable-tls', 'port', 'ratio']);
    expect(meta.actions['get-password']?.required).toEqual(['user']);
  });

  it.each([
    [{ ...good, name: 'Redis' }, 'name', '"Redis" is not a valid charm name'],
    [{ ...good, name: 'redis-8' }, 'name', 'is not a valid charm name'],
    [{ ...good, name: undefined }, 'name', 'is missing'],
    [{ ...good, series: ['focal'] }, 'series', 'is not allowed'],
    [
      { ...good, containers: { redis: { resource: 'redis-image', bases: [] } } },
      'containers.redis',
      'has both "resource" and "bases"',
    ],
    [{ ...good, containers: { redis: {} } }, 'containers.redis', 'has neither "resource" nor "bases"'],
    [
      { ...good, containers: { redis: { resource: 'nope' } } },
      'containers.redis.resource',
      'names "nope", which is not declared under "resources"',
    ],
    [
      { ...good, containers: { redis: { resource: 'cert-file' } } },
      'containers.redis.resource',
      'which is of type "file"',
    ],
    [
      { ...good, containers: { redis: { resource: 'redis-image', mounts: [{ storage: 'logs' }] } } },
      'containers.redis.mounts[0].storage',
      'names "logs"',
    ],
    [
      { ...good, resources: { ...good.resources, x: { type: 'image' } } },
      'resources.x.type',
      '"image" is not a resource type',
    ],
    [
      { ...good, resources: { ...good.resources, x: { type: 'file' } } },
      'resources.x.filename',
      'is missing for a file resource',
    ],
    [{ ...good, storage: { database: { type: 'disk' } } }, 'storage.database.type', '"disk" is not a storage type'],
    [
      { ...good, storage: { database: { type: 'filesystem', location: 'relative' } } },
      'storage.database.location',
      'must be an absolute path',
    ],
    [
      { ...good, storage: { database: { type: 'filesystem', multiple: { range: 'lots' } } } },
      'storage.database.multiple.range',
      'must be "N", "N-M", "N-" or "N+"',
    ],
    [{ ...good, provides: { redis: {} } }, 'provides.redis.interface', 'is missing'],
    [
      { ...good, provides: { 'redis-peers': { interface: 'x' } } },
      'peers.redis-peers',
      'is also declared under "provides"',
    ],
    [{ ...good, provides: { 'juju-thing': { interface: 'x' } } }, 'provides.juju-thing', 'reserved "juju" prefix'],
    [
      { ...good, requires: { sentinel: { interface: 's', scope: 'local' } } },
      'requires.sentinel.scope',
      '"local" is not a scope',
    ],
  ])('rejects metadata: %#', (metadata, key, problem) => {
    const err = error({ metadata });
    expect(err.file).toBe('metadata.yaml');
    expect(err.key).toBe(key);
    expect(err.message).toContain(problem);
    expect(err.message).toMatch(/^cannot use metadata\.yaml: .+ \(.+\)$/);
  });

  it.each([
    [{ options: { port: { default: 1 } } }, 'options.port.type', 'is missing'],
    [{ options: { port: { type: 'integer' } } }, 'options.port.type', '"integer" is not an option type'],
    [{ options: { port: { type: 'int', default: 'x' } } }, 'options.port.default', '"x" is not a valid int'],
    [{ options: { ratio: { type: 'float', default: true } } }, 'options.ratio.default', 'true is not a valid float'],
    [{ options: [] }, 'options', 'must be a mapping'],
  ])('rejects config: %#', (config, key, problem) => {
    const err = error({ metadata: good, config });
    expect([err.file, err.key]).toEqual(['config.yaml', key]);
    expect(err.message).toContain(problem);
  });

  it.each([
    [{ Backup: {} }, 'Backup', 'is not a valid action name'],
    [{ 'juju-run': {} }, 'juju-run', 'reserved'],
    [{ backup: { params: { n: { type: 'int' } } } }, 'backup.params.n.type', '"int" is not a JSON schema type'],
    [{ backup: { params: {}, required: ['target'] } }, 'backup.required', 'lists "target", which is not under params'],
    [{ backup: { additionalProperties: 'no' } }, 'backup.additionalProperties', 'expected boolean'],
  ])('rejects actions: %#', (actions, key, problem) => {
    const err = error({ metadata: good, actions });
    expect([err.file, err.key]).toEqual(['actions.yaml', key]);
    expect(err.message).toContain(problem);
  });

  it('names keys inside a unified charmcraft.yaml', () => {
    const err = error({ metadata: good, config: { options: { port: { type: 'long' } } } }, UNIFIED_FILES);
    expect(err.message).toMatch(
      /^cannot use charmcraft\.yaml: config\.options\.port\.type: "long" is not an option type \(use string, int, float, boolean or secret\)$/,
    );
    expect(error({ metadata: good, actions: { b: { params: {}, required: ['x'] } } }, UNIFIED_FILES).key).toBe(
      'actions.b.required',
    );
  });

  it('round-trips through JSON', () => {
    const err = error({ metadata: { ...good, name: 'X' } });
    expect(JSON.parse(JSON.stringify(err))).toMatchObject({
      name: 'MetadataError',
      code: 'invalid-metadata',
      details: { file: 'metadata.yaml', key: 'name' },
    });
  });
});
