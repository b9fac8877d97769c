import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CharmError } from '../errors.js';
import { makeTestCerts, type TestCerts } from '../testing/test-certs.js';
import { readTlsResources } from './tls-resources.js';

describe('readTlsResources', () => {
  let certs: TestCerts;
  const files = new Map<string, Buffer | Error>();
  const model = {
    resource: async (name: string) => {
      const f = files.get(name);
      if (f === undefined) throw new CharmError('not-found', `cannot fetch resource "${name}": not attached`);
      if (f instanceof Error) throw f;
      return { bytes: f, sha256: createHash('sha256').update(f).digest('hex') };
    },
  };
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  beforeAll(async () => {
    certs = await makeTestCerts(['127.0.0.1']);
  });
  afterAll(async () => {
    await certs?.remove();
  });

  it('gives digests (and the PEM of the public ones asked for) of files that fit together', async () => {
    const [cert, key, ca] = await Promise.all([readFile(certs.cert), readFile(certs.key), readFile(certs.ca)]);
    files.clear();
    files.set('c', cert).set('k', key).set('a', ca);
    const facts = await readTlsResources(model, { cert: 'c', key: 'k', ca: 'a' }, { keepPem: ['a'] });
    expect(Object.keys(facts)).toEqual(['c', 'k', 'a']);
    expect(facts).toEqual({
      c: { attached: true, sha256: sha(cert) },
      k: { attached: true, sha256: sha(key) },
      a: { attached: true, sha256: sha(ca), pem: ca.toString('utf8') },
    });
  });

  it('names a missing, empty, unreadable or mismatched file, checking against a CA given as text', async () => {
    const [cert, otherCa] = await Promise.all([readFile(certs.cert), readFile(certs.otherCa)]);
    files.clear();
    files.set('c', cert).set('k', Buffer.alloc(0));
    const signedElsewhere = await readTlsResources(model, { cert: 'c', key: 'k' }, { ca: otherCa.toString('utf8') });
    expect(signedElsewhere).toEqual({
      c: { attached: true, sha256: sha(cert), problem: 'is not signed by the CA certificate' },
      k: { attached: false, problem: 'the attached file is empty' },
    });
    files.set('k', new Error('cannot read it'));
    expect(await readTlsResources(model, { key: 'k', ca: 'none' })).toEqual({
      k: { attached: false, problem: 'cannot read it' },
      none: { attached: false },
    });
  });
});
