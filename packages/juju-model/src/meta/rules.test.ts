import { describe, expect, it } from 'vitest';
import { CharmMetaError, checkCharmMeta, checkContainerReferences } from './rules.js';

describe('metadata rules', () => {
  it('checks container references with the same text for whole documents and parsed metadata', () => {
    const metadata = { name: 'x', containers: { c: { resource: 'img', mounts: [{ storage: 'data' }] } } };
    const whole = (() => {
      try {
        return checkCharmMeta({ metadata: { ...metadata, resources: { img: { type: 'oci-image' } } } });
      } catch (e) {
        return e;
      }
    })();
    expect(whole).toBeInstanceOf(CharmMetaError);
    expect(whole).toMatchObject({ code: 'bad-charm', file: 'metadata.yaml', key: 'containers.c.mounts[0].storage' });
    expect(() => checkContainerReferences({ ...metadata, resources: { img: { type: 'oci-image' } } })).toThrow(
      (whole as Error).message,
    );
    expect(() => checkContainerReferences({ ...metadata, resources: { img: { type: 'file' } } })).toThrow(
      'cannot use metadata.yaml: containers.c.resource: names "img", which is of type "file"',
    );
  });
});
