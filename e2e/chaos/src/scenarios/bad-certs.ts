/**
 * Bad TLS files: a one-unit redis-k8s app with enable-tls gets garbage, a stray key, an expired
 * certificate and one another CA signed, attached one after the other (each attach rolls the pod).
 * Each must leave the unit blocked with the file and the reason, and redis-server not started
 * (a file it cannot load would make it exit at every Pebble restart); good files bring it back.
 * The probe app is separate so the 3+3 model keeps serving; its unit is removed at the end.
 */
import { PebbleClient } from '@charms/pebble-client';
import { makeTestCerts } from '@charms/charm-sdk/testing';
import { packCharms, type Cluster } from '../cluster.js';
import { newResult, type ScenarioResult } from '../result.js';

const APP = 'tls-probe';
const UNIT = `${APP}/0`;

async function services(cluster: Cluster): Promise<string> {
  const pebble = new PebbleClient({ socketPath: cluster.sim.pebbleSocket(UNIT, 'redis') });
  try {
    const list = await pebble.getServices();
    return list.map((s) => `${s.name}=${s.current}`).join(',') || 'none';
  } finally {
    await pebble.close();
  }
}

async function probeStatus(cluster: Cluster): Promise<{ current: string; message: string }> {
  const unit = (await cluster.sim.status()).applications[APP]?.units[UNIT];
  if (unit === undefined) throw new Error(`${UNIT} is not in the model`);
  return { current: unit['workload-status'].current, message: unit['workload-status'].message ?? '' };
}

export async function badCertsScenario(cluster: Cluster): Promise<ScenarioResult> {
  const r = newResult('bad-certs');
  const certs = await makeTestCerts(['127.0.0.1']);
  const good = { 'cert-file': certs.cert, 'key-file': certs.key, 'ca-cert-file': certs.ca };
  const blockedFor = (file: string, why: string) =>
    `enable-tls is set but ${file} ${why}: juju attach-resource ${APP} ${file}=<file>`;
  const cases: Array<{ label: string; attach: Record<string, string>; expect: string }> = [
    {
      label: 'garbage cert-file',
      attach: { 'cert-file': certs.garbage },
      expect: blockedFor('cert-file', 'is not a PEM certificate (no BEGIN CERTIFICATE block)'),
    },
    {
      label: "a key that is not the certificate's",
      attach: { 'cert-file': certs.cert, 'key-file': certs.otherKey },
      expect: blockedFor('key-file', "does not match the certificate's public key"),
    },
    {
      label: 'an expired certificate',
      attach: { 'key-file': certs.key, 'cert-file': certs.expired },
      expect: blockedFor('cert-file', 'expired on 2020-01-02T00:00:00.000Z'),
    },
    {
      label: 'a certificate another CA signed',
      attach: { 'cert-file': certs.cert, 'ca-cert-file': certs.otherCa },
      expect: blockedFor('cert-file', 'is not signed by the CA certificate'),
    },
  ];
  let refused = 0;
  try {
    const { redis } = await packCharms();
    const flags = Object.entries(good).flatMap(([k, v]) => ['--resource', `${k}=${v}`]);
    await cluster.sim.cli(['deploy', redis, APP, '--config', 'enable-tls=true', ...flags, '--wait'], 240_000);
    const first = await probeStatus(cluster);
    r.notes.push(`good files: ${first.current} "${first.message}", services ${await services(cluster)}`);
    for (const c of cases) {
      r.faults += 1;
      for (const [name, path] of Object.entries(c.attach))
        await cluster.sim.cli(['attach-resource', APP, `${name}=${path}`]);
      await cluster.sim.cli(['wait', '--timeout', '120s'], 150_000);
      const s = await probeStatus(cluster);
      const svc = await services(cluster);
      const ok = s.current === 'blocked' && s.message === c.expect && !svc.includes('=active');
      if (ok) refused += 1;
      r.notes.push(
        `${ok ? 'refused as expected' : 'FAIL'}: ${c.label} -> ${s.current} "${s.message}", services ${svc}`,
      );
    }
    for (const [name, path] of Object.entries(good)) await cluster.sim.cli(['attach-resource', APP, `${name}=${path}`]);
    await cluster.sim.cli(['wait', '--timeout', '120s'], 150_000);
    const back = await probeStatus(cluster);
    const recovered = back.current === 'active' && (await services(cluster)).includes('redis-server=active');
    r.notes.push(`good files again: ${back.current} "${back.message}"${recovered ? '' : ' (FAIL: not recovered)'}`);
    r.runs = 1;
    r.lost = 0;
    r.primariesAtRest = await cluster.mastersNow();
    r.outcome = refused === cases.length && recovered && r.primariesAtRest === 1 ? 'pass' : 'fail';
  } finally {
    await cluster.sim.cli(['remove-unit', UNIT, '--wait'], 180_000).catch((e: Error) => {
      r.notes.push(`could not remove ${UNIT}: ${e.message}`);
    });
    await certs.remove();
  }
  r.notes.push(`refused ${refused}/${cases.length}`);
  return r;
}
