import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import {
  defineEventSchema,
  EventLogError,
  isEventLogError,
  openEventLog,
  openEventLogReader,
  secret,
} from './index.js';
import { tempDir } from './testing-fixtures/test-schema.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

const v1 = defineEventSchema({
  deployed: { schema: z.object({ unit: z.string() }) },
  'config-changed': { schema: z.object({ port: z.number() }) },
});

const v3 = defineEventSchema({
  deployed: { schema: z.object({ unit: z.string() }) },
  'config-changed': {
    version: 3,
    schema: z.object({ ports: z.array(z.number()), tls: z.boolean() }),
    upcasters: {
      1: (old: { port: number }) => ({ ports: [old.port] }),
      2: (old: { ports: number[] }) => ({ ...old, tls: false }),
    },
  },
});

async function readAll<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

describe('versions and upcasters', () => {
  test('a newer reader upcasts records written by an older writer', async () => {
    const old = await openEventLog({ dir, schema: v1 });
    await old.append({ type: 'config-changed', payload: { port: 6379 } });
    await old.close();
    const log = await openEventLog({ dir, schema: v3 });
    await log.append({ type: 'config-changed', payload: { ports: [1, 2], tls: true } });
    const events = await readAll(log.read());
    expect(events.map((e) => [e.version, e.payload])).toEqual([
      [1, { ports: [6379], tls: false }],
      [3, { ports: [1, 2], tls: true }],
    ]);
    await log.close();
  });

  test('an older reader refuses records of a newer version, naming the seq', async () => {
    const log = await openEventLog({ dir, schema: v3 });
    await log.append({ type: 'deployed', payload: { unit: 'redis/0' } });
    await log.append({ type: 'config-changed', payload: { ports: [1], tls: true } });
    await log.close();
    const reader = await openEventLogReader({ dir, schema: v1 });
    await expect(readAll(reader.read())).rejects.toMatchObject({
      code: 'unsupported-version',
      details: { seq: 2, type: 'config-changed', version: 3 },
      message: expect.stringMatching(/^cannot read record 2: .*version 3.*up to 1/),
    });
  });

  test('an unknown type on read is an error naming the seq and type', async () => {
    const log = await openEventLog({ dir, schema: v1 });
    await log.append({ type: 'deployed', payload: { unit: 'redis/0' } });
    await log.close();
    const other = defineEventSchema({ started: { schema: z.object({}) } });
    const reader = await openEventLogReader({ dir, schema: other });
    await expect(reader.fold((n: number) => n + 1, 0)).rejects.toMatchObject({
      code: 'unknown-event-type',
      details: { seq: 1, type: 'deployed' },
      message: expect.stringMatching(/^cannot read record 1: event type "deployed" is not in the schema/),
    });
  });

  test('an invalid payload on read is an error naming the seq and the field', async () => {
    const log = await openEventLog({ dir, schema: v1 });
    await log.append({ type: 'deployed', payload: { unit: 'redis/0' } });
    await log.close();
    const stricter = defineEventSchema({
      deployed: { schema: z.object({ unit: z.string().regex(/^\w+\/\d+$/), app: z.string() }) },
    });
    const reader = await openEventLogReader({ dir, schema: stricter });
    const error = await readAll(reader.read()).catch((e: unknown) => e);
    expect(isEventLogError(error, 'invalid-payload')).toBe(true);
    expect((error as EventLogError).details).toMatchObject({ seq: 1, type: 'deployed' });
    expect((error as EventLogError).details.issues?.[0]).toMatch(/^app: /);
    expect((error as Error).message).toMatch(
      /^cannot read record 1: its "deployed" event has an invalid payload: app: /,
    );
  });

  test('a throwing upcaster is reported as upcast-failed with the seq', async () => {
    const old = await openEventLog({ dir, schema: v1 });
    await old.append({ type: 'config-changed', payload: { port: 1 } });
    await old.close();
    const broken = defineEventSchema({
      'config-changed': {
        version: 2,
        schema: z.object({ ports: z.array(z.number()) }),
        upcasters: {
          1: () => {
            throw new Error('boom');
          },
        },
      },
    });
    const reader = await openEventLogReader({ dir, schema: broken });
    await expect(readAll(reader.read())).rejects.toMatchObject({
      code: 'upcast-failed',
      details: { seq: 1, version: 1 },
    });
  });
});

describe('defining schemas', () => {
  test('a missing upcaster is refused when the schema is defined', () => {
    expect(() =>
      defineEventSchema({ a: { version: 3, schema: z.object({}), upcasters: { 1: (p: object) => p } } }),
    ).toThrow(
      expect.objectContaining({ code: 'invalid-schema', message: expect.stringMatching(/add upcasters\[2\]/) }),
    );
  });

  test('the union is a zod discriminated union on type', () => {
    expect(v3.union.safeParse({ type: 'deployed', payload: { unit: 'a' } }).success).toBe(true);
    expect(v3.union.safeParse({ type: 'config-changed', payload: { unit: 'a' } }).success).toBe(false);
  });

  test('payloads that do not survive JSON are refused on append', async () => {
    const dated = defineEventSchema({ at: { schema: z.object({ when: z.date() }) } });
    const log = await openEventLog({ dir, schema: dated });
    await expect(log.append({ type: 'at', payload: { when: new Date() } })).rejects.toMatchObject({
      code: 'invalid-payload',
      message: expect.stringMatching(/does not survive JSON/),
    });
    await log.close();
  });

  test('secret() digests plain values and passes references through', () => {
    const schema = z.object({ password: secret() });
    expect(schema.parse({ password: 'hunter2' }).password.$secret).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(schema.parse({ password: { $secret: 'secret:abc' } })).toEqual({ password: { $secret: 'secret:abc' } });
  });
});

describe('errors', () => {
  test('toJSON and fromJSON round-trip', () => {
    const original = new EventLogError(
      'corrupt-record',
      'cannot read the event log: x',
      { segment: 's', line: 3, seq: 7 },
      { cause: new Error('inner') },
    );
    const copy = EventLogError.fromJSON(JSON.parse(JSON.stringify(original)));
    expect(copy.toJSON()).toEqual(original.toJSON());
    expect(isEventLogError(copy, 'corrupt-record')).toBe(true);
    expect(() => EventLogError.fromJSON({ name: 'EventLogError', code: 'nope' })).toThrow();
  });
});
