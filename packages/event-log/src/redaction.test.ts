import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { z } from 'zod';
import { defineEventSchema, defineProjection, digestSecret, openEventLog, secret, secretRef } from './index.js';
import { allFiles } from './testing-fixtures/files.js';
import { tempDir } from './testing-fixtures/test-schema.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

const schema = defineEventSchema({
  'secret-changed': {
    schema: z.object({
      admin: secret(),
      replicas: z.array(z.object({ unit: z.string(), password: secret() })),
      tls: z.object({ key: secret().optional(), cert: z.string() }),
    }),
  },
});

const latest = defineProjection(schema, {
  name: 'latest',
  version: 1,
  initial: { admin: null as null | { $secret: string }, count: 0 },
  reduce: (state, event) => ({ admin: event.payload.admin, count: state.count + 1 }),
});

const SECRETS = [
  'Sup3r-Admin-Passw0rd',
  'replica-one-pass-XYZ',
  'replica-two-pass-QRS',
  '-----BEGIN PRIVATE KEY-----MIIEv',
];

test('secret values never reach any file of the log: segments, snapshots, archive', async () => {
  const log = await openEventLog({ dir, schema, projection: latest, snapshotEvery: 2, maxSegmentBytes: 1024 });
  for (let i = 0; i < 6; i++) {
    await log.append({
      type: 'secret-changed',
      payload: {
        admin: SECRETS[0] as string,
        replicas: [
          { unit: 'redis/1', password: SECRETS[1] as string },
          { unit: 'redis/2', password: SECRETS[2] as string },
        ],
        tls: { key: SECRETS[3] as string, cert: 'public-cert' },
      },
    });
  }
  await log.append({
    type: 'secret-changed',
    payload: { admin: secretRef('secret:cq1abc?revision=2'), replicas: [], tls: { cert: 'c' } },
  });
  await log.snapshot();
  await log.compact({ policy: 'archive' });
  const events = [];
  for await (const event of log.read()) events.push(event);
  await log.close();

  const files = await allFiles(dir);
  expect(files.some((f) => f.startsWith('snapshots/'))).toBe(true);
  expect(files.some((f) => f.startsWith('archive/'))).toBe(true);
  for (const file of files) {
    const text = await readFile(path.join(dir, file), 'utf8');
    for (const value of SECRETS) expect(text.includes(value), `${value} in ${file}`).toBe(false);
  }
  const last = events[events.length - 1];
  expect(last?.payload.admin).toEqual({ $secret: 'secret:cq1abc?revision=2' });
  expect(events[0]?.payload.admin).toEqual(digestSecret(SECRETS[0] as string));
  expect(events[0]?.payload.tls.key).toEqual(digestSecret(SECRETS[3] as string));
});
