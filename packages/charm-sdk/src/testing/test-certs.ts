import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Paths of throwaway TLS files made with the openssl CLI: good ones and the usual mistakes. */
export interface TestCerts {
  dir: string;
  /** The CA that signed `cert` and `expired`. */
  ca: string;
  /** A server certificate for the given IPs, valid for two days, and its key. */
  cert: string;
  key: string;
  /** Same subject and key as `cert`, valid only on 2020-01-01. */
  expired: string;
  /** A key that is not `cert`'s. */
  otherKey: string;
  /** A CA that signed nothing here. */
  otherCa: string;
  /** Bytes that are no PEM at all. */
  garbage: string;
  remove(): Promise<void>;
}

// `openssl ca` is the CLI's only way to set explicit validity dates (OpenSSL 3.0)
const CA_CONF = `[ca]
default_ca = d
[d]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = p
unique_subject = no
copy_extensions = copy
[p]
commonName = supplied
`;

/** Makes a CA, a server certificate for `ips`, an expired twin, a stray key, a stray CA and garbage. */
export async function makeTestCerts(ips: string[]): Promise<TestCerts> {
  const dir = await mkdtemp(join(tmpdir(), 'charm-certs-'));
  const p = (f: string) => join(dir, f);
  const openssl = (args: string[]) => run('openssl', args, { cwd: dir });
  const selfSigned = (name: string, cn: string) =>
    openssl(
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${cn}`].concat([
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.crt`,
      ]),
    );
  await Promise.all([
    selfSigned('ca', 'charm test CA'),
    selfSigned('other-ca', 'charm stray CA'),
    openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'other.key']),
    openssl(
      [
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=redis',
        '-keyout',
        'server.key',
        '-out',
        'server.csr',
      ].concat(['-addext', `subjectAltName=${ips.map((ip) => `IP:${ip}`).join(',')}`]),
    ),
    writeFile(p('ca.cnf'), CA_CONF),
    writeFile(p('index.txt'), ''),
    writeFile(p('serial'), '01\n'),
    writeFile(p('garbage.pem'), 'not a certificate\n\u0000\u00ff-----BEGIN nothing-----\n'),
  ]);
  const sign = (out: string, dates: string[]) =>
    openssl(
      ['ca', '-batch', '-notext', '-config', 'ca.cnf', '-cert', 'ca.crt', '-keyfile', 'ca.key'].concat([
        '-in',
        'server.csr',
        '-out',
        out,
        ...dates,
      ]),
    );
  // one at a time: both write the CA's index and serial
  await sign('server.crt', ['-days', '2']);
  await sign('expired.crt', ['-startdate', '20200101000000Z', '-enddate', '20200102000000Z']);
  return {
    dir,
    ca: p('ca.crt'),
    cert: p('server.crt'),
    key: p('server.key'),
    expired: p('expired.crt'),
    otherKey: p('other.key'),
    otherCa: p('other-ca.crt'),
    garbage: p('garbage.pem'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
