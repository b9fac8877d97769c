import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A throwaway CA with a certificate for redis and one for sentinel (separate keys), made with openssl. */
export interface TestCerts {
  dir: string;
  /** Paths of the PEM files. */
  ca: string;
  redisCert: string;
  redisKey: string;
  sentinelCert: string;
  sentinelKey: string;
  /** The CA certificate's PEM text (what redis-k8s publishes as tls-ca). */
  caPem: string;
  remove(): Promise<void>;
}

async function issue(dir: string, name: string, cn: string): Promise<void> {
  const p = (f: string) => join(dir, f);
  await run('openssl', [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    `/CN=${cn}`,
    '-keyout',
    p(`${name}.key`),
    '-out',
    p(`${name}.csr`),
  ]);
  // no SAN on purpose: redis and sentinel verify the chain, not names (pod addresses are not known in advance)
  await writeFile(
    p(`${name}.ext`),
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n',
  );
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    p(`${name}.csr`),
    '-CA',
    p('ca.crt'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    p(`${name}.ext`),
    '-out',
    p(`${name}.crt`),
  ]);
}

/** Makes the CA and both certificates in a temp dir (remove it in teardown). */
export async function makeCerts(): Promise<TestCerts> {
  const dir = await mkdtemp(join(tmpdir(), 'charm-sentinel-certs-'));
  const p = (f: string) => join(dir, f);
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=charm-sentinel test CA',
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.crt'),
  ]);
  await issue(dir, 'redis', 'redis-k8s');
  await issue(dir, 'sentinel', 'redis-sentinel-k8s');
  return {
    dir,
    ca: p('ca.crt'),
    redisCert: p('redis.crt'),
    redisKey: p('redis.key'),
    sentinelCert: p('sentinel.crt'),
    sentinelKey: p('sentinel.key'),
    caPem: await readFile(p('ca.crt'), 'utf8'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
