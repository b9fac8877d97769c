import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A CA and a server certificate it signed, made with the openssl CLI in a temp dir. */
export interface TestCerts {
  dir: string;
  ca: string;
  cert: string;
  key: string;
  remove(): Promise<void>;
}

/** Makes a throwaway CA and a server certificate (SAN: the given IPs) with openssl. */
export async function makeCerts(ips: string[]): Promise<TestCerts> {
  const dir = await mkdtemp(join(tmpdir(), 'charm-redis-certs-'));
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
    '/CN=charm-redis test CA',
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.crt'),
  ]);
  await run('openssl', [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=redis-k8s',
    '-keyout',
    p('redis.key'),
    '-out',
    p('redis.csr'),
  ]);
  await writeFile(p('ext.cnf'), `subjectAltName=${ips.map((ip) => `IP:${ip}`).join(',')}\n`);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    p('redis.csr'),
    '-CA',
    p('ca.crt'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    p('ext.cnf'),
    '-out',
    p('redis.crt'),
  ]);
  return {
    dir,
    ca: p('ca.crt'),
    cert: p('redis.crt'),
    key: p('redis.key'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
