import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCerts, type TestCerts } from '../testing/test-certs.js';
import { checkTlsMaterial } from './tls-material.js';

describe('checkTlsMaterial (certificates made by the openssl CLI)', () => {
  let certs: TestCerts;
  const read = (path: string) => readFile(path);
  const now = new Date();

  beforeAll(async () => {
    certs = await makeTestCerts(['127.0.0.1']);
  });
  afterAll(async () => {
    await certs?.remove();
  });

  it('finds nothing wrong with a certificate, its key and the CA that signed it', async () => {
    const material = { cert: await read(certs.cert), key: await read(certs.key), ca: await read(certs.ca) };
    expect(checkTlsMaterial(material, now)).toEqual({});
  });

  it('names garbage in each role', async () => {
    const garbage = await read(certs.garbage);
    expect(checkTlsMaterial({ cert: garbage, key: garbage, ca: garbage }, now)).toEqual({
      cert: 'is not a PEM certificate (no BEGIN CERTIFICATE block)',
      key: 'is not an unencrypted PEM private key',
      ca: 'is not a PEM certificate (no BEGIN CERTIFICATE block)',
    });
  });

  it('refuses a PEM block that does not parse', () => {
    const broken = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    expect(checkTlsMaterial({ cert: broken }, now)).toEqual({
      cert: 'holds a PEM block that is not a valid X.509 certificate',
    });
  });

  it('refuses a key of another certificate', async () => {
    const material = { cert: await read(certs.cert), key: await read(certs.otherKey), ca: await read(certs.ca) };
    expect(checkTlsMaterial(material, now)).toEqual({ key: "does not match the certificate's public key" });
  });

  it('refuses an expired certificate, and a valid one once time has passed it', async () => {
    const expired = { cert: await read(certs.expired), key: await read(certs.key), ca: await read(certs.ca) };
    expect(checkTlsMaterial(expired, now)).toEqual({ cert: 'expired on 2020-01-02T00:00:00.000Z' });
    const later = new Date(Date.now() + 10 * 86_400_000);
    const good = { cert: await read(certs.cert), key: await read(certs.key) };
    expect(checkTlsMaterial(good, later).cert).toMatch(/^expired on \d{4}-/);
    expect(checkTlsMaterial(good, new Date(0)).cert).toMatch(/^is not valid before \d{4}-/);
  });

  it('refuses a certificate another CA signed', async () => {
    const material = { cert: await read(certs.cert), key: await read(certs.key), ca: await read(certs.otherCa) };
    expect(checkTlsMaterial(material, now)).toEqual({ cert: 'is not signed by the CA certificate' });
  });

  it('accepts a CA bundle holding the signer among others', async () => {
    const bundle = Buffer.concat([await read(certs.otherCa), await read(certs.ca)]);
    expect(checkTlsMaterial({ cert: await read(certs.cert), ca: bundle }, now)).toEqual({});
  });
});
